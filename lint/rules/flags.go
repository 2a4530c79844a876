package rules

import (
	"maps"
	"slices"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// flagList is an extraArgs list with the table of the component that receives it.
type flagList struct {
	docArgs
	comp *release.Component
	rel  *release.Release
}

// flagLists returns the file's extraArgs lists that a table describes. etcd with an imageTag
// of the user's choice is left out: the table knows the etcd that kubeadm deploys.
func flagLists(p *lint.Pass) []flagList {
	var out []flagList
	c, _ := clusterConfig(p.File)
	for _, l := range allArgs(p.File) {
		if l.Component == release.Etcd && c != nil && c.Etcd.Local != nil && c.Etcd.Local.ImageTag != "" {
			continue
		}
		rel := componentRelease(p, l.Component)
		if comp := rel.Component(l.Component); comp != nil {
			out = append(out, flagList{docArgs: l, comp: comp, rel: rel})
		}
	}
	return out
}

// flagEntry is one extraArgs entry, with what the tables say of it.
type flagEntry struct {
	flagList
	i    int
	arg  kubeadmapi.Arg
	flag *release.Flag // nil when the component has no such flag
	// valueErr is why the value does not parse; a feature-gates entry is parsed with the list's
	// other feature-gates entries, as the component combines them.
	valueErr error
}

func (e flagEntry) at() string      { return e.At(e.i) }
func (e flagEntry) valueAt() string { return e.At(e.i) + ".value" }

// history says where the other tables have a flag the component lacks.
func (e flagEntry) history() history {
	return lookBack(e.rel, e.Component, func(c *release.Component) bool { return c.Flag(e.arg.Name) != nil })
}

// flagEntries lists the extraArgs entries of the pass's document that a table describes.
func flagEntries(p *lint.Pass) []flagEntry {
	var out []flagEntry
	for _, e := range lint.Memo(p.File, flagEntriesKey{}, func() []flagEntry { return fileFlagEntries(p) }) {
		if e.Doc == p.Doc {
			out = append(out, e)
		}
	}
	return out
}

type flagEntriesKey struct{}

func fileFlagEntries(p *lint.Pass) []flagEntry {
	var out []flagEntry
	for _, l := range flagLists(p) {
		gateErrs := readGateFlags(l).errs
		for i, arg := range l.Args {
			e := flagEntry{flagList: l, i: i, arg: arg, flag: l.comp.Flag(arg.Name)}
			switch {
			case e.flag == nil:
			case e.flag.IsFeatureGates():
				e.valueErr = gateErrs[i]
			default:
				e.valueErr = e.flag.CheckValue(arg.Value)
			}
			out = append(out, e)
		}
	}
	return out
}

// componentRelease returns the release whose table a component is checked against. The control
// plane and kube-proxy run the ClusterConfiguration's kubernetesVersion, which kubeadm may deploy
// a release older than itself; the kubelet is the node's package, and etcd is the one the
// target's kubeadm picks.
func componentRelease(p *lint.Pass, component string) *release.Release {
	target := p.Options.Release()
	switch component {
	case release.Kubelet, release.Etcd, release.Kubeadm:
		return target
	}
	if p.Options.Upgrading {
		return target
	}
	c, _ := clusterConfig(p.File)
	if c == nil {
		return target
	}
	if r, ok := release.ForVersion(c.KubernetesVersion); ok && r.Minor < target.Minor {
		return r
	}
	return target
}

// history says where the other tables have a flag or gate that a release lacks. Each is the
// component's version in that release: "v1.36", or etcd's own "v3.6.8".
type history struct {
	last    string // the newest older release that has it; "" when none does
	removed string // the release after last, the first without it
	added   string // the oldest newer release that has it; "" when none does
}

// lookBack walks every table, oldest first, for the history of what rel lacks.
func lookBack(rel *release.Release, component string, has func(*release.Component) bool) history {
	var h history
	prevHad := false
	for _, name := range release.All() {
		r, err := release.Load(name)
		if err != nil || r.Minor == rel.Minor {
			continue
		}
		c := r.Component(component)
		had := c != nil && has(c)
		switch {
		case r.Minor < rel.Minor && had:
			h.last, h.removed = releaseOf(c, r), ""
		case r.Minor < rel.Minor && prevHad && c != nil:
			h.removed = releaseOf(c, r)
		case r.Minor > rel.Minor && had && h.added == "":
			h.added = releaseOf(c, r)
		}
		if r.Minor < rel.Minor {
			prevHad = had
		}
	}
	if h.last != "" && h.removed == "" {
		h.removed = releaseOf(rel.Component(component), rel)
	}
	return h
}

// what names a component of a release in messages: "kube-apiserver v1.37", or "etcd v3.7.0"
// for the etcd that release's kubeadm deploys.
func what(c *release.Component, rel *release.Release) string { return c.Name + " " + releaseOf(c, rel) }

// releaseOf is the version of a component in a release: the release, or etcd's own.
func releaseOf(c *release.Component, rel *release.Release) string {
	if c.Name == release.Etcd {
		return rel.Etcd
	}
	return rel.Name()
}

// gateProblem is one problem of a gate set.
type gateProblem struct {
	gateSet
	release.GateProblem
}

// gateProblems returns what the components would refuse or warn about in the file's gates.
func gateProblems(p *lint.Pass) []gateProblem {
	return lint.Memo(p.File, gateProblemsKey{}, func() []gateProblem {
		var out []gateProblem
		for _, gs := range gateSets(p) {
			for _, pr := range gs.comp.CheckGates(gs.settings) {
				out = append(out, gateProblem{gateSet: gs, GateProblem: pr})
			}
		}
		return out
	})
}

type gateProblemsKey struct{}

// gateSet is feature gates given to a component, from a flag value or a featureGates map.
type gateSet struct {
	Doc      *lint.Document
	comp     *release.Component
	rel      *release.Release
	settings []release.GateSetting
	// at returns the field path a gate's finding lands on.
	at func(gate string) string
}

// gateSets returns every set of Kubernetes feature gates in the file: the feature-gates flags of
// extraArgs, and the featureGates of KubeletConfiguration and KubeProxyConfiguration.
func gateSets(p *lint.Pass) []gateSet {
	var out []gateSet
	for _, l := range flagLists(p) {
		if gf := readGateFlags(l); len(gf.settings) > 0 {
			out = append(out, gateSet{Doc: l.Doc, comp: l.comp, rel: l.rel, settings: gf.settings, at: gf.at})
		}
	}
	var kubeletGates, proxyGates map[string]bool
	if k := p.File.Kubelet(); k != nil {
		kubeletGates = k.FeatureGates
	}
	if k := p.File.KubeProxy(); k != nil {
		proxyGates = k.FeatureGates
	}
	for _, cfg := range []struct {
		kind, comp string
		gates      map[string]bool
	}{{lint.KindKubelet, release.Kubelet, kubeletGates}, {lint.KindKubeProxy, release.KubeProxy, proxyGates}} {
		if len(cfg.gates) == 0 {
			continue
		}
		d, rel := p.File.Doc(cfg.kind), componentRelease(p, cfg.comp)
		c := rel.Component(cfg.comp)
		if c == nil {
			continue
		}
		gates := cfg.gates
		var settings []release.GateSetting
		for _, name := range slices.Sorted(maps.Keys(gates)) {
			settings = append(settings, release.GateSetting{Name: name, Value: gates[name]})
		}
		out = append(out, gateSet{Doc: d, comp: c, rel: rel, settings: settings, at: func(g string) string { return "featureGates." + g }})
	}
	return out
}

// gateFlags is what the feature-gates entries of one extraArgs list set, combined as the
// component combines repeated flags: every entry counts, and the last setting of a gate wins.
type gateFlags struct {
	settings []release.GateSetting
	// errs are the entries that do not parse, by index into the list; KL210 reports them.
	errs map[int]error
	// at returns the value path of the entry that sets a gate last, or of the last entry.
	at func(gate string) string
}

func readGateFlags(l flagList) gateFlags {
	gf := gateFlags{errs: map[int]error{}}
	where, last := map[string]string{}, ""
	var style release.GateStyle
	for i, arg := range l.Args {
		if f := l.comp.Flag(arg.Name); f == nil || !f.IsFeatureGates() {
			continue
		}
		value := arg.Value
		switch l.comp.Name {
		case release.APIServer, release.ControllerManager, release.Scheduler:
			// The control plane registers its gates per component and takes "kube:" prefixes.
			kube, this, err := release.SplitComponentGates(value)
			if err == nil {
				style, err = style.Join(this)
			}
			if err != nil {
				gf.errs[i] = err
				continue
			}
			value = kube
		}
		settings, err := release.ParseGates(value)
		if err != nil {
			gf.errs[i] = err
			continue
		}
		last = l.At(i) + ".value"
		for _, s := range settings {
			where[s.Name] = last
		}
		gf.settings = append(gf.settings, settings...)
	}
	gf.at = func(gate string) string {
		if w, ok := where[gate]; ok {
			return w
		}
		return last
	}
	return gf
}
