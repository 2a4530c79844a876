package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestDiscoverFollowsDirectoryLinks: a link to a directory met in a walk is followed, once: a
// link into the walked tree adds nothing twice, and a link to an ancestor is an error, not a loop.
func TestDiscoverFollowsDirectoryLinks(t *testing.T) {
	base := t.TempDir()
	for _, name := range []string{"repo/clusters/prod/kubeadm.yaml", "shared/common.yaml"} {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"repo/shared":          "../shared",  // outside the tree: followed
		"repo/current":         "clusters",   // inside it: walked there already
		"repo/clusters/loop":   "..",         // an ancestor: an error
		"shared/back-to-start": "../shared/", // the linked directory itself, met inside it
	} {
		if err := os.Symlink(target, filepath.Join(base, link)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(base)
	p, err := pipeline.New(pipeline.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	in := p.Discover([]string{"repo"})
	var names, errs []string
	for _, i := range in.List {
		names = append(names, i.Name)
	}
	for _, err := range in.Errors {
		errs = append(errs, err.Error())
	}
	want := []string{"repo/clusters/prod/kubeadm.yaml", "repo/shared/common.yaml"}
	if !slices.Equal(names, want) {
		t.Errorf("inputs %v, want %v", names, want)
	}
	if len(errs) != 2 || !strings.Contains(errs[0], "repo/clusters/loop") || !strings.Contains(errs[1], "back-to-start") {
		t.Errorf("errors %q, want one for each link to a directory the walk is in", errs)
	}
}
