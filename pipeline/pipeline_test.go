package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// TestDiscover: the walk's choices, as a library user sees them: what is an input, what the
// settings exclude (counted, never opened), and what is left out uncounted.
func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		".kubeadm-lint.yaml": "exclude:\n- paths: [legacy]\n",
		"a.yaml":             "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
		"b.yml":              "x: 1\n",
		"init.sh":            "kubeadm init\n",
		"notes.md":           "not an input\n",
		"legacy/old.yaml":    "not read\n",
		".hidden/c.yaml":     "not walked\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	p, err := pipeline.New(pipeline.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	in := p.Discover([]string{"."})
	var names []string
	for _, i := range in.List {
		names = append(names, i.Name)
		if !i.Walked || i.Script != (i.Name == "init.sh") {
			t.Errorf("%s: walked %v, script %v", i.Name, i.Walked, i.Script)
		}
	}
	if want := []string{"a.yaml", "b.yml", "init.sh"}; !slices.Equal(names, want) || in.Excluded != 1 || len(in.Errors) > 0 {
		t.Errorf("inputs %v, %d excluded, errors %v; want %v and 1 excluded", names, in.Excluded, in.Errors, want)
	}
	run := p.Run(context.Background(), []string{"."})
	if s := run.Report.Summary; s.Files != 3 || s.Documents != 1 || len(run.Errors) > 0 {
		t.Errorf("summary %+v, errors %v; want 3 files, 1 document", s, run.Errors)
	}
}
