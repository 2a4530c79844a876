package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// TestUpgrade holds the file form of --upgrade-to to reporting what the target adds, and
// nothing that was already there.
func TestUpgrade(t *testing.T) {
	for _, c := range []struct {
		name, file string
		from       string
		upgrade    []string
		want       []string // rule@line
	}{
		{name: "a config clean at v1.36 gets what v1.37 removed", file: "v1.36.yaml", from: "v1.36", upgrade: []string{"v1.37"}, want: []string{"KL211@9", "KL208@12"}},
		{name: "a path names each step's findings once", file: "v1.36.yaml", from: "v1.35", upgrade: []string{"v1.36", "v1.37"}, want: []string{"KL211@9", "KL208@12"}},
		{name: "a finding the current release has is not repeated", file: "v1.36-overlap.yaml", from: "v1.36", upgrade: []string{"v1.37"}},
		{name: "no upgrade: every finding", file: "v1.36-overlap.yaml", from: "v1.36", want: []string{"KL101@8"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := pipeline.New(pipeline.Config{Rules: catalog.All(), WorkDir: t.TempDir(), Upgrade: c.upgrade, Flags: pipeline.Flags{KubernetesVersion: c.from}})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", "testdata", "upgrade", c.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Lint(context.Background(), lint.Source{Name: path, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Rule+"@"+strconv.Itoa(f.Pos.Line))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
				for _, f := range res.Findings {
					t.Logf("%s %s %s", f.Pos, f.Rule, f.Message)
				}
			}
		})
	}
}
