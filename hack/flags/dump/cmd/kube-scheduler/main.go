// Command kube-scheduler prints the flags and feature gates of the kube-scheduler of the
// release it is built against. It imports what k8s.io/kubernetes/cmd/kube-scheduler
// imports, so that the same packages register their flags and gates.
package main

import (
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-scheduler/app"

	"flagdump/kube"
)

func main() {
	kube.DumpCommand("kube-scheduler", app.NewSchedulerCommand(), utilfeature.DefaultMutableFeatureGate, kube.TLSSets()...)
}
