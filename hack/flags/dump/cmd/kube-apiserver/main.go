// Command kube-apiserver prints the flags and feature gates of the kube-apiserver of the
// release it is built against. It imports what k8s.io/kubernetes/cmd/kube-apiserver
// imports, so that the same packages register their flags and gates.
package main

import (
	_ "time/tzdata"

	genericoptions "k8s.io/apiserver/pkg/server/options"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	pluginlog "k8s.io/apiserver/plugin/pkg/audit/log"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/pkg/kubeapiserver/authorizer/modes"
	kubeoptions "k8s.io/kubernetes/pkg/kubeapiserver/options"

	"flagdump/kube"
	"flagdump/table"
)

func main() {
	sets := append(kube.TLSSets(),
		// AdmissionOptions.Validate holds the plugins to what is registered, and its own check
		// holds what is registered to this list.
		table.Set{Name: "admission-plugins", Values: kubeoptions.AllOrderedPlugins, Source: "k8s.io/kubernetes/pkg/kubeapiserver/options.AllOrderedPlugins"},
		table.Set{Name: "authorization-modes", Values: modes.AuthorizationModeChoices, Source: "k8s.io/kubernetes/pkg/kubeapiserver/authorizer/modes.AuthorizationModeChoices"},
		table.Set{Name: "audit-modes", Values: genericoptions.AllowedModes, Source: "k8s.io/apiserver/pkg/server/options.AllowedModes"},
		table.Set{Name: "audit-log-formats", Values: pluginlog.AllowedFormats, Source: "k8s.io/apiserver/plugin/pkg/audit/log.AllowedFormats"},
	)
	kube.DumpCommand("kube-apiserver", app.NewAPIServerCommand(), utilfeature.DefaultMutableFeatureGate, sets...)
}
