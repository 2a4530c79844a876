package fix_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/fix"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// edit is what the test rule offers: it reports path until the value there is want, or until
// the path is gone when want is deleted.
type edit struct {
	path  string
	value any
	del   bool
}

// testRule offers one fix per edit, or, with several, one finding offering them all.
func testRule(edits []edit, together bool) *lint.Rule {
	pending := func(d *lint.Document, e edit) bool {
		n := d.Lookup(e.path)
		if e.del {
			return n != nil
		}
		return n == nil || n.Value != e.value
	}
	return &lint.Rule{
		ID: "KL999", Name: "test", Summary: "test", Severity: lint.SeverityWarning,
		Kinds: []string{lint.KindCluster},
		Run: func(p *lint.Pass) {
			var fixes []lint.Fix
			for _, e := range edits {
				if !pending(p.Doc, e) {
					continue
				}
				f := lint.Fix{Message: "test", Edits: []lint.Edit{{Path: e.path, Value: e.value, Delete: e.del}}}
				if together {
					fixes = append(fixes, f)
					continue
				}
				p.Report(p.Doc, lint.Finding{Path: e.path, Message: "test " + e.path, Fixes: []lint.Fix{f}})
			}
			if len(fixes) > 0 {
				p.Report(p.Doc, lint.Finding{Path: edits[0].path, Message: "test", Fixes: fixes})
			}
		},
	}
}

const head = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"

// forbidden stands for a rule that the result of another rule's fix breaks.
var forbidden = &lint.Rule{
	ID: "KL998", Name: "forbidden", Summary: "test", Severity: lint.SeverityError,
	Kinds: []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		if n := p.Doc.Lookup("clusterName"); n != nil && n.Value == "forbidden" {
			p.Reportf("clusterName", "forbidden name")
		}
	},
}

