// Command kubelet prints the flags and feature gates of the kubelet of the release it is built
// against. The kubelet parses its own flag set inside RunE, out of cobra's reach, so this builds
// that set the way app.NewKubeletCommand does, from the same option constructors.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/pflag"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	cliflag "k8s.io/component-base/cli/flag"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kubelet/app"
	"k8s.io/kubernetes/cmd/kubelet/app/options"

	"flagdump/kube"
	"flagdump/table"
)

func main() {
	cmd := app.NewKubeletCommand(context.Background()) // registers what its package init does not
	fs := pflag.NewFlagSet("kubelet", pflag.ContinueOnError)
	fs.SetNormalizeFunc(cliflag.WordSepNormalizeFunc)
	kubeletConfig, err := options.NewKubeletConfiguration()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	options.NewKubeletFlags().AddFlags(fs)
	options.AddKubeletConfigFlags(fs, kubeletConfig)
	options.AddGlobalFlags(fs)
	fs.BoolP("help", "h", false, fmt.Sprintf("help for %s", cmd.Name()))
	w := table.New("kubelet")
	kube.PFlags(w, fs)
	kube.Gates(w, utilfeature.DefaultMutableFeatureGate)
	w.Print()
}
