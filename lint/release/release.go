// Package release holds what the linter knows of each Kubernetes release it targets: the flags
// and feature gates of every component kubeadm starts, and kubeadm's own feature gates. The tables
// in data/ are generated from each release's code by hack/flags/gen.sh ('make flags'); nothing
// here is typed by hand.
package release

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
)

// The components a table describes.
const (
	APIServer         = "kube-apiserver"
	ControllerManager = "kube-controller-manager"
	Scheduler         = "kube-scheduler"
	Kubelet           = "kubelet"
	KubeProxy         = "kube-proxy"
	Etcd              = "etcd"
	Kubeadm           = "kubeadm"
)

// Linked is the release whose code the linter links, k8s.io/kubernetes in go.mod: kubeadm's
// validation and the kubelet's and kube-proxy's are that release's. A test holds its table to it.
const Linked = "v1.37"

// data holds a table per supported release, and in history/ tables of older releases, which
// only tell in which release a flag or gate went away.
//
//go:embed data/*.tsv data/history/*.tsv data/staticpods/*.tsv
var data embed.FS

// Release is one Kubernetes minor release's table.
type Release struct {
	Minor      int    // 37
	Kubernetes string // the patch release the table was generated from: "v1.37.2"
	Etcd       string // the etcd release kubeadm deploys: "v3.7.0"
	components map[string]*Component
	staticPods *StaticPods
}

// Name is the release as the linter's --kubernetes-version spells it: "v1.37".
func (r *Release) Name() string { return fmt.Sprintf("v1.%d", r.Minor) }

// Component returns a component's table, or nil when the release has none for it.
func (r *Release) Component(name string) *Component { return r.components[name] }

// Component is the flags and feature gates of one component of a release.
type Component struct {
	Name  string
	flags map[string]*Flag
	gates map[string]*Gate
	// values holds the sets of names the component checks options against, by set name.
	values map[string][]string
	// facts holds the component's single values: defaults and limits its validation uses.
	facts map[string]string
	// normalize maps a flag name as written to the name the component's parser looks up.
	normalize func(string) string

	dependentOnce sync.Once
	dependents    []*Gate
}

// Flag is one command-line flag of a component.
type Flag struct {
	Name string
	// Type is pflag's type name ("bool", "stringSlice"); Impl is the Go type of the value
	// ("*pflag.boolValue"), which decides how a value parses, since types can share a Type name.
	Type, Impl string
	Hidden     bool
	// Values are the only values an enumeration accepts, when its type lists them.
	Values []string
	// Deprecated is upstream's deprecation text; empty when the flag is not deprecated.
	Deprecated string

	component  string
	owner      *Component // whose facts some checks of a value need
	kubernetes string     // the patch release the table comes from, which --version=vX must match
}

// Gate is one feature gate, as the component sees it at its own version.
type Gate struct {
	Name string
	// Stage is the gate's prerelease stage: ALPHA, BETA, GA or DEPRECATED.
	Stage   string
	Default bool
	// Locked is set when the gate can no longer be set to the other value.
	Locked bool
	// Requires lists the gates that must be enabled when this one is.
	Requires []string
	// Deprecation is kubeadm's deprecation message for its own gates.
	Deprecation string
}

// Flag returns the flag a name, as written in extraArgs, selects, or nil. A nil Component has
// no flags and no gates.
func (c *Component) Flag(name string) *Flag {
	if c == nil {
		return nil
	}
	return c.flags[c.normalize(name)]
}

// Gate returns a feature gate, or nil.
func (c *Component) Gate(name string) *Gate {
	if c == nil {
		return nil
	}
	return c.gates[name]
}

// Values returns the names the component accepts in a set of its own (hack/flags/dump's
// table.Set: "admission-plugins", "authorization-modes", "tls-cipher-suites"), sorted, or nil
// when the table holds no such set.
func (c *Component) Values(set string) []string {
	if c == nil {
		return nil
	}
	return c.values[set]
}

// Fact returns one of the component's facts ("max-election-timeout" of etcd), or "" when the
// table holds none.
func (c *Component) Fact(name string) string {
	if c == nil {
		return ""
	}
	return c.facts[name]
}

// Flags returns every flag, sorted by name.
func (c *Component) Flags() []*Flag { return sorted(c.flags) }

// Gates returns every feature gate, sorted by name.
func (c *Component) Gates() []*Gate { return sorted(c.gates) }

func sorted[T any](m map[string]*T) []*T {
	out := make([]*T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// Supported lists the releases the linter targets, oldest first: "v1.35", "v1.36", "v1.37".
func Supported() []string { return names("data") }

// All lists every release there is a table for, the older ones of history/ included, oldest first.
func All() []string { return append(names("data/history"), Supported()...) }

func names(dir string) []string { return namesIn(data, dir) }

func namesIn(fsys embed.FS, dir string) []string {
	entries, _ := fsys.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, strings.TrimSuffix(e.Name(), ".tsv"))
		}
	}
	slices.SortFunc(out, func(a, b string) int { return minorOf(a) - minorOf(b) })
	return out
}

