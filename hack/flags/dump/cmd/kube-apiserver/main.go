// Command kube-apiserver prints the flags and feature gates of the kube-apiserver of the
// release it is built against. It imports what k8s.io/kubernetes/cmd/kube-apiserver
// imports, so that the same packages register their flags and gates.
package main

import (
	_ "time/tzdata"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"

	"flagdump/kube"
)

func main() {
	kube.DumpCommand("kube-apiserver", app.NewAPIServerCommand(), utilfeature.DefaultMutableFeatureGate)
}
