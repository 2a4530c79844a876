package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// FuzzPipeline runs the CLI's whole path, not only Lint: a settings file, a directory of several
// files, excludes and suppression comments, all from the fuzzer's bytes. The input is split at
// "\x00" into a settings file, then files; a file's first line names it (a path below the
// directory). Whatever the bytes, a run must not panic, must report only files it was given,
// sorted, must fail only through InputErrors or a bad settings file, and must say the same
// thing twice. 'make test' runs the seeds; 'make fuzz' mutates them.
func FuzzPipeline(f *testing.F) {
	good, err := os.ReadFile("../testdata/examples/cluster-good.yaml")
	if err != nil {
		f.Fatal(err)
	}
	bad, err := os.ReadFile("../testdata/examples/cluster-bad-v1beta4.yaml")
	if err != nil {
		f.Fatal(err)
	}
	join := func(parts ...string) []byte { return []byte(strings.Join(parts, "\x00")) }
	f.Add(join("", "a.yaml\n"+string(good)))
	f.Add(join("rules:\n  KL203: off\nexclude:\n- paths: [legacy]\n", "a.yaml\n"+string(bad), "legacy/b.yaml\n"+string(bad)))
	f.Add(join("exclude:\n- rules: [KL008]\n  paths: [sub]\n", "sub/c.yml\n"+string(bad), "init.sh\nkubeadm init --config x.yaml --ignore-preflight-errors=all\n"))
	f.Add(join("reportUnusedIgnores: true\n", "d.yaml\n# kubeadm-lint:ignore KL203 reason\n"+string(bad), "e.yaml\n---\n---\n"))
	f.Add(join("kubernetesVersion: v1.35\nfailOn: warning\n", "f.yaml\n"+string(good)+"---\n"+string(bad), "g.yaml\n\xef\xbb\xbfkind: x\n"))
	f.Add(join("rules: [", "h.yaml\n{"))

	rs := catalog.All()
	f.Fuzz(func(t *testing.T, data []byte) {
		parts := bytes.Split(data, []byte{0})
		if len(parts) > 12 {
			parts = parts[:12]
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ".kubeadm-lint.yaml"), parts[0], 0o644); err != nil {
			t.Fatal(err)
		}
		given := map[string]bool{}
		for i, p := range parts[1:] {
			name, body, _ := bytes.Cut(p, []byte("\n"))
			rel := filepath.Clean(string(name))
			if !filepath.IsLocal(rel) || rel == ".kubeadm-lint.yaml" || strings.ContainsAny(rel, "\\:*?\"<>|\r") {
				rel = fmt.Sprintf("f%d.yaml", i)
			}
			path := filepath.Join(dir, rel)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				continue // a name below a file of the same name: not written
			}
			if err := os.WriteFile(path, body, 0o644); err != nil {
				continue
			}
			given[filepath.ToSlash(rel)] = true
		}
		t.Chdir(dir)
		run := func() *pipeline.Run {
			p, err := pipeline.New(pipeline.Config{Rules: rs})
			if err != nil {
				return nil // a bad settings file: the CLI exits 2 with it
			}
			return p.Run(context.Background(), []string{"."})
		}
		first := run()
		if first == nil {
			return
		}
		for _, err := range first.Errors {
			var ie *lint.InputError
			if !errors.As(err, &ie) && !strings.Contains(err.Error(), "no kubeadm, kubelet or kube-proxy configuration") {
				t.Errorf("an error that is not an input error: %v", err)
			}
			if strings.Contains(err.Error(), "internal error") {
				t.Errorf("the core crashed: %v", err)
			}
		}
		fs := first.Report.Findings
		if !slices.IsSortedFunc(fs, func(a, b lint.Finding) int { return comparePos(a.Pos, b.Pos) }) {
			t.Error("findings are not sorted by position")
		}
		for _, f := range fs {
			if !given[filepath.ToSlash(f.Pos.File)] {
				t.Errorf("a finding in %q, which is not one of the files: %s %s", f.Pos.File, f.Rule, f.Message)
			}
		}
		if second := run(); !reflect.DeepEqual(summary(first), summary(second)) {
			t.Errorf("two runs differ:\n%v\n%v", summary(first), summary(second))
		}
	})
}

func comparePos(a, b lint.Position) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	return a.Column - b.Column
}

// summary is what a run says, without the parse it came from.
func summary(r *pipeline.Run) []string {
	var out []string
	for _, f := range r.Report.Findings {
		out = append(out, fmt.Sprintf("%s %s %s %s", f.Pos, f.Rule, f.Severity, f.Message))
	}
	for _, e := range r.Errors {
		out = append(out, e.Error())
	}
	return append(out, fmt.Sprintf("%+v", r.Report.Summary))
}
