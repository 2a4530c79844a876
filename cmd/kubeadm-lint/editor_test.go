package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// editorTools is where 'make editor-tools' installs yaml-language-server.
const editorTools = root + "/hack/editor/node_modules/.bin"

// needTool returns the path of an external program a test drives. Without it the test is
// skipped, except in CI (CI set), where the Makefile has installed it and its absence is a
// failure.
func needTool(t *testing.T, path string) string {
	t.Helper()
	if !strings.Contains(path, "/") {
		if p, err := exec.LookPath(path); err == nil {
			return p
		}
	} else if _, err := os.Stat(path); err == nil {
		abs, _ := filepath.Abs(path)
		return abs
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing; 'make editor-tools' installs it (and 'make test' runs that)", path)
	}
	t.Skipf("%s is missing: run 'make editor-tools' to install it (in CI this test fails instead)", path)
	return ""
}

// lspClient is a language client over a server's standard input and output.
type lspClient struct {
	conn     *jsonrpc2.Conn
	settings map[string]any // what workspace/configuration answers, by section

	mu    sync.Mutex
	diags map[string][]diagnostic // the last publishDiagnostics, by URI
	seen  chan struct{}           // a publishDiagnostics arrived
}

type diagnostic struct {
	Range struct {
		Start struct{ Line, Character int }
	}
	Message  string
	Code     any
	Severity int
}

func startLSP(t *testing.T, settings map[string]any, name string, args ...string) *lspClient {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "KUBEADM_LINT_AS_CLI=1")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &lspClient{settings: settings, diags: map[string][]diagnostic{}, seen: make(chan struct{}, 1)}
	c.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(pipe{out, in}, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(c.handle))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.conn.Call(ctx, "shutdown", nil, nil)
		_ = c.conn.Notify(ctx, "exit", nil)
		_ = c.conn.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s stderr:\n%s", filepath.Base(name), stderr.String())
		}
	})
	return c
}

type pipe struct {
	io.Reader
	io.WriteCloser
}

func (c *lspClient) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p struct {
			URI         string
			Diagnostics []diagnostic
		}
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.diags[p.URI] = p.Diagnostics
		c.mu.Unlock()
		select {
		case c.seen <- struct{}{}:
		default:
		}
	case "workspace/configuration":
		var p struct{ Items []struct{ Section string } }
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			return nil, err
		}
		out := make([]any, len(p.Items))
		for i, it := range p.Items {
			out[i] = c.settings[it.Section]
		}
		return out, nil
	}
	return nil, nil
}

// waitDiagnostics waits until the diagnostics of uri satisfy ok, and returns them; the deadline
// only ends a test that would otherwise hang.
func (c *lspClient) waitDiagnostics(t *testing.T, uri string, ok func([]diagnostic) bool) []diagnostic {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		c.mu.Lock()
		d, got := c.diags[uri]
		c.mu.Unlock()
		if got && ok(d) {
			return d
		}
		select {
		case <-c.seen:
		case <-deadline:
			t.Fatalf("%s: no diagnostics as expected; the last were %+v", uri, d)
		}
	}
}

func (c *lspClient) call(t *testing.T, method string, params, result any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.conn.Call(ctx, method, params, result); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) notify(t *testing.T, method string, params any) {
	t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) open(t *testing.T, uri, text string) {
	c.notify(t, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "yaml", "version": 1, "text": text,
	}})
}

func fileURI(path string) string { return "file://" + filepath.ToSlash(path) }

