// Command kube-apiserver prints the flags and feature gates of the kube-apiserver binary of the release it is
// built against. Its imports are those of k8s.io/kubernetes/cmd/kube-apiserver, so that the same
// packages register their flags and gates.
package main

import (
	_ "time/tzdata"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	cliflag "k8s.io/component-base/cli/flag"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"

	"flagdump/kube"
	"flagdump/table"
)

func main() {
	cmd := app.NewAPIServerCommand()
	// What cli.Run and cobra's Execute add before parsing.
	cmd.SetGlobalNormalizationFunc(cliflag.WordSepNormalizeFunc)
	cmd.InitDefaultHelpFlag()
	w := table.New("kube-apiserver")
	kube.PFlags(w, cmd.Flags())
	kube.Gates(w, utilfeature.DefaultMutableFeatureGate)
	w.Print()
}