// TestFixEdits applies fixes of a test rule to layouts that splicing must get right, and to
// cases where a fix must be skipped.
func TestFixEdits(t *testing.T) {
	tests := map[string]struct {
		in       string
		edits    []edit
		together bool   // one finding offering every edit as an alternative
		want     string // the fixed text; empty when nothing changes
		skip     string // part of the reason a fix is skipped
		err      string // part of the error that leaves the file alone
	}{
		"a plain value is replaced and its comment kept": {
			in:    head + "clusterName: old # the name\nimageRepository: x\n",
			edits: []edit{{path: "clusterName", value: "new"}},
			want:  head + "clusterName: new # the name\nimageRepository: x\n",
		},
		"a double-quoted value stays double-quoted": {
			in:    head + "clusterName: \"old\"\n",
			edits: []edit{{path: "clusterName", value: "new"}},
			want:  head + "clusterName: \"new\"\n",
		},
		"a single-quoted value stays single-quoted": {
			in:    head + "clusterName: 'old'\n",
			edits: []edit{{path: "clusterName", value: "it's"}},
			want:  head + "clusterName: 'it''s'\n",
		},
		"a value that would read as a number is quoted": {
			in:    head + "kubernetesVersion: v1.36.0\n",
			edits: []edit{{path: "kubernetesVersion", value: "1.36"}},
			want:  head + "kubernetesVersion: \"1.36\"\n",
		},
		"a block scalar becomes one line": {
			in:    head + "clusterName: |\n  old\n  text\ncertificatesDir: /pki\n",
			edits: []edit{{path: "clusterName", value: "new"}},
			want:  head + "clusterName: new\ncertificatesDir: /pki\n",
		},
		"an element of a flow sequence is replaced": {
			in:    head + "apiServer:\n  certSANs: [a.example.com, \"b.example.com:6443\"]\n",
			edits: []edit{{path: "apiServer.certSANs[1]", value: "b.example.com"}},
			want:  head + "apiServer:\n  certSANs: [a.example.com, \"b.example.com\"]\n",
		},
		"text before the value that is not ASCII keeps the offsets right": {
			in:    head + "clusterName: \"集群\" # 名字\nimageRepository: k8s.gcr.io # 镜像\n",
			edits: []edit{{path: "imageRepository", value: "registry.k8s.io"}},
			want:  head + "clusterName: \"集群\" # 名字\nimageRepository: registry.k8s.io # 镜像\n",
		},
		"a file with CRLF line breaks keeps them": {
			in:    strings.ReplaceAll(head+"clusterName: old\r\nimageRepository: x\n", "\n", "\r\n"),
			edits: []edit{{path: "clusterName", value: "new"}},
			want:  strings.ReplaceAll(head+"clusterName: new\r\nimageRepository: x\n", "\n", "\r\n"),
		},
		"an entry is removed with its line and the comment above stays": {
			in:    head + "apiServer:\n  # SANs\n  certSANs: [a]\n  extraArgs: []\nclusterName: c\n",
			edits: []edit{{path: "apiServer.certSANs", del: true}},
			want:  head + "apiServer:\n  # SANs\n  extraArgs: []\nclusterName: c\n",
		},
		"removing the only entry leaves an empty mapping": {
			in:    head + "apiServer: # the API server\n  certSANs:\n  - a\nclusterName: c\n",
			edits: []edit{{path: "apiServer.certSANs", del: true}},
			want:  head + "apiServer: {} # the API server\nclusterName: c\n",
		},
		"removing an entry from a flow mapping takes its comma": {
			in:    head + "networking: {podSubnet: 10.244.0.0/16, dnsDomain: cluster.local}\n",
			edits: []edit{{path: "networking.podSubnet", del: true}},
			want:  head + "networking: {dnsDomain: cluster.local}\n",
		},
		"removing the last entry of a flow mapping takes the comma before it": {
			in:    head + "networking: {podSubnet: 10.244.0.0/16, dnsDomain: cluster.local}\n",
			edits: []edit{{path: "networking.dnsDomain", del: true}},
			want:  head + "networking: {podSubnet: 10.244.0.0/16}\n",
		},
		"a value in a v1beta3 extraArgs map is edited where it is written": {
			in:    "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    v: \"2\"\n    audit-log-maxage: \"30\" # days\n",
			edits: []edit{{path: "apiServer.extraArgs[0].value", value: "7"}},
			want:  "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    v: \"2\"\n    audit-log-maxage: \"7\" # days\n",
		},
		"removing an item of v1beta3 extraArgs, which the linter reads as a list, removes the map entry": {
			in:    "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    v: \"2\"\n",
			edits: []edit{{path: "apiServer.extraArgs[0]", del: true}},
			want:  "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs: {}\n",
		},
		"two fixes of one value are not both applied": {
			in:    head + "clusterName: old\n",
			edits: []edit{{path: "clusterName", value: "one"}, {path: "clusterName", value: "two"}},
			want:  head + "clusterName: one\n",
			skip:  "another fix changes it",
		},
		"a finding with two fixes is left to a person": {
			in:       head + "clusterName: old\n",
			edits:    []edit{{path: "clusterName", value: "one"}, {path: "clusterName", value: "two"}},
			together: true,
			skip:     "several fixes",
		},
		"a value shared through an anchor is not edited": {
			in:    head + "imageRepository: &repo k8s.gcr.io\ndns:\n  imageRepository: *repo\n",
			edits: []edit{{path: "dns.imageRepository", value: "registry.k8s.io"}},
			skip:  "anchor",
		},
		"a value with an explicit tag is not edited": {
			in:    head + "clusterName: !!str old\n",
			edits: []edit{{path: "clusterName", value: "new"}},
			skip:  "explicit tag",
		},
		"a multi-line plain value is not edited": {
			in:    head + "clusterName: a\n  b\n",
			edits: []edit{{path: "clusterName", value: "new"}},
			skip:  "multi-line plain scalar",
		},
		"a fix that would raise a new finding leaves the file alone": {
			in:    head + "clusterName: old\n",
			edits: []edit{{path: "clusterName", value: "forbidden"}},
			err:   "would raise KL998",
		},
		"a finding suppressed by an ignore comment is not fixed": {
			in:    head + "clusterName: old # kubeadm-lint:ignore KL999 the old name stays\n",
			edits: []edit{{path: "clusterName", value: "new"}},
		},
		"a value on the first line after a byte order mark": {
			in:    "\ufeffclusterName: old\n" + head,
			edits: []edit{{path: "clusterName", value: "new"}},
			want:  "\ufeffclusterName: new\n" + head,
		},
		"a field that is not written is not added": {
			in:    head + "clusterName: c\n",
			edits: []edit{{path: "networking.dnsDomain", value: "cluster.local"}},
			skip:  "not written",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := lint.New(lint.Config{Rules: []*lint.Rule{testRule(tt.edits, tt.together), forbidden}, Options: lint.Options{KubernetesVersion: "v1.36"}})
			if err != nil {
				t.Fatal(err)
			}
			f, err := fix.New(fix.Config{Linter: l, Fixes: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.Fix(context.Background(), lint.Source{Name: "in.yaml", Data: []byte(tt.in)})
			if tt.err != "" || err != nil {
				if err == nil || tt.err == "" || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Fix returned %v, want an error with %q", err, tt.err)
				}
				return
			}
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if string(res.After) != want {
				t.Errorf("fixed text:\n%s\nwant:\n%s", res.After, want)
			}
			var reasons []string
			for _, s := range res.Skipped {
				reasons = append(reasons, s.Reason)
			}
			if got := strings.Join(reasons, "; "); !strings.Contains(got, tt.skip) || tt.skip == "" && got != "" {
				t.Errorf("skipped %q, want a reason with %q", got, tt.skip)
			}
		})
	}
}

