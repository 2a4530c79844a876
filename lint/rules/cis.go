package rules

import (
	"fmt"
	"strconv"
	"strings"

	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	kubeletdefaults "k8s.io/kubernetes/pkg/kubelet/apis/config/v1beta1"
	proxydefaults "k8s.io/kubernetes/pkg/proxy/apis/config/v1alpha1"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// The CIS profile maps controls of the CIS Kubernetes Benchmark onto the kubeadm configuration,
// before 'kubeadm init' writes the static Pods that kube-bench later audits. Each control is one
// rule, KL7xx, so that it can be turned off, suppressed and explained on its own; the rules are
// rows of the tables in cis_*.go, since they differ only in the flag or field and the test.
//
// A control reads what the component will run with, not what the file says: kubeadm's own flags
// for the target release (release.StaticPods, generated from kubeadm's code), overridden by
// extraArgs as kubeadm merges them, then the component's own default. A control that kubeadm's
// defaults satisfy passes unless the file overrides it; one they fail is reported on the document.

const (
	// ProfileCIS is the profile's name for --profile and the settings file.
	ProfileCIS = "cis"
	// cisStandard names the benchmark as kube-bench names its benchmark files.
	cisStandard = "cis-1.12"
)

// control is one CIS control.
type control struct {
	id, name, cis string
	summary       string // the rule's summary
	why           string // what the control protects, for the doc
	// manual marks a control the benchmark scores as Manual: a judgement, reported as info.
	manual bool
	// failsByDefault records whether a stock kubeadm configuration fails the control; a test
	// holds it to what the checks find on kubeadm's defaults.
	failsByDefault bool

	// A flag control reads the flags of one component of a ClusterConfiguration.
	component string
	flag      func(*flagView) *violation
	// A kubelet or kube-proxy control reads the defaulted component configuration.
	kubelet func(*kubeletView) *violation
	proxy   func(*kubeproxyv1alpha1.KubeProxyConfiguration) *violation
	// A node control reads nodeRegistration.kubeletExtraArgs of Init and Join documents.
	node func(args) *violation
	// bad and good are the doc's examples: "name=value" pairs for flag controls, joined by
	// "; " (bad empty means kubeadm's defaults), or YAML lines of the document otherwise.
	bad, good string
}

// violation is a control's finding: at the flag's entry (index), or on the list when the flag
// comes from kubeadm's defaults or the component's (index -1); path is for config documents.
type violation struct {
	index int
	path  string
	msg   string
	hint  string
}

// section is where a component's extraArgs live in a ClusterConfiguration.
func section(component string) string {
	switch component {
	case release.APIServer:
		return "apiServer"
	case release.ControllerManager:
		return "controllerManager"
	case release.Scheduler:
		return "scheduler"
	case release.Etcd:
		return "etcd.local"
	}
	return ""
}

// cisRule makes a control's rule.
func cisRule(c control) *lint.Rule {
	sev := lint.SeverityWarning
	if c.manual {
		sev = lint.SeverityInfo
	}
	r := &lint.Rule{
		ID: c.id, Name: c.name, Summary: c.summary + " (CIS " + c.cis + ")", Severity: sev,
		Profile: ProfileCIS, References: []lint.Reference{{Standard: cisStandard, ID: c.cis}},
	}
	switch {
	case c.flag != nil:
		r.Kinds = []string{lint.KindCluster}
		r.Run = func(p *lint.Pass) { runFlagControl(p, c) }
	case c.kubelet != nil:
		r.Kinds = []string{lint.KindKubelet}
		r.Run = func(p *lint.Pass) {
			if kc, ok := object[*kubeletv1beta1.KubeletConfiguration](p); ok {
				report(p, c.kubelet(newKubeletView(kc, p.File)), "kind")
			}
		}
	case c.node != nil:
		r.Kinds = []string{lint.KindInit, lint.KindJoin}
		r.Run = func(p *lint.Pass) {
			for _, nr := range nodeRegistrations(p.File) {
				if nr.Doc != p.Doc {
					continue
				}
				if v := c.node(nr.KubeletArgs); v != nil {
					p.Report(p.Doc, lint.Finding{Path: nr.KubeletArgs.At(v.index), Message: v.msg, Hint: v.hint})
				}
			}
		}
	case c.proxy != nil:
		r.Kinds = []string{lint.KindKubeProxy}
		r.Run = func(p *lint.Pass) {
			if kp, ok := object[*kubeproxyv1alpha1.KubeProxyConfiguration](p); ok {
				report(p, c.proxy(effectiveKubeProxy(kp)), "kind")
			}
		}
	}
	r.Doc = cisDoc(c)
	return r
}

func report(p *lint.Pass, v *violation, fallback string) {
	if v == nil {
		return
	}
	path := v.path
	if path == "" || !p.Doc.Has(path) {
		// A field left to its default: the finding is about the document.
		if path == "" || !p.Doc.Has(parentPath(path)) {
			path = fallback
		} else {
			path = parentPath(path)
		}
	}
	p.Report(p.Doc, lint.Finding{Path: path, Message: v.msg, Hint: v.hint})
}

// parentPath drops the last segment of a field path.
func parentPath(path string) string {
	if i := strings.LastIndexAny(path, ".["); i > 0 {
		return path[:i]
	}
	return ""
}

func runFlagControl(p *lint.Pass, c control) {
	cfg, ok := object[*kubeadmapi.ClusterConfiguration](p)
	if !ok {
		return
	}
	if c.component == release.Etcd && cfg.Etcd.Local == nil {
		return // external etcd: its flags are not in this file
	}
	fv := newFlagView(cfg, c.component, p.Options.Release())
	v := c.flag(fv)
	if v == nil {
		return
	}
	path := fv.list.Path
	if v.index >= 0 {
		path = fv.list.At(v.index)
	}
	p.Report(p.Doc, lint.Finding{Path: path, Message: v.msg, Hint: v.hint})
}

// Checks of flag controls. def is the component's own default, for a flag neither kubeadm nor
// the user sets; "" means the flag is off or empty.

func flagIs(name, want, def, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		v, i, ok := fv.get(name)
		if ok && strings.EqualFold(v, want) || !ok && strings.EqualFold(def, want) {
			return nil
		}
		hint := fmt.Sprintf("set %s=%s in %s%s", name, want, fv.where(), why)
		if !ok {
			return &violation{index: -1, msg: fmt.Sprintf("%s is unset and defaults to %s", fv.what(name), orNone(def)), hint: hint}
		}
		return &violation{index: i, msg: fmt.Sprintf("%s is %q", fv.what(name), v), hint: hint}
	}
}

