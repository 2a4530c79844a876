package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFixCLI runs 'kubeadm-lint fix' in-process on copies of testdata/fix and compares stdout,
// stderr and the exit code with testdata/fix/cli/NAME.golden. Files named in files are written
// to a temporary directory first, which is the working directory of the run.
func TestFixCLI(t *testing.T) {
	tests := map[string]struct {
		args  []string
		files map[string]string // name in the run's directory: testdata/fix file, or content
		stdin string
	}{
		"diff of every fix": {
			args:  []string{"fix", "--diff", "all-fixes.yaml"},
			files: map[string]string{"all-fixes.yaml": "@all-fixes.yaml"},
		},
		"diff with nothing to change": {
			args:  []string{"fix", "--diff", "clean.yaml"},
			files: map[string]string{"clean.yaml": "@clean.yaml"},
		},
		"diff of a migration": {
			args:  []string{"fix", "--migrate", "--diff", "--kubernetes-version", "v1.36", "migrate-and-fix.yaml"},
			files: map[string]string{"migrate-and-fix.yaml": "@migrate-and-fix.yaml"},
		},
		"fixes written in place": {
			args: []string{"fix", "--kubernetes-version", "v1.36", "."},
			files: map[string]string{
				"all-fixes.yaml": "@all-fixes.yaml", "v1beta3-fixes.yaml": "@v1beta3-fixes.yaml", "clean.yaml": "@clean.yaml",
				"run.sh": "kubeadm init --config all-fixes.yaml\n",
			},
		},
		"a migration written in place": {
			args:  []string{"fix", "--migrate", "--kubernetes-version", "v1.36", "migrate-and-fix.yaml"},
			files: map[string]string{"migrate-and-fix.yaml": "@migrate-and-fix.yaml"},
		},
		"standard input to standard output": {
			args:  []string{"fix", "-"},
			stdin: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nimageRepository: k8s.gcr.io # old\n",
		},
		"a file that is not YAML is not written": {
			args:  []string{"fix", "broken.yaml", "clean.yaml"},
			files: map[string]string{"broken.yaml": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: [\n", "clean.yaml": "@clean.yaml"},
		},
		"a document kubeadm cannot read is not migrated": {
			args:  []string{"fix", "--migrate", "unknown-field.yaml"},
			files: map[string]string{"unknown-field.yaml": "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nimageRepository: k8s.gcr.io\ndns:\n  type: CoreDNS\n"},
		},
		"every unknown field of a document is named": {
			args:  []string{"fix", "--migrate", "unknown-fields.yaml"},
			files: map[string]string{"unknown-fields.yaml": "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nfoo: 1\nbar: 2\nnetworking:\n  baz: 3\n"},
		},
		"a file with a v1beta2 document beside a v1beta3 one is not migrated": {
			args: []string{"fix", "--migrate", "mixed.yaml"},
			files: map[string]string{"mixed.yaml": "apiVersion: kubeadm.k8s.io/v1beta2\nkind: InitConfiguration\n---\n" +
				"apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    audit-log-maxage: \"30\"\n"},
		},
		"fixes of a value shared through an anchor are skipped": {
			args:  []string{"fix", "anchor.yaml"},
			files: map[string]string{"anchor.yaml": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nimageRepository: &repo k8s.gcr.io\ndns:\n  imageRepository: *repo\n"},
		},
		"a missing path": {
			args:  []string{"fix", "no-such-file.yaml"},
			files: map[string]string{},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			written := map[string]string{}
			for file, content := range tt.files {
				if src, ok := strings.CutPrefix(content, "@"); ok {
					data, err := os.ReadFile(filepath.Join(root, "testdata/fix", src))
					if err != nil {
						t.Fatal(err)
					}
					content = string(data)
				}
				if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				written[file] = content
			}
			goldens, err := filepath.Abs(filepath.Join(root, "testdata/fix"))
			if err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			got := "$ kubeadm-lint " + strings.Join(tt.args, " ") + "\n" + stdout.String() +
				"--- stderr\n" + stderr.String() + "--- exit " + string(rune('0'+code)) + "\n"
			var files []string
			for file := range written {
				files = append(files, file)
			}
			slices.Sort(files)
			for _, file := range files {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case string(data) == written[file]:
				case slices.Contains(tt.args, "--diff"):
					t.Errorf("--diff wrote %s", file)
				default:
					got += "--- " + file + " afterwards\n" + string(data)
				}
			}
			golden := filepath.Join(goldens, "cli", strings.ReplaceAll(name, " ", "-")+".golden")
			checkGolden(t, golden, got)
		})
	}
}

// TestFixEveryFinding: with more findings of one rule than a lint run shows (MaxFindingsPerRule),
// fix must fix them all, not take the ones hidden before for new ones and refuse.
func TestFixEveryFinding(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  certSANs:\n")
	for i := range 101 {
		b.WriteString("  - https://host-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26) + ".example.com\n")
	}
	path := filepath.Join(t.TempDir(), "sans.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"fix", path}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "https://"); n != 0 {
		t.Errorf("%d of 101 schemes left after fix:\n%s", n, data)
	}
	if n := strings.Count(stdout.String(), "KL402"); n != 101 {
		t.Errorf("%d fixes reported, want 101", n)
	}
}
