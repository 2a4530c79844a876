package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The files that plug kubeadm-lint into pre-commit and GitHub Actions are only run for real by
// hack/pre-commit-test.sh and by GitHub. These tests hold them to the CLI, to the README and to
// docs/ci.md.

// preCommitHook has the keys of pre-commit's hook manifest, so that strict decoding catches a
// misspelled one, which pre-commit would only warn about.
type preCommitHook struct {
	ID                      string   `yaml:"id"`
	Name                    string   `yaml:"name"`
	Description             string   `yaml:"description"`
	Language                string   `yaml:"language"`
	LanguageVersion         string   `yaml:"language_version"`
	Entry                   string   `yaml:"entry"`
	Args                    []string `yaml:"args"`
	Files                   string   `yaml:"files"`
	Exclude                 string   `yaml:"exclude"`
	Types                   []string `yaml:"types"`
	TypesOr                 []string `yaml:"types_or"`
	ExcludeTypes            []string `yaml:"exclude_types"`
	AlwaysRun               bool     `yaml:"always_run"`
	FailFast                bool     `yaml:"fail_fast"`
	Verbose                 bool     `yaml:"verbose"`
	PassFilenames           *bool    `yaml:"pass_filenames"`
	RequireSerial           *bool    `yaml:"require_serial"`
	Stages                  []string `yaml:"stages"`
	MinimumPreCommitVersion string   `yaml:"minimum_pre_commit_version"`
	AdditionalDependencies  []string `yaml:"additional_dependencies"`
	LogFile                 string   `yaml:"log_file"`
}

