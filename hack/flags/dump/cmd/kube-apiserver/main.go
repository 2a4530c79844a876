// Command kube-apiserver prints the flags and feature gates of the kube-apiserver of the
// release it is built against. It imports what k8s.io/kubernetes/cmd/kube-apiserver
// imports, so that the same packages register their flags and gates.
package main

import (
	"fmt"
	"strings"
	_ "time/tzdata"

	"github.com/spf13/pflag"
	apiextensionsapiserver "k8s.io/apiextensions-apiserver/pkg/apiserver"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/admission"
	genericoptions "k8s.io/apiserver/pkg/server/options"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	pluginlog "k8s.io/apiserver/plugin/pkg/audit/log"
	"k8s.io/apiserver/plugin/pkg/authenticator/token/oidc"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	aggregatorscheme "k8s.io/kube-aggregator/pkg/apiserver/scheme"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/cmd/kube-apiserver/app/options"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/controlplane/reconcilers"
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
		// APIEnablementOptions.Validate and MergeAPIResourceConfigs hold --runtime-config's keys
		// to the group versions of the three servers' schemes (controlplane/apiserver/options).
		table.Set{Name: "api-group-versions", Values: groupVersions(legacyscheme.Scheme, apiextensionsapiserver.Scheme, aggregatorscheme.Scheme),
			Source: "k8s.io/kubernetes/pkg/api/legacyscheme.Scheme, k8s.io/apiextensions-apiserver/pkg/apiserver.Scheme, k8s.io/kube-aggregator/pkg/apiserver/scheme.Scheme"},
		table.Set{Name: "admission-plugins-needing-config", Values: pluginsNeedingConfig(),
			Source: "each plugin's factory in k8s.io/kubernetes/pkg/kubeapiserver/options.NewAdmissionOptions, given no configuration"},
		table.Set{Name: "endpoint-reconciler-types", Values: reconcilers.AllTypes.Names(), Source: "k8s.io/kubernetes/pkg/controlplane/reconcilers.AllTypes"},
		table.Set{Name: "oidc-signing-algs", Values: oidc.AllValidSigningAlgorithms(), Source: "k8s.io/apiserver/plugin/pkg/authenticator/token/oidc.AllValidSigningAlgorithms"},
		table.Set{Name: "storage-media-types", Values: storageMediaTypes(), Source: "k8s.io/apiserver/pkg/server/options.storageMediaTypes (through EtcdOptions.Validate)"},
		// Nothing checks --kubelet-preferred-address-types; its default names every type a Node
		// reports, in the API server's order of preference.
		table.Set{Name: "node-address-types", Values: options.NewServerRunOptions().KubeletConfig.PreferredAddressTypes,
			Source: "k8s.io/kubernetes/cmd/kube-apiserver/app/options.NewServerRunOptions, the default of --kubelet-preferred-address-types"},
	)
	kube.DumpCommand("kube-apiserver", app.NewAPIServerCommand(), utilfeature.DefaultMutableFeatureGate, validate, sets...)
}

// validate is ServerRunOptions.Validate of k8s.io/apiserver, which holds the API server's
// limits and timeouts, on fresh options. The API server's whole Validate needs its options
// completed, which writes certificates, so its other numeric checks are the linter's own.
func validate(flag, value string) (string, bool) {
	o := genericoptions.NewServerRunOptions()
	fs := pflag.NewFlagSet("generic", pflag.ContinueOnError)
	o.AddUniversalFlags(fs)
	if flag != "" {
		if f := fs.Lookup(flag); f == nil || f.Value.Set(value) != nil {
			return "", false
		}
	}
	return fmt.Sprint(o.Validate()), true
}

// groupVersions lists every group version the schemes register, the core group's as "v1".
func groupVersions(schemes ...*runtime.Scheme) []string {
	var out []string
	for _, s := range schemes {
		for _, gv := range s.PrioritizedVersionsAllGroups() {
			out = append(out, gv.String())
		}
	}
	return out
}

// storageMediaTypes reads the set EtcdOptions.Validate holds --storage-media-type to, which the
// package does not export, out of the error it gives for a type it lacks.
func storageMediaTypes() []string {
	o := genericoptions.NewEtcdOptions(&storagebackend.Config{})
	o.DefaultStorageMediaType = "none/none"
	for _, err := range o.Validate() {
		if _, allowed, ok := strings.Cut(err.Error(), "--storage-media-type \"none/none\" invalid, allowed values: "); ok {
			return strings.Split(allowed, ", ")
		}
	}
	panic("EtcdOptions.Validate no longer names the storage media types it allows")
}

// pluginsNeedingConfig are the admission plugins whose factory refuses, or panics on, the nil
// configuration the API server gives a plugin that admission-control-config-file does not
// configure: enabled without one, the API server exits at start.
func pluginsNeedingConfig() []string {
	plugins := kubeoptions.NewAdmissionOptions().GenericAdmission.Plugins
	var out []string
	for _, name := range plugins.Registered() {
		if !initializes(plugins, name) {
			out = append(out, name)
		}
	}
	return out
}

// initializes reports whether a plugin's factory builds it without a configuration; what the
// API server's initializers would give it after is not asked for.
func initializes(plugins *admission.Plugins, name string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_, err := plugins.InitPlugin(name, nil, admission.PluginInitializers{})
	return err == nil || !strings.HasPrefix(err.Error(), "couldn't init admission plugin")
}
