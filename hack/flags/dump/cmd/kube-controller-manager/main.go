// Command kube-controller-manager prints the flags and feature gates of the kube-controller-manager of the
// release it is built against. It imports what k8s.io/kubernetes/cmd/kube-controller-manager
// imports, so that the same packages register their flags and gates.
package main

import (
	"fmt"
	_ "time/tzdata"

	"github.com/spf13/pflag"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app/options"

	"flagdump/kube"
	"flagdump/table"
)

func main() {
	// GenericControllerManagerConfigurationOptions.Validate accepts a --controllers name that is
	// known or an alias of a known one.
	names := app.KnownControllers()
	for alias := range app.ControllerAliases() {
		names = append(names, alias)
	}
	sets := append(kube.TLSSets(),
		table.Set{Name: "controllers", Values: names, Source: "k8s.io/kubernetes/cmd/kube-controller-manager/app.KnownControllers and ControllerAliases"},
	)
	kube.DumpCommand("kube-controller-manager", app.NewControllerManagerCommand(), utilfeature.DefaultMutableFeatureGate, validate, sets...)
}

// validate is KubeControllerManagerOptions.Validate, which Config runs before the
// controller-manager serves, on fresh options.
func validate(flag, value string) (string, bool) {
	s, err := options.NewKubeControllerManagerOptions()
	if err != nil {
		panic(err)
	}
	all, off, aliases := app.KnownControllers(), app.ControllersDisabledByDefault(), app.ControllerAliases()
	if flag != "" {
		var f *pflag.Flag
		for _, fs := range s.Flags(all, off, aliases).FlagSets {
			if g := fs.Lookup(flag); g != nil {
				f = g
			}
		}
		if f == nil || f.Value.Set(value) != nil {
			return "", false
		}
	}
	return fmt.Sprint(s.Validate(all, off, aliases)), true
}
