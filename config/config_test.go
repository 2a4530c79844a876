package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

func TestParse(t *testing.T) {
	yes := true
	tests := map[string]struct {
		src     string
		want    *config.File // Path and Dir are not compared
		wantErr string
	}{
		"an empty file sets nothing": {
			src:  "# nothing yet\n",
			want: &config.File{},
		},
		"every setting": {
			src: `kubernetesVersion: v1.36
hostProfile: immutable-usr
cni: calico
failOn: warning
reportUnusedIgnores: true
rules:
  KL203: off
  kl101: info
exclude:
- paths: [legacy/, "**/*.tmpl.yaml"]
- paths: [clusters/lab/*.yaml]
  rules: [KL107, KL108]
`,
			want: &config.File{
				KubernetesVersion:   "v1.36",
				HostProfile:         "immutable-usr",
				CNI:                 "calico",
				FailOn:              lint.SeverityWarning,
				ReportUnusedIgnores: &yes,
				Severity:            map[string]lint.Severity{"KL101": lint.SeverityInfo},
				Disabled:            map[string]bool{"KL203": true},
				Exclude: []config.Exclude{
					{Paths: []string{"legacy", "**/*.tmpl.yaml"}},
					{Paths: []string{"clusters/lab/*.yaml"}, Rules: []string{"KL107", "KL108"}},
				},
			},
		},
		"a retired rule ID names the rule that took it over": {
			src:  "rules:\n  KL308: off\nexclude:\n- paths: [a]\n  rules: [kl308]\n",
			want: &config.File{Disabled: map[string]bool{"KL207": true}, Exclude: []config.Exclude{{Paths: []string{"a"}, Rules: []string{"KL207"}}}},
		},
		"an unknown key names its line": {
			src:     "failOn: error\nrules:\n  KL203: off\ndisabel: [KL203]\n",
			wantErr: `.kubeadm-lint.yaml:4: unknown key "disabel"`,
		},
		"an unknown rule in rules": {
			src:     "rules:\n  KL203: off\n  KL999: warning\n",
			wantErr: `.kubeadm-lint.yaml:3: unknown rule "KL999"`,
		},
		"a rule name instead of an ID": {
			src:     "rules:\n  control-plane-endpoint: off\n",
			wantErr: `.kubeadm-lint.yaml:2: unknown rule "control-plane-endpoint"`,
		},
		"an unknown rule in an exclude": {
			src:     "exclude:\n- paths: [a]\n  rules:\n  - KL101\n  - KL1O1\n",
			wantErr: `.kubeadm-lint.yaml:5: unknown rule "KL1O1"`,
		},
		"a rule setting that is neither off nor a severity": {
			src:     "rules:\n  KL203: disabled\n",
			wantErr: `.kubeadm-lint.yaml:2: rules.KL203: want off, error, warning or info, got "disabled"`,
		},
		"an unknown failOn": {
			src:     "failOn: fatal\n",
			wantErr: `.kubeadm-lint.yaml:1: failOn: unknown severity "fatal"`,
		},
		"a kubernetesVersion that is not a release": {
			src:     "kubernetesVersion: latest\n",
			wantErr: `.kubeadm-lint.yaml:1: kubernetesVersion: invalid kubernetes version "latest"`,
		},
		"a kubernetesVersion the linter has no tables for": {
			src:     "kubernetesVersion: v1.34\n",
			wantErr: `.kubeadm-lint.yaml:1: kubernetesVersion: unsupported kubernetes version "v1.34": kubeadm-lint knows v1.`,
		},
		"an unknown CNI": {
			src:     "cni: weave\n",
			wantErr: `.kubeadm-lint.yaml:1: cni: unknown value "weave" (want one of flannel, calico, cilium)`,
		},
		"an unknown host profile": {
			src:     "hostProfile: coreos\n",
			wantErr: `.kubeadm-lint.yaml:1: hostProfile: unknown value "coreos"`,
		},
		"reportUnusedIgnores as a number": {
			src:     "reportUnusedIgnores: 1\n",
			wantErr: `.kubeadm-lint.yaml:1: reportUnusedIgnores: want true or false, got "1"`,
		},
		"rules as a list": {
			src:     "rules: [KL203]\n",
			wantErr: `.kubeadm-lint.yaml:1: rules: want a mapping`,
		},
		"a key given twice": {
			src:     "failOn: error\nfailOn: warning\n",
			wantErr: `.kubeadm-lint.yaml:2: key "failOn" appears twice`,
		},
		"an exclude without paths": {
			src:     "exclude:\n- rules: [KL203]\n",
			wantErr: `.kubeadm-lint.yaml:2: exclude item needs paths`,
		},
		"an exclude with a misspelt key": {
			src:     "exclude:\n- path: [a]\n",
			wantErr: `.kubeadm-lint.yaml:2: unknown key "path" in exclude`,
		},
		"an exclude path that is a single string": {
			src:     "exclude:\n- paths: legacy\n",
			wantErr: `.kubeadm-lint.yaml:2: exclude.paths: want a list`,
		},
		"a malformed glob": {
			src:     "exclude:\n- paths: [\"a/[b\"]\n",
			wantErr: `.kubeadm-lint.yaml:2: exclude path "a/[b": syntax error in pattern`,
		},
		"an absolute exclude path": {
			src:     "exclude:\n- paths: [/etc/kubernetes]\n",
			wantErr: `.kubeadm-lint.yaml:2: exclude path "/etc/kubernetes": want a glob relative to`,
		},
		"an exclude path outside the directory": {
			src:     "exclude:\n- paths: [../other]\n",
			wantErr: `.kubeadm-lint.yaml:2: exclude path "../other": ".." cannot match`,
		},
		"a list at the top": {
			src:     "- failOn: error\n",
			wantErr: `.kubeadm-lint.yaml:1: the file: want a mapping`,
		},
		"a thousand globs aliased a thousand times: a million globs from 24 KB": {
			src: "exclude:\n- paths: &p [" + strings.TrimSuffix(strings.Repeat("a/b/*.yaml, ", 1000), ", ") + "]\n" +
				strings.Repeat("- paths: *p\n", 999),
			wantErr: `.kubeadm-lint.yaml:11: YAML aliases expand the file by more than its own size plus 64 KiB`,
		},
		"an alias that adds less than the file's own size is read": {
			src:  "exclude:\n- paths: &p [a, b]\n- paths: *p\n  rules: [KL203]\n",
			want: &config.File{Exclude: []config.Exclude{{Paths: []string{"a", "b"}}, {Paths: []string{"a", "b"}, Rules: []string{"KL203"}}}},
		},
		"a second YAML document is refused, not ignored": {
			src:     "failOn: error\n---\nfailOn: warning\n",
			wantErr: `.kubeadm-lint.yaml:3: a second YAML document`,
		},
		"a trailing separator is no second document": {
			src:  "failOn: warning\n---\n",
			want: &config.File{FailOn: lint.SeverityWarning},
		},
		"invalid YAML names its line": {
			src:     "failOn: error\nrules:\n  KL203: off\n    KL101: warning\n",
			wantErr: `.kubeadm-lint.yaml:4: invalid YAML: mapping values are not allowed in this context`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := config.Parse(".kubeadm-lint.yaml", []byte(tt.src), catalog.All())
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one starting with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Path, got.Dir = "", ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"), catalog.All())
	if err == nil || !strings.HasSuffix(err.Error(), "nope.yaml: no such file or directory") {
		t.Errorf("got %v, want a missing-file error naming the file once", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	mkdir := func(p string) string {
		p = filepath.Join(root, p)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write := func(p string) string {
		p = filepath.Join(root, p)
		if err := os.WriteFile(p, []byte("failOn: warning\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mkdir("project/.git")
	mkdir("project/clusters/lab")
	mkdir("project/nested/clusters")
	mkdir("elsewhere/deep")
	projectConfig := write("project/" + config.FileName)
	nestedConfig := write("project/nested/" + config.FileName)
	// Whatever lies above the temporary directory is what a search that finds nothing returns.
	above, err := config.Find(filepath.Dir(root))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		dir  string
		want string
	}{
		"the file in the directory itself": {dir: "project", want: projectConfig},
		"the file two levels up":           {dir: "project/clusters/lab", want: projectConfig},
		"the nearest file wins":            {dir: "project/nested/clusters", want: nestedConfig},
		"no file up to the root":           {dir: "elsewhere/deep", want: above},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := config.Find(filepath.Join(root, tt.dir))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExcludes(t *testing.T) {
	dir := t.TempDir()
	f, err := config.Parse(filepath.Join(dir, config.FileName), []byte(`exclude:
- paths: [legacy, "**/*.tmpl.yaml", "generated/**"]
- paths: [clusters/lab/*.yaml]
  rules: [KL107]
`), catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tests := map[string]struct {
		file       string
		rule       string
		skips      bool
		excludes   bool
		outsideDir bool
	}{
		"a file under an excluded directory":      {file: "legacy/old.yaml", rule: "KL101", skips: true, excludes: true},
		"a file deep under an excluded directory": {file: "legacy/a/b/old.yaml", rule: "KL101", skips: true, excludes: true},
		"a directory name is not a prefix":        {file: "legacy2/new.yaml", rule: "KL101"},
		"a double star at the front":              {file: "a/b/x.tmpl.yaml", rule: "KL101", skips: true, excludes: true},
		"a double star matching no directory":     {file: "x.tmpl.yaml", rule: "KL101", skips: true, excludes: true},
		"a double star at the end":                {file: "generated/a/b.yaml", rule: "KL101", skips: true, excludes: true},
		"an absolute path inside the directory":   {file: filepath.Join(dir, "legacy", "old.yaml"), rule: "KL101", skips: true, excludes: true},
		"a path with dot segments":                {file: "clusters/../legacy/old.yaml", rule: "KL101", skips: true, excludes: true},
		"the excluded rule in a matching file":    {file: "clusters/lab/a.yaml", rule: "KL107", excludes: true},
		"another rule in a matching file":         {file: "clusters/lab/a.yaml", rule: "KL101"},
		"a star does not cross directories":       {file: "clusters/lab/x/a.yaml", rule: "KL107"},
		"a file outside the directory":            {file: filepath.Join(filepath.Dir(dir), "x.tmpl.yaml"), rule: "KL101"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := f.Skips(tt.file); got != tt.skips {
				t.Errorf("Skips(%q) = %v, want %v", tt.file, got, tt.skips)
			}
			if got := f.Excludes(tt.file, tt.rule); got != tt.excludes {
				t.Errorf("Excludes(%q, %s) = %v, want %v", tt.file, tt.rule, got, tt.excludes)
			}
		})
	}
	var none *config.File
	if none.Skips("legacy/old.yaml") || none.Excludes("legacy/old.yaml", "KL101") {
		t.Error("a nil File must exclude nothing")
	}
}

// TestLoadSpecialFiles: --config on a FIFO must not block, nor on /dev/zero grow without end.
func TestLoadSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	// Opening a FIFO for reading blocks until a writer comes; this one comes, and never writes.
	go func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			defer w.Close()
			select {}
		}
	}()
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", 2<<20)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "not a regular file", "/dev/zero": "not a regular file", big: "larger than 1024 KiB"} {
		if _, err := config.Load(path, catalog.All()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error saying %q", path, err, want)
		}
	}
}