func flagNot(name, bad, def, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		v, i, ok := fv.get(name)
		switch {
		case ok && strings.EqualFold(v, bad):
			return &violation{index: i, msg: fmt.Sprintf("%s is %q", fv.what(name), v), hint: fmt.Sprintf("remove %s from %s%s", name, fv.where(), why)}
		case !ok && strings.EqualFold(def, bad):
			return &violation{index: -1, msg: fmt.Sprintf("%s is unset and defaults to %s", fv.what(name), def), hint: fmt.Sprintf("set %s in %s%s", name, fv.where(), why)}
		}
		return nil
	}
}

// flagsSet wants every flag set to a non-empty value.
func flagsSet(why string, names ...string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		for _, name := range names {
			v, i, ok := fv.get(name)
			switch {
			case !ok:
				return &violation{index: -1, msg: fmt.Sprintf("%s is not set", fv.what(name)), hint: fmt.Sprintf("set %s in %s%s", name, fv.where(), why)}
			case strings.TrimSpace(v) == "":
				return &violation{index: i, msg: fmt.Sprintf("%s is empty", fv.what(name)), hint: fmt.Sprintf("remove the empty %s from %s, so that kubeadm's value applies%s", name, fv.where(), why)}
			}
		}
		return nil
	}
}

func flagUnset(name, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		if v, i, ok := fv.get(name); ok {
			return &violation{index: i, msg: fmt.Sprintf("%s is set to %q", fv.what(name), v), hint: fmt.Sprintf("remove %s from %s%s", name, fv.where(), why)}
		}
		return nil
	}
}

