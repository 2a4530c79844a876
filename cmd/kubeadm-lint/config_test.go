package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestConfigCLI runs the CLI in a temporary copy of a project under testdata/config, from a
// working directory inside it, so that .kubeadm-lint.yaml is found by walking up as it would be
// in a user's checkout. The goldens are in testdata/config/golden; -update rewrites them.
func TestConfigCLI(t *testing.T) {
	tests := map[string]struct {
		project string // directory under testdata/config to copy
		cwd     string // working directory inside the copy
		args    []string
	}{
		"found by walking up":          {project: "project", cwd: "clusters", args: []string{"."}},
		"whole project":                {project: "project", cwd: ".", args: []string{"."}},
		"found in the directory":       {project: "project", cwd: ".", args: []string{"clusters", "scripts"}},
		"fail-on from the file":        {project: "project", cwd: "clusters", args: []string{"lab-1.yaml"}},
		"fail-on flag wins":            {project: "project", cwd: "clusters", args: []string{"--fail-on", "error", "lab-1.yaml"}},
		"kubernetes-version flag wins": {project: "project", cwd: "clusters", args: []string{"--kubernetes-version", "v1.37", "prod.yaml"}},
		"unused ignores":               {project: "project", cwd: "clusters", args: []string{"--report-unused-ignores", ".", "../scripts"}},
		"explicit file":                {project: "project", cwd: "clusters", args: []string{"--config", "../settings/strict.yaml", "."}},
		"explicit file missing":        {project: "project", cwd: "clusters", args: []string{"--config", "nope.yaml", "."}},
		"excluded path named":          {project: "project", cwd: ".", args: []string{"legacy/broken.yaml"}},
		"unknown key":                  {project: "bad", cwd: ".", args: []string{"cluster.yaml"}},
		"unknown key in explicit file": {project: "project", cwd: ".", args: []string{"--config", "../bad/.kubeadm-lint.yaml", "clusters"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			src, err := filepath.Abs(filepath.Join(root, "testdata", "config"))
			if err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			copyTree(t, filepath.Join(src, tt.project), filepath.Join(tmp, tt.project))
			// The bad project sits beside the good one, for --config ../bad/...
			if tt.project != "bad" {
				copyTree(t, filepath.Join(src, "bad"), filepath.Join(tmp, "bad"))
			}
			t.Chdir(filepath.Join(tmp, tt.project, tt.cwd))
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
			got := "$ cd " + filepath.ToSlash(filepath.Join(tt.project, tt.cwd)) + " && kubeadm-lint " + strings.Join(tt.args, " ") + "\n" +
				stdout.String() + "--- stderr\n" + stderr.String() + "--- exit " + string(rune('0'+code)) + "\n"
			golden := filepath.Join(src, "golden", strings.ReplaceAll(name, " ", "-")+".golden")
			checkGolden(t, golden, got)
		})
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFixHonoursSettings: fix reads .kubeadm-lint.yaml as lint does, so that it rewrites only
// what lint reports: not for a rule turned off, not in an excluded path, and for the settings'
// target release.
func TestFixHonoursSettings(t *testing.T) {
	const frozen = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nimageRepository: k8s.gcr.io\n"
	tests := []struct {
		name     string
		settings string
		files    map[string]string
		args     []string
		fixed    []string // files fix must rewrite; every other file stays as it was
	}{
		{
			name:     "a rule turned off offers no fix",
			settings: "rules:\n  KL205: off\n",
			files:    map[string]string{"c.yaml": frozen},
			args:     []string{"c.yaml"},
		},
		{
			name:     "an excluded directory is not fixed",
			settings: "exclude:\n- paths: [legacy]\n",
			files:    map[string]string{"legacy/c.yaml": frozen, "c.yaml": frozen},
			args:     []string{"."},
			fixed:    []string{"c.yaml"},
		},
		{
			name:     "a rule excluded for a path is not fixed there",
			settings: "exclude:\n- paths: [lab-*.yaml]\n  rules: [KL205]\n",
			files:    map[string]string{"lab-1.yaml": frozen, "prod.yaml": frozen},
			args:     []string{"lab-1.yaml", "prod.yaml"},
			fixed:    []string{"prod.yaml"},
		},
		{
			name:     "the settings' kubernetesVersion is the target",
			settings: "kubernetesVersion: v1.36\n", // kubeadm v1.36 cannot read kubeadm.k8s.io/v1 at all
			files:    map[string]string{"c.yaml": strings.Replace(frozen, "v1beta4", "v1", 1)},
			args:     []string{"c.yaml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{".kubeadm-lint.yaml": tt.settings})
			writeFiles(t, dir, tt.files)
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), append([]string{"fix"}, tt.args...), strings.NewReader(""), &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, &stderr)
			}
			for name, was := range tt.files {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				if changed := string(data) != was; changed != slices.Contains(tt.fixed, name) {
					t.Errorf("%s: rewritten %v, want %v; now:\n%s", name, changed, !changed, data)
				}
			}
		})
	}
}

// TestExcludedFilesAreNotRead: a file that the settings exclude for every rule is never opened,
// so one that is too large or cannot be read does not fail the run.
func TestExcludedFilesAreNotRead(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".kubeadm-lint.yaml": "exclude:\n- paths: [legacy, big.yaml]\n",
		"cluster.yaml":       "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
		"legacy/big.yaml":    strings.Repeat("# padding\n", 500_000), // 5 MB, over the limit
		"big.yaml":           strings.Repeat("# padding\n", 500_000),
	})
	// Root reads any file whatever its mode, so a dangling link stands for one that cannot be read.
	if err := os.Symlink("nowhere.yaml", filepath.Join(dir, "legacy", "gone.yaml")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, args := range [][]string{{"."}, {"cluster.yaml", "big.yaml", "legacy"}, {"fix", "."}, {"fix", "big.yaml", "legacy/gone.yaml", "cluster.yaml"}} {
		var stdout, stderr bytes.Buffer
		// A file or directory named on the command line is said to be excluded, in one line.
		var other []string
		code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
		for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if line != "" && !strings.HasSuffix(line, ": not linted: .kubeadm-lint.yaml excludes it") {
				other = append(other, line)
			}
		}
		if code != exitOK || len(other) > 0 {
			t.Errorf("kubeadm-lint %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, &stderr)
		}
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
