// Command kube-proxy prints the feature gates of the kube-proxy of the release it is built
// against: KubeProxyConfiguration's featureGates go to this registry. kubeadm passes kube-proxy
// no flags of the user's, so its flags are left out.
package main

import (
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-proxy/app"

	"flagdump/kube"
	"flagdump/table"
)

func main() {
	app.NewProxyCommand() // registers what its package init does not
	w := table.New("kube-proxy")
	kube.Gates(w, utilfeature.DefaultMutableFeatureGate)
	w.Print()
}