// listed splits a comma-separated flag value.
func listed(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, item string) bool {
	for _, s := range list {
		if strings.EqualFold(s, item) {
			return true
		}
	}
	return false
}

// listHas wants item in a comma-separated flag. unless names a flag that takes the list's
// place, such as authorization-config for authorization-mode: the control cannot see into it.
func listHas(name, item, unless, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		if _, _, ok := fv.get(unless); unless != "" && ok {
			return nil
		}
		v, i, ok := fv.get(name)
		if ok && contains(listed(v), item) {
			return nil
		}
		hint := fmt.Sprintf("add %s to %s in %s%s", item, name, fv.where(), why)
		if ok && i >= 0 {
			return &violation{index: i, msg: fmt.Sprintf("%s %q lacks %s", fv.what(name), v, item), hint: hint}
		}
		if ok {
			hint = fmt.Sprintf("set %s=%s in %s, keeping kubeadm's %s%s", name, v+","+item, fv.where(), v, why)
			return &violation{index: -1, msg: fmt.Sprintf("%s is kubeadm's %q, without %s", fv.what(name), v, item), hint: hint}
		}
		return &violation{index: -1, msg: fmt.Sprintf("%s is not set, so %s is off", fv.what(name), item), hint: hint}
	}
}

// listLacks wants item absent from a comma-separated flag.
func listLacks(name, item, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		if v, i, ok := fv.get(name); ok && contains(listed(v), item) {
			return &violation{index: i, msg: fmt.Sprintf("%s %q has %s", fv.what(name), v, item), hint: fmt.Sprintf("remove %s from %s%s", item, name, why)}
		}
		return nil
	}
}

// atLeast wants an integer flag of at least min; def is the component's default at a release.
func atLeast(name string, min int, def func(minor int) int, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		v, i, ok := fv.get(name)
		if !ok {
			if d := def(fv.minor); d < min {
				return &violation{index: -1, msg: fmt.Sprintf("%s is unset and defaults to %d on v1.%d", fv.what(name), d, fv.minor), hint: fmt.Sprintf("set %s=%d or more in %s%s", name, min, fv.where(), why)}
			}
			return nil
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n < min {
			return &violation{index: i, msg: fmt.Sprintf("%s is %q, under %d", fv.what(name), v, min), hint: fmt.Sprintf("set %s=%d or more%s", name, min, why)}
		}
		return nil
	}
}

// onlyAmong wants a comma-separated flag set, and to hold only allowed items.
func onlyAmong(name string, allowed []string, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		v, i, ok := fv.get(name)
		if !ok {
			return &violation{index: -1, msg: fmt.Sprintf("%s is not set, so Go's default suites apply", fv.what(name)), hint: fmt.Sprintf("set %s in %s to strong suites only%s", name, fv.where(), why)}
		}
		for _, s := range listed(v) {
			if !contains(allowed, s) {
				return &violation{index: i, msg: fmt.Sprintf("%s has %s", fv.what(name), s), hint: fmt.Sprintf("keep only the benchmark's strong suites in %s%s", name, why)}
			}
		}
		return nil
	}
}

// gateNotFalse wants a feature gate not turned off in feature-gates.
func gateNotFalse(gate, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		v, i, ok := fv.get("feature-gates")
		if !ok {
			return nil
		}
		if on, set := gateValue(v, gate); set && !on {
			return &violation{index: i, msg: fmt.Sprintf("%s feature-gates turns %s off", fv.component, gate), hint: fmt.Sprintf("remove %s=false from feature-gates%s", gate, why)}
		}
		return nil
	}
}

// gateValue reads a gate out of a feature-gates value ("A=true,B=false") as component-base's
// MapStringBool parses it, the last setting winning; set is false when the gate is not named or
// its value is not a boolean.
func gateValue(gates, gate string) (on, set bool) {
	for _, kv := range listed(gates) {
		k, v, _ := strings.Cut(kv, "=")
		if b, err := strconv.ParseBool(strings.TrimSpace(v)); strings.TrimSpace(k) == gate && err == nil {
			on, set = b, true
		}
	}
	return on, set
}

