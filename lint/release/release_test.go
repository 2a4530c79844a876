package release

import (
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	logsapi "k8s.io/component-base/logs/api/v1"
	metricsfeatures "k8s.io/component-base/metrics/features"
	kcmfeatures "k8s.io/controller-manager/pkg/features"
	"k8s.io/kubernetes/cmd/kubeadm/app/features"
	_ "k8s.io/kubernetes/pkg/features" // registers the Kubernetes gates, as in the linter
)

var components = []string{APIServer, ControllerManager, Scheduler, Kubelet, KubeProxy, Etcd, Kubeadm}

// TestTables loads every table and checks that each describes what the rules need.
func TestTables(t *testing.T) {
	if got := Supported(); !slices.Equal(got, []string{"v1.35", "v1.36", "v1.37"}) {
		t.Errorf("Supported() = %q, want the releases kubeadm-lint targets", got)
	}
	if all := All(); len(all) <= len(Supported()) || !slices.Equal(all[len(all)-3:], Supported()) {
		t.Errorf("All() = %q, want older releases, then Supported()", all)
	}
	for _, name := range All() {
		r, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if r.Name() != name || !strings.HasPrefix(r.Kubernetes, name+".") || !strings.HasPrefix(r.Etcd, "v3.") {
			t.Errorf("%s: table of Kubernetes %s with etcd %s", name, r.Kubernetes, r.Etcd)
		}
		for _, c := range components {
			comp := r.Component(c)
			switch {
			case comp == nil:
				t.Errorf("%s: no table for %s", name, c)
			case c != Kubeadm && len(comp.Gates()) < 5:
				t.Errorf("%s: %s has %d feature gates", name, c, len(comp.Gates()))
			case c != Kubeadm && c != KubeProxy && len(comp.Flags()) < 50:
				t.Errorf("%s: %s has %d flags", name, c, len(comp.Flags()))
			}
		}
	}
}

// TestValueSets wants every set KL218 judges options by in each supported release's table.
func TestValueSets(t *testing.T) {
	want := map[string][]string{
		APIServer:         {"admission-plugins", "authorization-modes", "audit-modes", "audit-log-formats", "tls-versions", "tls-cipher-suites"},
		ControllerManager: {"controllers", "tls-versions", "tls-cipher-suites"},
		Scheduler:         {"tls-versions", "tls-cipher-suites"},
	}
	for _, name := range Supported() {
		r, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for c, sets := range want {
			for _, set := range sets {
				if v := r.Component(c).Values(set); len(v) < 2 || !slices.IsSorted(v) {
					t.Errorf("%s: %s's %s = %q: regenerate the table with hack/flags/gen.sh", name, c, set, v)
				}
			}
		}
	}
}

// TestValueTypes holds every flag type of every supported release to a parser: a type a new release brings
// must be taught to values, not skipped.
func TestValueTypes(t *testing.T) {
	for _, name := range Supported() {
		r, _ := Load(name)
		for _, c := range components {
			for _, f := range r.Component(c).Flags() {
				if !f.Known() {
					t.Errorf("%s %s --%s: no parser for %s (%s): add it to values", name, c, f.Name, f.Impl, f.Type)
				}
			}
		}
	}
}

