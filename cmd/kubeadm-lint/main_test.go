package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
)

var update = flag.Bool("update", false, "rewrite the CLI goldens in testdata/cli")

const root = "../.."

// TestCLI runs the CLI in-process and compares stdout, stderr and the exit code with goldens.
func TestCLI(t *testing.T) {
	clean := "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.2\ncontrolPlaneEndpoint: k8s.example.com:6443\n"
	tests := map[string]struct {
		args  []string
		stdin string
		env   map[string]string // GITHUB_ACTIONS and NO_COLOR are cleared unless set here
	}{
		"examples text":                      {args: []string{"testdata/examples"}},
		"examples json":                      {args: []string{"--format", "json", "testdata/examples"}},
		"examples source":                    {args: []string{"--show-source", "testdata/examples/cluster-bad-v1beta4.yaml"}},
		"clean file":                         {args: []string{"testdata/examples/cluster-good.yaml"}},
		"stdin":                              {args: []string{"-"}, stdin: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: nope\n"},
		"v1beta3 on v1.36":                   {args: []string{"--kubernetes-version", "v1.36", "testdata/examples/cluster-bad-v1beta3.yaml"}},
		"fail on warning":                    {args: []string{"--fail-on", "warning", "--kubernetes-version", "v1.36", "testdata/parity/cases/v1beta3-valid.yaml"}},
		"rules":                              {args: []string{"rules"}},
		"flags on v1.37":                     {args: []string{"testdata/examples/flags-bad.yaml"}},
		"flags on v1.36":                     {args: []string{"--kubernetes-version", "v1.36", "testdata/examples/flags-bad.yaml"}},
		"flags on v1.35":                     {args: []string{"--kubernetes-version", "v1.35", "testdata/examples/flags-bad.yaml"}},
		"unsupported target":                 {args: []string{"--kubernetes-version", "v1.34", "testdata/examples/flags-bad.yaml"}},
		"guide flexvolume":                   {args: []string{"--host-profile", "immutable-usr", "--kubernetes-version", "v1.35", "testdata/examples/guide-flexvolume.yaml"}},
		"guide flexvolume on a default host": {args: []string{"--kubernetes-version", "v1.37", "--host-profile", "immutable-usr", "testdata/examples/guide-flexvolume.yaml"}},
		"guide extra args":                   {args: []string{"testdata/examples/guide-extra-args-workaround.yaml"}},
		"cni calico":                         {args: []string{"--cni", "calico", "testdata/examples/cluster-good.yaml"}},
		"explain":                            {args: []string{"explain", "KL005"}},
		"explain unknown":                    {args: []string{"explain", "KL999"}},
		"explain without a rule":             {args: []string{"explain"}},
		"bad format":                         {args: []string{"--format", "xml", "testdata/examples"}},
		"bad target":                         {args: []string{"--kubernetes-version", "banana", "testdata/examples"}},
		"only other kinds":                   {args: []string{"testdata/examples/not-a-config.yaml"}},
		"missing path":                       {args: []string{"testdata/no-such-file.yaml", "testdata/examples/cluster-good.yaml"}},
		"unreadable input json":              {args: []string{"--format", "json", "testdata/no-such-file.yaml", "testdata/parity/cases/separator-with-content.yaml", "testdata/examples/cluster-good.yaml"}},
		"unreadable input sarif":             {args: []string{"--format", "sarif", "testdata/no-such-file.yaml", "testdata/parity/cases/separator-with-content.yaml", "testdata/examples/cluster-good.yaml"}},
		"unreadable input junit":             {args: []string{"--format", "junit", "testdata/no-such-file.yaml", "testdata/parity/cases/separator-with-content.yaml", "testdata/examples/cluster-good.yaml"}},
		"unreadable input checkstyle":        {args: []string{"--format", "checkstyle", "testdata/no-such-file.yaml", "testdata/parity/cases/separator-with-content.yaml", "testdata/examples/cluster-good.yaml"}},
		"unreadable input github":            {args: []string{"--format", "github", "testdata/no-such-file.yaml", "testdata/parity/cases/separator-with-content.yaml", "testdata/examples/cluster-good.yaml"}},
		"document separators": {args: []string{"testdata/parity/cases/separator-trailing.yaml", "testdata/parity/cases/separator-doubled.yaml",
			"testdata/parity/cases/separator-blank-document.yaml", "testdata/parity/cases/separator-comment-document.yaml",
			"testdata/parity/cases/separator-with-content.yaml", "testdata/parity/cases/anchor-across-documents.yaml"}},
		"directory no config":                {args: []string{"testdata/cli"}},
		"examples sarif":                     {args: []string{"--format", "sarif", "testdata/examples"}},
		"examples github":                    {args: []string{"--format", "github", "testdata/examples"}},
		"examples junit":                     {args: []string{"--format", "junit", "testdata/examples"}},
		"examples junit failing on warnings": {args: []string{"--format", "junit", "--fail-on", "warning", "testdata/examples/join-bad.yaml", "testdata/examples/cluster-good.yaml"}},
		"examples checkstyle":                {args: []string{"--format", "checkstyle", "testdata/examples"}},
		"github actions":                     {args: []string{"testdata/examples/join-bad.yaml"}, env: map[string]string{"GITHUB_ACTIONS": "true"}},
		"github actions with a format":       {args: []string{"--format", "text", "testdata/examples/join-bad.yaml"}, env: map[string]string{"GITHUB_ACTIONS": "true"}},
		"quiet":                              {args: []string{"--quiet", "testdata/examples/join-bad.yaml"}},
		"quiet github":                       {args: []string{"-q", "--format", "github", "testdata/examples/join-bad.yaml"}},
		"quiet without findings":             {args: []string{"--quiet", "-"}, stdin: clean},
		"no findings":                        {args: []string{"-"}, stdin: clean},
		"no findings sarif":                  {args: []string{"--format", "sarif", "-"}, stdin: clean},
		"upgrade":                            {args: []string{"--upgrade-to", "v1.37", "testdata/upgrade"}},
		"upgrade path json":                  {args: []string{"--format", "json", "--upgrade-to", "v1.36,1.37.2", "--kubernetes-version", "v1.35", "testdata/upgrade"}},
		"upgrade out of order":               {args: []string{"--upgrade-to", "v1.37,v1.36", "testdata/upgrade"}},
		"upgrade to an unknown release":      {args: []string{"--upgrade-to", "v1.38", "testdata/upgrade"}},
		"skip unrelated":                     {args: []string{"--skip-unrelated", ".github/workflows/ci.yaml", "testdata/examples/not-a-config.yaml"}},
		"skip unrelated beside a bad config": {args: []string{"--skip-unrelated", ".github/workflows/ci.yaml", "testdata/examples/join-bad.yaml"}},
		// Cluster API and kind: the kubeadm configuration inside the objects, at its lines.
		"capi v1beta2 on v1.37":           {args: []string{"testdata/capi/kcp-v1beta2-v1.37.yaml"}},
		"capi v1beta1 on v1.36":           {args: []string{"testdata/capi/kcp-v1beta1-v1.36.yaml"}},
		"capi template at its deployment": {args: []string{"testdata/capi/kubeadmconfigtemplate.yaml", "testdata/capi/machinedeployment.yaml"}},
		"capi template alone":             {args: []string{"testdata/capi/kubeadmconfigtemplate.yaml"}},
		"capi object as json":             {args: []string{"-"}, stdin: `{"apiVersion":"controlplane.cluster.x-k8s.io/v1beta2","kind":"KubeadmControlPlane","metadata":{"name":"cp"},"spec":{"version":"v1.37.0","kubeadmConfigSpec":{"clusterConfiguration":{"apiServer":{"extraArgs":[{"name":"cloud-provider","value":"external"}]}}}}}`},
		"kind misspelt flag in a patch":   {args: []string{"testdata/kind/patch-misspelt-flag.yaml"}},
		"kind patch not applied":          {args: []string{"testdata/kind/patch-not-applied.yaml"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Chdir(root)
			for _, k := range []string{"GITHUB_ACTIONS", "NO_COLOR"} {
				t.Setenv(k, tt.env[k])
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			got := "$ kubeadm-lint " + strings.Join(tt.args, " ") + "\n" + stdout.String() +
				"--- stderr\n" + stderr.String() + "--- exit " + string(rune('0'+code)) + "\n"
			golden := filepath.Join("testdata", "cli", strings.ReplaceAll(name, " ", "-")+".golden")
			checkGolden(t, golden, got)
		})
	}
}

// TestBadInput checks that every kind of unreadable input exits 2 with one line naming the file,
// and never panics.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bomb := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		bomb += string(i) + ": &" + string(i) + " [*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + ",*" + string(prev) + "]\n"
	}
	big := bytes.Repeat([]byte("# padding line for a file that is far too large to be a config\n"), 50<<20/64)
	empty := t.TempDir()
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling.yaml")); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		path string
		want string
	}{
		"an empty file":     {path: write("empty.yaml", nil), want: "empty file"},
		"a binary file":     {path: write("binary.yaml", []byte{0x7f, 'E', 'L', 'F', 0, 1, 2, 0xff}), want: "binary file"},
		"invalid YAML":      {path: write("invalid.yaml", []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: \"10.0.0.0/8\" (the pods)\n")), want: "invalid.yaml:3: invalid YAML: did not find expected key"},
		"a YAML alias bomb": {path: write("bomb.yaml", []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"+bomb)), want: "YAML aliases and merge keys expand"},
		"a 1 MB string aliased a thousand times": {path: write("alias.yaml", []byte("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"+
			"clusterDNS: [&a \""+strings.Repeat("x", 1_000_000)+"\""+strings.Repeat(", *a", 999)+"]\n")),
			want: "alias.yaml:3: YAML aliases and merge keys expand the source by more than its own size plus 64 KiB"},
		"a 50 MB file":                                      {path: write("big.yaml", big), want: "larger than the 4 MiB limit"},
		"a directory without configs":                       {path: empty, want: "no kubeadm, kubelet or kube-proxy configuration"},
		"a path that does not exist":                        {path: filepath.Join(dir, "missing.yaml"), want: "no such file or directory"},
		"a dangling symlink":                                {path: filepath.Join(dir, "dangling.yaml"), want: "no such file or directory"},
		"a file name with a newline and a workflow command": {path: filepath.Join(dir, "missing\n::error file=ci.yaml::forged.yaml"), want: `missing\n::error`},
		"tab indentation":                                   {path: write("tabs.yaml", []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n\tcertSANs: []\n")), want: "tabs.yaml:4: invalid YAML"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{tt.path}, strings.NewReader(""), &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitUsage, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
				t.Errorf("stderr should be one line containing %q, got:\n%s", tt.want, stderr.String())
			}
			if strings.Contains(stderr.String(), "goroutine") {
				t.Errorf("stack trace on stderr")
			}
		})
	}
}