// loaded caches each release's table: a table is parsed once per process, on first use.
var loaded sync.Map // release name -> func() (*Release, error)

// Load returns the table of a release named as "v1.37", of All.
func Load(name string) (*Release, error) {
	once, ok := loaded.Load(name)
	if !ok {
		once, _ = loaded.LoadOrStore(name, sync.OnceValues(func() (*Release, error) { return parse(name) }))
	}
	return once.(func() (*Release, error))()
}

// ForVersion returns the table of the minor release of a Kubernetes version such as "v1.36.3"
// or "1.36", or false when there is none.
func ForVersion(v string) (*Release, bool) {
	v = strings.TrimPrefix(v, "v")
	rest, ok := strings.CutPrefix(v, "1.")
	if !ok {
		return nil, false
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	if end == 0 || end < len(rest) && rest[end] != '.' && rest[end] != '-' && rest[end] != '+' {
		return nil, false
	}
	r, err := Load("v1." + rest[:end])
	return r, err == nil
}

func parse(name string) (*Release, error) {
	file := path.Join("data", name+".tsv")
	if !slices.Contains(Supported(), name) {
		file = path.Join("data", "history", name+".tsv")
	}
	b, err := data.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("no flag tables for Kubernetes %s (have %s)", name, strings.Join(All(), ", "))
	}
	r := &Release{Minor: minorOf(name), components: map[string]*Component{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 {
			return nil, fmt.Errorf("%s:%d: want at least 4 fields, have %d", file, n, len(f))
		}
		if err := r.add(f); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
	}
	if r.Kubernetes == "" || r.Etcd == "" {
		return nil, fmt.Errorf("%s: no kubernetes or etcd release recorded", file)
	}
	if slices.Contains(Supported(), name) {
		sp, err := parseStaticPods(name)
		if err != nil {
			return nil, err
		}
		if sp.Kubernetes != r.Kubernetes {
			return nil, fmt.Errorf("the static Pod table of %s comes from %s, the flag table from %s: regenerate one", name, sp.Kubernetes, r.Kubernetes)
		}
		r.staticPods = sp
	}
	return r, nil
}

// field returns f[i], or "" past the end: trailing empty fields are kept by the generator, but
// a table edited by hand should fail on what matters, not on tabs.
func field(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}

func (r *Release) add(f []string) error {
	comp, kind, name := f[0], f[1], f[2]
	if comp == "release" {
		switch {
		case kind == "fact" && name == "kubernetes":
			r.Kubernetes = f[3]
		case kind == "fact" && name == "etcd":
			r.Etcd = f[3]
		}
		return nil
	}
	c := r.components[comp]
	if c == nil {
		c = &Component{Name: comp, flags: map[string]*Flag{}, gates: map[string]*Gate{}, normalize: wordSepNormalize}
		if comp == Etcd {
			c.normalize = func(s string) string { return s } // Go's flag package normalises nothing
		}
		r.components[comp] = c
	}
	switch kind {
	case "fact":
		if c.facts == nil {
			c.facts = map[string]string{}
		}
		c.facts[name] = f[3]
	case "flag":
		fl := &Flag{Name: name, Type: f[3], Impl: field(f, 4), Hidden: strings.Contains(field(f, 5), "h"), Deprecated: field(f, 7), component: comp, owner: c, kubernetes: r.Kubernetes}
		if v := field(f, 6); v != "" {
			fl.Values = strings.Split(v, ",")
		}
		c.flags[name] = fl
	case "gate":
		g := &Gate{Name: name, Stage: f[3], Default: field(f, 4) == "true", Locked: field(f, 5) == "true", Deprecation: field(f, 7)}
		if d := field(f, 6); d != "" {
			g.Requires = strings.Split(d, ",")
		}
		c.gates[name] = g
	case "values":
		if c.values == nil {
			c.values = map[string][]string{}
		}
		c.values[name] = []string{} // a set may be empty: an extension point no in-tree plugin implements
		if f[3] != "" {
			c.values[name] = strings.Split(f[3], ",")
		}
	case "gates":
		// "same-as OTHER": the component registers exactly OTHER's gates.
		other := r.components[f[3]]
		if name != "same-as" || other == nil {
			return fmt.Errorf("want gates same-as an earlier component, have %s %s", name, f[3])
		}
		c.gates = other.gates
	default:
		return fmt.Errorf("unknown line kind %q", kind)
	}
	return nil
}

// wordSepNormalize is component-base's WordSepNormalizeFunc, which every Kubernetes component
// sets on its flags: "--node_ip" is "--node-ip".
func wordSepNormalize(name string) string { return strings.ReplaceAll(name, "_", "-") }

func minorOf(name string) int {
	var major, minor int
	if _, err := fmt.Sscanf(name, "v%d.%d", &major, &minor); err != nil || major != 1 {
		return -1
	}
	return minor
}