// TestFixGoldens fixes each testdata/fix/*.yaml with every rule, migrating the files whose
// name starts with migrate-, and compares the text with NAME.golden and the diff with NAME.diff.
func TestFixGoldens(t *testing.T) {
	files, err := filepath.Glob("../testdata/fix/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files in testdata/fix (%v)", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			f := newFixer(t, fix.Config{Fixes: true, Migrate: strings.HasPrefix(name, "migrate-")}, "v1.36")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := f.Fix(context.Background(), lint.Source{Name: name + ".yaml", Data: data})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(file, ".yaml")+".golden", res.After)
			golden(t, strings.TrimSuffix(file, ".yaml")+".diff", fix.Diff(name+".yaml", res.Before, res.After))
		})
	}
}

// TestFixTwiceIsFixOnce fixes and migrates every YAML file under testdata, then does it again:
// the second run must change nothing.
func TestFixTwiceIsFixOnce(t *testing.T) {
	var files []string
	filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".golden")) {
			files = append(files, path)
		}
		return nil
	})
	if len(files) < 100 {
		t.Fatalf("only %d files under testdata", len(files))
	}
	f := newFixer(t, fix.Config{Fixes: true, Migrate: true}, "v1.36")
	changed := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		once, err := f.Fix(context.Background(), lint.Source{Name: file, Data: data, Walked: true})
		var inputErr *lint.InputError
		if errors.As(err, &inputErr) || err != nil && strings.Contains(err.Error(), "not migrated") {
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if once.Changed() {
			changed++
		}
		twice, err := f.Fix(context.Background(), lint.Source{Name: file, Data: once.After, Walked: true})
		if err != nil || twice.Changed() {
			t.Errorf("%s: a second run changes the file again (%v):\n%s", file, err, fix.Diff(file, once.After, twice.After))
		}
	}
	t.Logf("%d files, %d changed", len(files), changed)
	if changed < 20 {
		t.Errorf("only %d files changed on the first run: the test proves little", changed)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fix -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("differs from %s (rerun with -update if the change is intended):\n%s", path, fix.Diff(filepath.Base(path), want, got))
	}
}