// TestSchemaInYAMLLanguageServer writes the schemas and the catalog with 'kubeadm-lint schema',
// serves them over HTTP as a user would publish them, and points the real yaml-language-server
// at the catalog: it must find an unknown field and a wrong type in a bad file, nothing in a
// good one, and complete the API server's flags in extraArgs.
func TestSchemaInYAMLLanguageServer(t *testing.T) {
	server := needTool(t, editorTools+"/yaml-language-server")
	needTool(t, "node")

	dir := t.TempDir()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"schema", "--kubernetes-version", "v1.37", "-o", dir, "--base-url", srv.URL}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("kubeadm-lint schema: exit %d\n%s", code, stderr.String())
	}
	for _, name := range []string{"catalog.json", "kubeadm-lint.json", "clusterconfiguration-kubeadm-v1beta4.json"} {
		if !strings.Contains(stdout.String(), filepath.Join(dir, name)) {
			t.Fatalf("kubeadm-lint schema did not write %s:\n%s", name, stdout.String())
		}
	}

	work := t.TempDir()
	yamlSettings := map[string]any{
		"validate": true, "completion": true, "hover": true,
		// The catalog maps kubeadm*.yaml to the bundle, as SchemaStore would.
		"schemaStore": map[string]any{"enable": true, "url": srv.URL + "/catalog.json"},
	}
	c := startLSP(t, map[string]any{"yaml": yamlSettings}, server, "--stdio")
	c.call(t, "initialize", map[string]any{
		"processId": os.Getpid(),
		"rootUri":   fileURI(work),
		"capabilities": map[string]any{
			"workspace":    map[string]any{"configuration": true},
			"textDocument": map[string]any{"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": false}}},
		},
	}, nil)
	c.notify(t, "initialized", map[string]any{})
	c.notify(t, "workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"yaml": yamlSettings}})

	bad := fileURI(filepath.Join(work, "kubeadm-bad.yaml"))
	c.open(t, bad, `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  certSans:
  - k8s.example.com
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  bindPort: "6443"
`)
	want := map[int]string{3: "certSans", 9: "Incorrect type"}
	got := c.waitDiagnostics(t, bad, func(ds []diagnostic) bool {
		found := 0
		for _, d := range ds {
			if w, ok := want[d.Range.Start.Line]; ok && strings.Contains(d.Message, w) {
				found++
			}
		}
		return found == len(want)
	})
	t.Logf("diagnostics on the bad file: %+v", got)

	good := fileURI(filepath.Join(work, "kubeadm-good.yaml"))
	text, err := os.ReadFile(filepath.Join(root, "testdata", "examples", "cluster-good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c.open(t, good, string(text))
	if ds := c.waitDiagnostics(t, good, func([]diagnostic) bool { return true }); len(ds) > 0 {
		t.Errorf("diagnostics on a good file: %+v", ds)
	}

	partial := fileURI(filepath.Join(work, "kubeadm-complete.yaml"))
	line := "  - name: enable-admission"
	c.open(t, partial, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n"+line+"\n")
	var list struct {
		Items []struct{ Label string }
	}
	c.call(t, "textDocument/completion", map[string]any{
		"textDocument": map[string]any{"uri": partial},
		"position":     map[string]any{"line": 4, "character": len(line)},
	}, &list)
	var labels []string
	for _, it := range list.Items {
		labels = append(labels, it.Label)
		if it.Label == "enable-admission-plugins" {
			t.Logf("%d completions, among them %s", len(list.Items), it.Label)
			return
		}
	}
	t.Errorf("no completion to enable-admission-plugins among %d items: %.300v", len(labels), labels)
}

// TestLSPInNeovim runs 'kubeadm-lint lsp' under Neovim's built-in LSP client, headless
// (testdata/editor/nvim-client.lua): on every shipped example it must publish the CLI's findings
// at the CLI's lines, with the rule's page and hint, and explain the rule on hover; the fix-all
// action and a quick fix, applied by Neovim, must give the text 'kubeadm-lint fix' writes.
func TestLSPInNeovim(t *testing.T) {
	nvim := needTool(t, "nvim")
	t.Chdir(root)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}

	// What the CLI finds in the examples, by file.
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"--format", "json", "testdata/examples"}, nil, &stdout, &stderr)
	var report struct {
		Findings []struct {
			Rule, File, Message, Hint string
			Line                      int
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("the CLI's JSON: %v\n%s", err, stderr.String())
	}
	cli, hints := map[string][]string{}, map[string]string{}
	for _, f := range report.Findings {
		key := fmt.Sprintf("%d %s %s", max(f.Line, 1), f.Rule, f.Message)
		cli[f.File] = append(cli[f.File], key)
		hints[f.File+" "+key] = f.Hint
	}

	var files []string
	err = filepath.WalkDir(filepath.Join("testdata", "examples"), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			files = append(files, filepath.Join(wd, p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// The fixes are applied to copies, and compared with 'kubeadm-lint fix -' on the same text.
	fixDir, quickDir := t.TempDir(), t.TempDir()
	copyTo := func(dir, name string) (string, string) {
		data, err := os.ReadFile(filepath.Join("testdata", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var fixed, stderr bytes.Buffer
		if code := run(context.Background(), []string{"fix", "-"}, bytes.NewReader(data), &fixed, &stderr); code != 0 {
			t.Fatalf("kubeadm-lint fix - < %s: exit %d\n%s", name, code, stderr.String())
		}
		if fixed.String() == string(data) {
			t.Fatalf("kubeadm-lint fix changes nothing in %s; pick an example with a fix", name)
		}
		return path, fixed.String()
	}
	fixAll, wantFixAll := copyTo(fixDir, "cluster-bad-v1beta4.yaml")
	quick, wantQuick := copyTo(quickDir, "guide-extra-args-workaround.yaml")

	outPath := filepath.Join(t.TempDir(), "out.json")
	cache := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile testdata/editor/nvim-client.lua")
	cmd.Env = append(os.Environ(),
		"KUBEADM_LINT_AS_CLI=1", // the test binary is kubeadm-lint (TestMain)
		"KL_SERVER="+os.Args[0], "KL_ROOT="+wd, "KL_OUT="+outPath,
		"KL_FILES="+strings.Join(files, "\n"), "KL_FIXALL="+fixAll, "KL_QUICKFIX="+quick,
		"XDG_CACHE_HOME="+cache, "XDG_STATE_HOME="+cache, "XDG_DATA_HOME="+cache, "XDG_CONFIG_HOME="+cache)
	nvimOut, runErr := cmd.CombinedOutput()
	raw, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatalf("neovim wrote no result (%v): %v\n%s", runErr, err, nvimOut)
	}
	var got struct {
		Error string
		Files map[string]struct {
			Diagnostics []struct {
				Line                         int
				Code, Message, Href, Related string
			}
			Stored int
			Hover  *struct{ Code, Value string }
		}
		Fixes map[string]string
		After map[string][]string
		Title string
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("neovim's result: %v\n%s", err, raw)
	}
	if got.Error != "" || runErr != nil {
		t.Fatalf("neovim: %v: %s\n%s", runErr, got.Error, nvimOut)
	}

	for _, path := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(path, wd+string(filepath.Separator)))
		g, ok := got.Files[path]
		if !ok {
			t.Errorf("%s: neovim recorded nothing", rel)
			continue
		}
		var lsp []string
		for _, d := range g.Diagnostics {
			key := fmt.Sprintf("%d %s %s", d.Line, d.Code, d.Message)
			lsp = append(lsp, key)
			if hint, ok := hints[rel+" "+key]; ok && d.Related != hint {
				t.Errorf("%s:%d: %s: related information %q, want the hint %q", rel, d.Line, d.Code, d.Related, hint)
			}
			if want := "/docs/rules/" + d.Code + ".md"; !strings.HasSuffix(d.Href, want) {
				t.Errorf("%s:%d: %s links to %q, want a URL ending in %s", rel, d.Line, d.Code, d.Href, want)
			}
		}
		slices.Sort(lsp)
		want := slices.Clone(cli[rel])
		slices.Sort(want)
		if !slices.Equal(lsp, want) {
			t.Errorf("%s: the language server's diagnostics differ from the CLI's findings\nlsp: %q\ncli: %q", rel, lsp, want)
		}
		if g.Stored != len(g.Diagnostics) {
			t.Errorf("%s: neovim holds %d diagnostics of the %d published", rel, g.Stored, len(g.Diagnostics))
		}
		if len(g.Diagnostics) > 0 && (g.Hover == nil || !strings.Contains(g.Hover.Value, g.Hover.Code)) {
			t.Errorf("%s: hover on a finding does not explain its rule: %+v", rel, g.Hover)
		}
	}
	if got.Fixes[fixAll] != wantFixAll {
		t.Errorf("fix-all through neovim:\n%s\nkubeadm-lint fix:\n%s", got.Fixes[fixAll], wantFixAll)
	}
	if got.Fixes[quick] != wantQuick {
		t.Errorf("quick fix %q through neovim:\n%s\nkubeadm-lint fix:\n%s", got.Title, got.Fixes[quick], wantQuick)
	}
	t.Logf("after the quick fix %q, the diagnostics are %v", got.Title, got.After[quick])
}

// TestNeovimSetUpFromDocs runs the plain Neovim set-up of docs/editor.md as a user's init.lua,
// with kubeadm-lint on the PATH, and opens an example: Neovim must show the CLI's findings.
func TestNeovimSetUpFromDocs(t *testing.T) {
	nvim := needTool(t, "nvim")
	page, err := os.ReadFile(filepath.Join(root, "docs", "editor.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(page), "<!-- tested by cmd/kubeadm-lint/editor_test.go -->\n```lua\n")
	initLua, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("docs/editor.md has no tested lua block")
	}
	home := t.TempDir()
	bin := filepath.Join(home, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// kubeadm-lint is this test binary, which TestMain makes the CLI.
	if err := os.Symlink(os.Args[0], filepath.Join(bin, "kubeadm-lint")); err != nil {
		t.Fatal(err)
	}
	initPath, waitPath, outPath := filepath.Join(home, "init.lua"), filepath.Join(home, "wait.lua"), filepath.Join(home, "out.json")
	if err := os.WriteFile(initPath, []byte(initLua), 0o644); err != nil {
		t.Fatal(err)
	}
	wait := `local ok = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 10)
local codes = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(codes, (d.lnum + 1) .. ' ' .. tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code))) end
table.sort(codes)
vim.fn.writefile({ vim.fn.json_encode({ ok = ok, codes = codes }) }, vim.env.KL_OUT)
vim.cmd('qa!')
`
	if err := os.WriteFile(waitPath, []byte(wait), 0o644); err != nil {
		t.Fatal(err)
	}
	example := filepath.Join(root, "testdata", "examples", "join-bad.yaml")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-n", "-u", initPath, example, "-c", "luafile "+waitPath)
	cmd.Env = append(os.Environ(), "KUBEADM_LINT_AS_CLI=1", "KL_OUT="+outPath, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"XDG_CACHE_HOME="+home, "XDG_STATE_HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home)
	nvimOut, runErr := cmd.CombinedOutput()
	raw, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatalf("neovim wrote no result (%v): %v\n%s", runErr, err, nvimOut)
	}
	var got struct {
		OK    bool
		Codes []string
	}
	if err := json.Unmarshal(raw, &got); err != nil || !got.OK {
		t.Fatalf("no diagnostics in neovim (%v): %s\n%s", err, raw, nvimOut)
	}

	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"--format", "json", example}, nil, &stdout, &stderr)
	var report struct {
		Findings []struct {
			Rule string
			Line int
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range report.Findings {
		want = append(want, fmt.Sprintf("%d %s", max(f.Line, 1), f.Rule))
	}
	slices.Sort(want)
	if !slices.Equal(got.Codes, want) {
		t.Errorf("neovim set up as docs/editor.md says shows %q; the CLI finds %q", got.Codes, want)
	}
}