// TestCompletion checks that every shell gets a script and that cobra's hidden __complete command,
// which those scripts call, offers the values the flags accept.
func TestCompletion(t *testing.T) {
	tests := map[string]struct {
		args     []string
		contains []string // for scripts: text that only a working script has
		lines    []string // for __complete: the candidates and the directive, exactly
	}{
		"bash gets a script":                 {args: []string{"completion", "bash"}, contains: []string{"__start_kubeadm-lint()", "complete -o default -F __start_kubeadm-lint kubeadm-lint"}},
		"zsh gets a script":                  {args: []string{"completion", "zsh"}, contains: []string{"#compdef kubeadm-lint"}},
		"fish gets a script":                 {args: []string{"completion", "fish"}, contains: []string{"complete -c kubeadm-lint"}},
		"powershell gets a script":           {args: []string{"completion", "powershell"}, contains: []string{"Register-ArgumentCompleter -CommandName 'kubeadm-lint'"}},
		"--format lists the formats":         {args: []string{"__complete", "--format", ""}, lines: append(output.FormatNames(), ":4")},
		"-f on lint lists the formats":       {args: []string{"__complete", "lint", "-f", ""}, lines: append(output.FormatNames(), ":4")},
		"--fail-on lists the severities":     {args: []string{"__complete", "--fail-on", ""}, lines: []string{"error", "warning", "info", ":4"}},
		"--host-profile lists the profiles":  {args: []string{"__complete", "--host-profile", ""}, lines: []string{"immutable-usr", ":4"}},
		"--cni lists the CNIs":               {args: []string{"__complete", "lint", "--cni", ""}, lines: []string{"flannel", "calico", "cilium", ":4"}},
		"paths complete to configs":          {args: []string{"__complete", "lint", "testdata/"}, lines: []string{"yaml", "yml", "sh", ":8"}},
		"paths after a flag complete too":    {args: []string{"__complete", "--quiet", ""}, lines: []string{"yaml", "yml", "sh", ":8"}},
		"a subcommand's prefix completes it": {args: []string{"__complete", "expl"}, lines: []string{"explain\tExplain a rule: why it exists, a bad and a good example", ":4"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr); code != exitOK {
				t.Fatalf("exit code %d, stderr: %s", code, stderr.String())
			}
			for _, want := range tt.contains {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if tt.lines != nil {
				if got := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n"); !slices.Equal(got, tt.lines) {
					t.Errorf("completions:\n got %q\nwant %q", got, tt.lines)
				}
			}
		})
	}
}

// checkGolden compares got with a golden file, or rewrites the file with -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/kubeadm-lint -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update if the change is intended):\n%s", golden, got)
	}
}