// TestLinkedTable holds the table of the release the linter links to that code: a bump of
// k8s.io/kubernetes without 'make flags' fails here.
func TestLinkedTable(t *testing.T) {
	r, err := Load(Linked)
	if err != nil {
		t.Fatal(err)
	}
	// A test binary carries no module versions; go.mod is what the linter builds with.
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	have := ""
	if m := regexp.MustCompile(`(?m)^\s*k8s\.io/kubernetes (v\S+)`).FindSubmatch(gomod); m != nil {
		have = string(m[1])
	}
	if have != r.Kubernetes {
		t.Errorf("go.mod requires k8s.io/kubernetes %q, the %s table is of %s: run 'make flags'", have, Linked, r.Kubernetes)
	}

	kubeadm := map[string]Gate{}
	for name, f := range features.InitFeatureGates {
		kubeadm[name] = Gate{Name: name, Stage: stage(f.PreRelease), Default: f.Default, Locked: f.LockToDefault, Deprecation: f.DeprecationMessage}
	}
	compareGates(t, "kubeadm", r.Component(Kubeadm), kubeadm)

	// Packages of the kubelet that the linter does not link add these gates in their init.
	gate := utilfeature.DefaultMutableFeatureGate.DeepCopy()
	for _, add := range []func(featuregate.MutableVersionedFeatureGate) error{
		logsapi.AddFeatureGates, metricsfeatures.AddFeatureGates, kcmfeatures.SetupCurrentKubernetesSpecificFeatureGates,
	} {
		if err := add(gate); err != nil {
			t.Fatal(err)
		}
	}
	deps := gate.Dependencies()
	linked := map[string]Gate{}
	for name, spec := range gate.GetAll() {
		var requires []string
		for _, d := range deps[name] {
			requires = append(requires, string(d))
		}
		slices.Sort(requires)
		linked[string(name)] = Gate{Name: string(name), Stage: stage(spec.PreRelease), Default: spec.Default, Locked: spec.LockToDefault, Requires: requires}
	}
	compareGates(t, "kubelet", r.Component(Kubelet), linked)
}

// stage spells a prerelease as the tables do; featuregate's type for it is unexported.
func stage[P ~string](p P) string {
	if p == "" {
		return "GA"
	}
	return string(p)
}

func compareGates(t *testing.T, what string, c *Component, want map[string]Gate) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g := c.Gate(name)
		switch w := want[name]; {
		case g == nil:
			t.Errorf("%s: the linked code has gate %s, the table does not: run 'make flags'", what, name)
		case g.Stage != w.Stage || g.Default != w.Default || g.Locked != w.Locked || g.Deprecation != w.Deprecation || !slices.Equal(g.Requires, w.Requires):
			t.Errorf("%s: gate %s is %+v in the table, %+v in the linked code: run 'make flags'", what, name, *g, w)
		}
	}
	for _, g := range c.Gates() {
		if _, ok := want[g.Name]; !ok {
			t.Errorf("%s: the table has gate %s, the linked code does not: run 'make flags'", what, g.Name)
		}
	}
}

func TestForVersion(t *testing.T) {
	tests := map[string]struct {
		version string
		want    string // "" for none
	}{
		"a patch release":         {version: "v1.36.3", want: "v1.36"},
		"a minor without v":       {version: "1.35", want: "v1.35"},
		"a pre-release":           {version: "v1.37.0-rc.1", want: "v1.37"},
		"a release of history":    {version: "v1.34.2", want: "v1.34"},
		"a release with no table": {version: "v1.33.7"},
		"a label":                 {version: "stable"},
		"another major":           {version: "v2.36.0"},
		"digits run on":           {version: "v1.36x"},
		"empty":                   {version: ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r, ok := ForVersion(tt.version)
			got := ""
			if ok {
				got = r.Name()
			}
			if got != tt.want {
				t.Errorf("ForVersion(%q) = %q, want %q", tt.version, got, tt.want)
			}
		})
	}
}

func TestUpgradeFacts(t *testing.T) {
	// Every release the flag tables support has upgrade facts, and each fact names its source.
	for _, name := range Supported() {
		u, err := LoadUpgrade(name)
		if err != nil {
			t.Fatal(err)
		}
		if u.KubeletSkew < 1 || u.UpgradeSkew < 1 || u.CoreDNS == "" || u.Etcd == "" {
			t.Errorf("%s: incomplete facts %+v", name, u)
		}
		for fact, src := range u.Sources {
			if src == "" {
				t.Errorf("%s: fact %s names no source", name, fact)
			}
		}
		r, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if r.Kubernetes != u.Kubernetes {
			t.Errorf("%s: the upgrade facts come from %s, the flag table from %s: regenerate one", name, u.Kubernetes, r.Kubernetes)
		}
	}
	if _, err := LoadUpgrade("v1.99"); err == nil {
		t.Error("LoadUpgrade(v1.99): no error")
	}
}
