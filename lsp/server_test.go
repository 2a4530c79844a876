package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
)

// The protocol itself is tested through Neovim's client (cmd/kubeadm-lint/editor_test.go);
// these tests hold the server's own decisions.

func newServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// recorder is a client's end of notifications.
type recorder struct {
	mu        sync.Mutex
	published []protocol.PublishDiagnosticsParams
}

func (r *recorder) context() *glsp.Context {
	return &glsp.Context{Notify: func(method string, params any) {
		if p, ok := params.(protocol.PublishDiagnosticsParams); ok && method == protocol.ServerTextDocumentPublishDiagnostics {
			r.mu.Lock()
			r.published = append(r.published, p)
			r.mu.Unlock()
		}
	}}
}

func codes(p protocol.PublishDiagnosticsParams) []string {
	var out []string
	for _, d := range p.Diagnostics {
		if d.Code != nil {
			out = append(out, d.Code.Value.(string))
		}
	}
	slices.Sort(out)
	return out
}

const clusterConfig = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/33
  serviceSubnet: 10.96.0.0/12 # kubeadm-lint:ignore KL101 the lab runs no Services of its own
`

func TestSettingsAndSuppressions(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "clusters", "lab")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sub, "kubeadm.yaml")
	open := func(t *testing.T) []string {
		s, r := newServer(t), &recorder{}
		uri := "file://" + filepath.ToSlash(path)
		err := s.didOpen(r.context(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, LanguageID: "yaml", Version: 1, Text: clusterConfig}})
		if err != nil || len(r.published) != 1 {
			t.Fatalf("didOpen: %v, %d publications", err, len(r.published))
		}
		return codes(r.published[0])
	}
	without := open(t)
	if !slices.Contains(without, "KL203") || !slices.Contains(without, "KL008") || slices.Contains(without, "KL101") {
		t.Errorf("without settings: %v; want KL203 and KL008, and KL101 suppressed by its ignore comment", without)
	}
	// The settings file of the workspace, two directories up, turns KL203 off.
	if err := os.WriteFile(filepath.Join(dir, ".kubeadm-lint.yaml"), []byte("rules:\n  KL203: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	with := open(t)
	if slices.Contains(with, "KL203") || !slices.Contains(with, "KL008") {
		t.Errorf("with KL203 off in the settings: %v", with)
	}
}

func TestNotAConfigurationGetsNoDiagnostics(t *testing.T) {
	s, r := newServer(t), &recorder{}
	err := s.didOpen(r.context(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: "file:///tmp/workflow.yaml", LanguageID: "yaml", Version: 1, Text: "on: push\njobs: {}\n"}})
	if err != nil || len(r.published) != 1 || len(r.published[0].Diagnostics) != 0 {
		t.Fatalf("didOpen: %v; published %+v", err, r.published)
	}
}

func TestInputErrorIsADiagnostic(t *testing.T) {
	s, r := newServer(t), &recorder{}
	err := s.didOpen(r.context(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: "file:///tmp/kubeadm.yaml", LanguageID: "yaml", Version: 1, Text: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: [\n"}})
	if err != nil || len(r.published) != 1 || len(r.published[0].Diagnostics) != 1 {
		t.Fatalf("didOpen: %v; published %+v", err, r.published)
	}
	if d := r.published[0].Diagnostics[0]; d.Range.Start.Line == 0 || d.Message == "" {
		t.Errorf("the parse error is not on its line: %+v", d)
	}
}

// TestStaleLintIsNotPublished: a lint of a version the user has since changed, or of a closed
// buffer, publishes nothing, so that old findings never overwrite new ones.
func TestStaleLintIsNotPublished(t *testing.T) {
	s, r := newServer(t), &recorder{}
	uri := "file:///tmp/kubeadm.yaml"
	if err := s.didOpen(r.context(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, Version: 1, Text: clusterConfig}}); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.docs[uri].version = 2
	s.mu.Unlock()
	s.lint(uri, 1)
	if len(r.published) != 1 {
		t.Errorf("a lint of version 1 published after version 2 came: %d publications", len(r.published))
	}
	s.lint(uri, 2)
	if len(r.published) != 2 {
		t.Errorf("the lint of the current version published %d times", len(r.published)-1)
	}
}

// TestMemoryIsBounded: a closed buffer is forgotten, its diagnostics cleared, and the pipelines
// kept for directories stay below maxPipelines however many directories the editor visits.
func TestMemoryIsBounded(t *testing.T) {
	s, r := newServer(t), &recorder{}
	dir := t.TempDir()
	for i := range maxPipelines + 8 {
		uri := "file://" + filepath.ToSlash(filepath.Join(dir, strings.Repeat("d", i+1), "kubeadm.yaml"))
		if err := s.didOpen(r.context(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, Version: 1, Text: clusterConfig}}); err != nil {
			t.Fatal(err)
		}
		if err := s.didClose(r.context(), &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}); err != nil {
			t.Fatal(err)
		}
		if n := len(s.pipelines); n > maxPipelines {
			t.Fatalf("%d pipelines kept", n)
		}
	}
	if len(s.docs) != 0 {
		t.Errorf("%d closed buffers kept", len(s.docs))
	}
	if last := r.published[len(r.published)-1]; len(last.Diagnostics) != 0 {
		t.Errorf("closing a buffer left its diagnostics: %+v", last)
	}
}

func TestTextEdit(t *testing.T) {
	for _, tc := range []struct{ name, before, after string }{
		{name: "a changed value", before: "a: 1\nb: x,y\nc: 3\n", after: "a: 1\nb: x\nc: 3\n"},
		{name: "a removed line", before: "a:\n- x\n- y\n", after: "a:\n- x\n"},
		{name: "text after characters outside the BMP", before: "# 🚀 é\nv: old\n", after: "# 🚀 é\nv: new\n"},
		{name: "a change inside a multi-byte character", before: "v: é\n", after: "v: è\n"},
		{name: "nothing", before: "a: 1\n", after: "a: 1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := textEdit(tc.before, tc.after)
			start, end := offset(tc.before, e.Range.Start), offset(tc.before, e.Range.End)
			if got := tc.before[:start] + e.NewText + tc.before[end:]; got != tc.after {
				t.Errorf("the edit %+v gives %q, want %q", e, got, tc.after)
			}
		})
	}
}
