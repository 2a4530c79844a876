package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
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
