package rules

import (
	"fmt"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// flagView is the command line a component will run with.
type flagView struct {
	component string
	list      args // the user's extraArgs
	minor     int
	defaults  map[string]string // kubeadm's flags, for the configuration at hand
	cfg       *kubeadmapi.ClusterConfiguration
	rel       *release.Release
}

func newFlagView(cfg *kubeadmapi.ClusterConfiguration, component string, rel *release.Release) *flagView {
	fv := &flagView{component: component, minor: rel.Minor, defaults: map[string]string{}, cfg: cfg, rel: rel}
	for _, a := range controlPlaneArgs(cfg) {
		if a.Component == component {
			fv.list = a
		}
	}
	dataDir := ""
	if cfg.Etcd.Local != nil {
		dataDir = cfg.Etcd.Local.DataDir
	}
	for _, a := range rel.StaticPods().Args(component) {
		v := strings.ReplaceAll(a.Value, release.CertificatesDirVar, cfg.CertificatesDir)
		fv.defaults[a.Name] = strings.ReplaceAll(v, release.DataDirVar, dataDir)
	}
	// With external etcd, kubeadm points the API server at the files etcd.external names and
	// leaves a flag out when its field is empty (controlplane/manifests.go, getAPIServerCommand).
	if component == release.APIServer && cfg.Etcd.External != nil {
		e := cfg.Etcd.External
		delete(fv.defaults, "etcd-cafile")
		delete(fv.defaults, "etcd-certfile")
		delete(fv.defaults, "etcd-keyfile")
		if e.CAFile != "" {
			fv.defaults["etcd-cafile"] = e.CAFile
		}
		if e.CertFile != "" && e.KeyFile != "" {
			fv.defaults["etcd-certfile"], fv.defaults["etcd-keyfile"] = e.CertFile, e.KeyFile
		}
	}
	return fv
}

// get returns a flag's value as the component sees it: the user's last entry replaces kubeadm's
// default, or merges with it when it has a mergeMethod. index is the entry, or -1 for kubeadm's
// own flag; ok is false when neither sets the flag.
func (fv *flagView) get(name string) (value string, index int, ok bool) {
	def, hasDef := fv.defaults[name]
	value, index, ok = def, -1, hasDef
	for i, a := range fv.list.Args {
		if a.Name != name {
			continue
		}
		if a.MergeMethod == "" || !hasDef {
			value, index, ok = a.Value, i, true // nothing of kubeadm's to merge with
		} else {
			value, index, ok = kubeadmapi.MergeArgWithBase(def, a), i, true
		}
	}
	return value, index, ok
}

// release names the component's release in messages: "v1.37", or etcd's own: "v3.7.0".
func (fv *flagView) release() string {
	if fv.component == release.Etcd {
		return fv.rel.Etcd
	}
	return fmt.Sprintf("v1.%d", fv.minor)
}

// what names a flag in messages: "kube-apiserver profiling".
func (fv *flagView) what(name string) string { return fv.component + " " + name }

// where names the list a fix goes into: "apiServer.extraArgs".
func (fv *flagView) where() string { return section(fv.component) + ".extraArgs" }

// entries returns the user's entries of a flag, and kubeadm's default as index -1 when no
// entry of the user's replaces it. A list flag (stringSlice) takes the values of every entry, in
// order, since kubeadm passes each entry as a flag of its own and pflag appends a repeated list
// flag to itself; any other flag takes the last entry.
func (fv *flagView) entries(name string) []flagValue {
	var out []flagValue
	for i, a := range fv.list.Args {
		if a.Name != name {
			continue
		}
		v := a.Value
		if def, ok := fv.defaults[name]; ok && a.MergeMethod != "" {
			v = kubeadmapi.MergeArgWithBase(def, a)
		}
		out = append(out, flagValue{value: v, index: i})
	}
	if len(out) == 0 {
		if def, ok := fv.defaults[name]; ok {
			return []flagValue{{value: def, index: -1}}
		}
		return nil
	}
	// pflag's slices and arrays and component-base's maps (runtime-config, feature-gates) add
	// every occurrence to the value; any other flag keeps its last.
	if f := fv.rel.Component(fv.component).Flag(name); f == nil || !accumulates(f.Type) {
		out = out[len(out)-1:]
	}
	return out
}

// flagValue is one value of a flag on the component's command line, and the user's entry that
// gives it, or -1 for kubeadm's own.
type flagValue struct {
	value string
	index int
}

// accumulates reports whether a flag of a pflag type adds every occurrence to its value: a slice
// (split at commas), an array (each occurrence one element) or a map.
func accumulates(pflagType string) bool {
	return strings.HasSuffix(pflagType, "Slice") || strings.HasSuffix(pflagType, "Array") || strings.HasPrefix(pflagType, "map")
}
