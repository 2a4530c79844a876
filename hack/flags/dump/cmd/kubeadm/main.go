// Command kubeadm prints kubeadm's own feature gates and the etcd version it deploys, for the
// release it is built against.
package main

import (
	"k8s.io/kubernetes/cmd/kubeadm/app/constants"
	"k8s.io/kubernetes/cmd/kubeadm/app/features"

	"flagdump/table"
)

func main() {
	w := table.New("kubeadm")
	for name, f := range features.InitFeatureGates {
		w.Gate(name, string(f.PreRelease), f.Default, f.LockToDefault, "", f.DeprecationMessage)
	}
	w.Fact("etcd-version", constants.DefaultEtcdVersion)
	w.Print()
}