type action struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Shell            string            `yaml:"shell"`
	Run              string            `yaml:"run"`
	With             map[string]string `yaml:"with"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

func decodeStrict(t *testing.T, path string, into any) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return data
}

func TestPreCommitHook(t *testing.T) {
	var hooks []preCommitHook
	decodeStrict(t, ".pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 1 {
		t.Fatalf("want one hook, got %d", len(hooks))
	}
	h := hooks[0]
	if h.ID != "kubeadm-lint" || h.Language != "golang" {
		t.Errorf("hook id %q language %q, want kubeadm-lint and golang", h.ID, h.Language)
	}
	if h.PassFilenames == nil || !*h.PassFilenames || h.RequireSerial == nil || *h.RequireSerial {
		t.Errorf("want pass_filenames: true and require_serial: false")
	}
	entry := strings.Fields(h.Entry)
	if len(entry) == 0 || entry[0] != "kubeadm-lint" {
		t.Fatalf("entry %q must run the kubeadm-lint binary, the one 'go install ./...' names after cmd/kubeadm-lint", h.Entry)
	}

	t.Run("files selects what a directory walk reads", func(t *testing.T) {
		files, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("files: %v", err)
		}
		for name, want := range map[string]bool{
			"kubeadm.yaml": true, "clusters/prod.yml": true, "hack/install.sh": true, ".kubeadm-lint.yaml": true,
			"README.md": false, "kubeadm.yaml.orig": false, "go.sum": false, "yaml": false,
		} {
			if got := files.MatchString(name); got != want {
				t.Errorf("files %q on %q: %v, want %v", h.Files, name, got, want)
			}
		}
	})

	// pre-commit runs the entry with the selected files appended, in batches.
	tests := map[string]struct {
		files []string
		want  int
	}{
		"a good config passes":                            {files: []string{"testdata/examples/cluster-good.yaml"}, want: exitOK},
		"unrelated YAML alone passes":                     {files: []string{".github/workflows/ci.yaml", "testdata/examples/not-a-config.yaml", ".pre-commit-hooks.yaml", "action.yml"}, want: exitOK},
		"a bad config fails beside unrelated YAML":        {files: []string{"action.yml", "testdata/examples/join-bad.yaml"}, want: exitFindings},
		"a script with a bad kubeadm command line fails":  {files: []string{"testdata/examples/guide-install.sh"}, want: exitFindings},
		"a settings file named by pre-commit is not read": {files: []string{"testdata/config/project/.kubeadm-lint.yaml"}, want: exitOK},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Chdir(root)
			t.Setenv("GITHUB_ACTIONS", "")
			var stdout, stderr bytes.Buffer
			args := append(slices.Clone(entry[1:]), h.Args...)
			if code := run(context.Background(), append(args, tt.files...), strings.NewReader(""), &stdout, &stderr); code != tt.want {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.want, stdout.String(), stderr.String())
			}
		})
	}

	readme := readREADME(t)
	for _, want := range []string{"- repo: https://github.com/kubeadm-lint/kubeadm-lint\n", "  - id: " + h.ID + "\n"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README's pre-commit snippet lacks %q", want)
		}
	}
}

func TestAction(t *testing.T) {
	var a action
	data := decodeStrict(t, "action.yml", &a)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", a.Runs.Using)
	}

	t.Run("inputs are the ones used and documented", func(t *testing.T) {
		used := map[string]bool{}
		for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
		for name, in := range a.Inputs {
			if in.Description == "" || in.Default == nil {
				t.Errorf("input %s needs a description and a default", name)
			}
			if !used[name] {
				t.Errorf("input %s is never used", name)
			}
		}
		for name := range used {
			if _, ok := a.Inputs[name]; !ok {
				t.Errorf("inputs.%s is used but not declared", name)
			}
		}
		documented := documentedInputs(t)
		for name, in := range a.Inputs {
			def, ok := documented[name]
			switch {
			case !ok:
				t.Errorf("%s's input table lacks %s", ciDoc, name)
			case def != *in.Default:
				t.Errorf("%s gives input %s the default %q, action.yml %q", ciDoc, name, def, *in.Default)
			}
		}
		for name := range documented {
			if _, ok := a.Inputs[name]; !ok {
				t.Errorf("%s documents input %s, which action.yml lacks", ciDoc, name)
			}
		}
	})

	t.Run("steps name only flags the CLI has", func(t *testing.T) {
		lintCmd, _, err := (&app{}).rootCommand().Find([]string{"lint"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range a.Runs.Steps {
			if s.Run != "" && s.Shell == "" {
				t.Errorf("step %q: a composite run step needs a shell", s.ID)
			}
			for _, m := range regexp.MustCompile(`\(--([a-z-]+)`).FindAllStringSubmatch(s.Run, -1) {
				if lintCmd.Flags().Lookup(m[1]) == nil {
					t.Errorf("step %q passes --%s, which 'kubeadm-lint lint' does not have", s.ID, m[1])
				}
			}
		}
	})

	t.Run("the lint step", func(t *testing.T) {
		testLintStep(t, stepByID(t, a, "lint"))
	})
}

// testLintStep runs the lint step's script with bash, against a stand-in kubeadm-lint that
// records its arguments and exits with a given code.
func testLintStep(t *testing.T, step actionStep) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := t.TempDir()
	fake := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$FAKE_ARGS\"\nexit \"$FAKE_EXIT\"\n"
	if err := os.WriteFile(filepath.Join(bin, "kubeadm-lint"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{"PATHS": ".", "FORMAT": "github", "FAIL_ON": "", "CONFIG": ""}
	tests := map[string]struct {
		env      map[string]string
		exit     string // the stand-in's exit code
		wantArgs []string
		want     int
	}{
		"defaults: the settings file decides fail-on": {exit: "0", wantArgs: []string{"lint", "--format", "github", "--", "."}, want: 0},
		"findings fail the step":                      {exit: "1", wantArgs: []string{"lint", "--format", "github", "--", "."}, want: 1},
		"fail-on none reports findings and passes":    {env: map[string]string{"FAIL_ON": "none"}, exit: "1", wantArgs: []string{"lint", "--format", "github", "--", "."}, want: 0},
		"fail-on none still fails on bad input":       {env: map[string]string{"FAIL_ON": "none"}, exit: "2", wantArgs: []string{"lint", "--format", "github", "--", "."}, want: 2},
		"paths split on spaces and newlines, unglobbed": {
			env:      map[string]string{"PATHS": "clusters/ lab.yaml\n  *.yml\n", "FAIL_ON": "warning", "CONFIG": "ci/kubeadm-lint.yaml", "FORMAT": "text"},
			exit:     "0",
			wantArgs: []string{"lint", "--format", "text", "--fail-on", "warning", "--config", "ci/kubeadm-lint.yaml", "--", "clusters/", "lab.yaml", "*.yml"},
			want:     0,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.yml"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			argsFile := filepath.Join(dir, "args")
			// The flags GitHub runs a bash step with.
			cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_ARGS="+argsFile, "FAKE_EXIT="+tt.exit)
			for k, v := range defaults {
				if o, ok := tt.env[k]; ok {
					v = o
				}
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			out, err := cmd.CombinedOutput()
			code := cmd.ProcessState.ExitCode()
			if code != tt.want {
				t.Errorf("exit %d (%v), want %d\n%s", code, err, tt.want, out)
			}
			got, err := os.ReadFile(argsFile)
			if err != nil {
				t.Fatalf("kubeadm-lint did not run: %v\n%s", err, out)
			}
			if args := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n"); !slices.Equal(args, tt.wantArgs) {
				t.Errorf("kubeadm-lint ran with\n %q\nwant\n %q", args, tt.wantArgs)
			}
		})
	}
	for k := range defaults {
		if _, ok := step.Env[k]; !ok {
			t.Errorf("the lint step does not set %s", k)
		}
	}
}

func stepByID(t *testing.T, a action, id string) actionStep {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("action.yml has no step %q", id)
	return actionStep{}
}

func TestWorkflows(t *testing.T) {
	var a action
	decodeStrict(t, "action.yml", &a)
	paths, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.y*ml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	usesAction := false
	for _, p := range paths {
		var wf struct {
			Jobs map[string]struct {
				Steps []actionStep `yaml:"steps"`
			} `yaml:"jobs"`
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &wf); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, job := range wf.Jobs {
			for _, s := range job.Steps {
				if s.Uses != "./" {
					continue
				}
				usesAction = true
				for k, v := range s.With {
					if _, ok := a.Inputs[k]; !ok {
						t.Errorf("%s: input %s is not in action.yml", filepath.Base(p), k)
					}
					if k == "fail-on" && !slices.Contains([]string{"", "none", "error", "warning", "info"}, v) {
						t.Errorf("%s: fail-on %q", filepath.Base(p), v)
					}
				}
			}
		}
	}
	if !usesAction {
		t.Errorf("no workflow uses the action (uses: ./)")
	}
}

func readREADME(t *testing.T) string {
	t.Helper()
	return readDoc(t, "README.md")
}

func readDoc(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// documentedInputs reads the input table of the GitHub Action section of docs/ci.md: name to
// default.
func documentedInputs(t *testing.T) map[string]string {
	t.Helper()
	doc := readDoc(t, ciDoc)
	start := strings.Index(doc, "\n## GitHub Action\n")
	if start < 0 {
		t.Fatal(ciDoc + " has no GitHub Action section")
	}
	section := doc[start+len("\n## GitHub Action\n"):]
	if loc := regexp.MustCompile(`(?m)^#{2,4} `).FindStringIndex(section); loc != nil {
		section = section[:loc[0]]
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\| (?:`([^`]*)`)? ?\\|")
	inputs := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		inputs[m[1]] = m[2]
	}
	if len(inputs) == 0 {
		t.Fatal(ciDoc + "'s GitHub Action section has no input table")
	}
	return inputs
}

// ciDoc documents the action's inputs.
const ciDoc = "docs/ci.md"