// differsFrom wants a flag's file to differ from another component's flag: etcd's CA from the
// cluster CA.
func differsFrom(name, otherComponent, otherFlag, why string) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		v, i, ok := fv.get(name)
		if !ok {
			return nil
		}
		other, _, _ := newFlagView(fv.cfg, otherComponent, fv.rel).get(otherFlag)
		if other != "" && v == other {
			return &violation{index: i, msg: fmt.Sprintf("%s %q is the %s %s", fv.what(name), v, otherComponent, otherFlag), hint: "give etcd a CA of its own" + why}
		}
		return nil
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// kubeletView is a KubeletConfiguration as the kubelet runs it: kubeadm's defaults, then the
// kubelet's own (kubeadm's componentconfigs/kubelet.go, the kubelet's v1beta1 defaults.go).
type kubeletView struct {
	*kubeletv1beta1.KubeletConfiguration
	written *kubeletv1beta1.KubeletConfiguration
}

func newKubeletView(kc *kubeletv1beta1.KubeletConfiguration, f *lint.File) *kubeletView {
	out := kc.DeepCopy()
	certs := "/etc/kubernetes/pki" // kubeadm's default certificatesDir
	if c := f.Cluster(); c != nil && c.CertificatesDir != "" {
		certs = c.CertificatesDir
	}
	if out.Authentication.X509.ClientCAFile == "" {
		out.Authentication.X509.ClientCAFile = certs + "/ca.crt"
	}
	out.RotateCertificates = true // kubeadm hardcodes it
	kubeletdefaults.SetDefaults_KubeletConfiguration(out)
	return &kubeletView{KubeletConfiguration: out, written: kc}
}

func effectiveKubeProxy(kp *kubeproxyv1alpha1.KubeProxyConfiguration) *kubeproxyv1alpha1.KubeProxyConfiguration {
	out := kp.DeepCopy()
	proxydefaults.SetDefaults_KubeProxyConfiguration(out)
	return out
}

// cisDoc writes a control's page.
func cisDoc(c control) string {
	var bad, good, verdict string
	if c.failsByDefault {
		verdict = "kubeadm's defaults fail this control: a configuration that does not set it is reported on the document."
	} else {
		verdict = "kubeadm's defaults pass this control: only a configuration that overrides them is reported."
	}
	switch {
	case c.flag != nil:
		bad, good = flagExample(c.component, c.bad), flagExample(c.component, c.good)
	case c.node != nil:
		bad, good = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"+c.bad, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"+c.good
	case c.kubelet != nil:
		bad, good = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"+c.bad, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"+c.good
	default:
		bad, good = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n"+c.bad, "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n"+c.good
	}
	scored := "Automated"
	if c.manual {
		scored = "Manual, so the rule reports info"
	}
	rationale := fmt.Sprintf("%s\n\nCIS Kubernetes Benchmark v1.12 control %s (%s). %s The rule runs with `--profile cis`.",
		strings.TrimSpace(c.why), c.cis, scored, verdict)
	return doc(rationale, bad, good, fmt.Sprintf("CIS Kubernetes Benchmark v1.12, control %s, as kube-bench's cfg/cis-1.12 tests it; kubeadm's flags from its GetStaticPodSpecs (lint/release/data/staticpods).", c.cis))
}

// flagExample renders "name=value; ..." as a ClusterConfiguration.
func flagExample(component, pairs string) string {
	sec := section(component)
	var b strings.Builder
	b.WriteString("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n")
	indent := ""
	if sec == "etcd.local" {
		b.WriteString("etcd:\n  local:\n")
		indent = "  "
	} else {
		b.WriteString(sec + ":\n")
	}
	if pairs == "" {
		b.WriteString(indent + "  extraArgs: []   # kubeadm's defaults\n")
		return b.String()
	}
	b.WriteString(indent + "  extraArgs:\n")
	for _, kv := range strings.Split(pairs, "; ") {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "%s  - name: %s\n%s    value: %q\n", indent, k, indent, v)
	}
	return b.String()
}
