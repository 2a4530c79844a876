// Package lsp is kubeadm-lint's language server: the linter's findings as diagnostics while the
// user types, the rules' fixes as quick fixes, and a rule's explanation on hover. It finds
// nothing of its own: every buffer goes through the CLI's pipeline (the settings file found from
// the buffer's directory, the catalog's rules, the policy and the inline suppressions), and every
// edit comes from package fix, so that the editor shows what 'kubeadm-lint' reports and applies
// what 'kubeadm-lint fix' writes.
//
// The protocol types and the JSON-RPC framing are github.com/tliron/glsp's.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"github.com/tliron/glsp/server"

	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// Name is the server's name, and the source of its diagnostics.
const Name = "kubeadm-lint"

// DefaultDebounce is how long the server waits after a change before it lints: long enough to
// let a burst of keystrokes through as one lint, short enough not to be noticed.
const DefaultDebounce = 20 * time.Millisecond

// sourceFixAll is LSP 3.15's kind of the action that applies every safe fix, which glsp's
// 3.16 types do not name.
const sourceFixAll = protocol.CodeActionKind("source.fixAll")

// maxPipelines bounds the pipelines kept, one per directory with open buffers: each holds a
// parsed settings file and a linter.
const maxPipelines = 32

// Config configures a Server.
type Config struct {
	// Rules are the rules to run and explain: catalog.All().
	Rules []*lint.Rule
	// Flags are the command line's choices, which win over the settings file's, as in the CLI.
	Flags pipeline.Flags
	// Settings names the settings file; empty looks for .kubeadm-lint.yaml from each buffer's
	// directory up, as the CLI does from its working directory.
	Settings string
	// Debounce is the wait after a change; zero is DefaultDebounce.
	Debounce time.Duration
	Log      *slog.Logger
	// Version is the server's version, which initialize reports.
	Version string
}

// Server is a language server. Its state is the open buffers, and a bounded cache of pipelines.
type Server struct {
	cfg Config
	log *slog.Logger

	mu        sync.Mutex
	docs      map[string]*buffer // by URI: the open buffers only
	pipelines map[string]*pipelines
	root      string // the workspace root, for buffers without a file
	notify    glsp.NotifyFunc
}

// buffer is one open document.
type buffer struct {
	uri     string
	path    string // the file it is, or "" for a buffer with none
	text    string
	version protocol.Integer
	timer   *time.Timer
	// findings are those of the last lint, without their parse, for hover and code actions.
	findings []finding
}

// finding is one published diagnostic and the finding it shows.
type finding struct {
	lint.Finding
	rng protocol.Range
}

// pipelines are the two pipelines of one settings lookup: lint's, and fix's, which sees every
// finding rather than the first 100 of a rule.
type pipelines struct {
	lint, fix *pipeline.Pipeline
}

// New returns a Server.
func New(cfg Config) (*Server, error) {
	if len(cfg.Rules) == 0 {
		return nil, errors.New("invalid configuration: no rules")
	}
	if cfg.Debounce == 0 {
		cfg.Debounce = DefaultDebounce
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Server{cfg: cfg, log: cfg.Log, docs: map[string]*buffer{}, pipelines: map[string]*pipelines{}}, nil
}

// RunStdio serves one client on standard input and output until it exits.
func (s *Server) RunStdio() error {
	return server.NewServer(s.handler(), Name, false).RunStdio()
}

func (s *Server) handler() *protocol.Handler {
	return &protocol.Handler{
		Initialize:             s.initialize,
		Initialized:            func(*glsp.Context, *protocol.InitializedParams) error { return nil },
		Shutdown:               s.shutdown,
		SetTrace:               func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		TextDocumentDidOpen:    s.didOpen,
		TextDocumentDidChange:  s.didChange,
		TextDocumentDidSave:    s.didSave,
		TextDocumentDidClose:   s.didClose,
		TextDocumentCodeAction: s.codeAction,
		TextDocumentHover:      s.hover,
	}
}

func (s *Server) initialize(ctx *glsp.Context, params *protocol.InitializeParams) (any, error) {
	s.mu.Lock()
	s.notify = ctx.Notify
	switch {
	case len(params.WorkspaceFolders) > 0:
		s.root = uriPath(params.WorkspaceFolders[0].URI)
	case params.RootURI != nil:
		s.root = uriPath(*params.RootURI)
	}
	s.mu.Unlock()
	caps := s.handler().CreateServerCapabilities()
	caps.TextDocumentSync = &protocol.TextDocumentSyncOptions{
		OpenClose: ptr(true),
		Change:    ptr(protocol.TextDocumentSyncKindFull),
		Save:      true,
	}
	caps.CodeActionProvider = &protocol.CodeActionOptions{
		CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, sourceFixAll},
	}
	return protocol.InitializeResult{
		Capabilities: caps,
		ServerInfo:   &protocol.InitializeResultServerInfo{Name: Name, Version: &s.cfg.Version},
	}, nil
}

func (s *Server) shutdown(*glsp.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.docs {
		if b.timer != nil {
			b.timer.Stop()
		}
	}
	s.docs = map[string]*buffer{}
	return nil
}

func (s *Server) didOpen(ctx *glsp.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	s.mu.Lock()
	s.notify = ctx.Notify
	b := &buffer{uri: td.URI, path: uriPath(td.URI), text: td.Text, version: td.Version}
	s.docs[td.URI] = b
	if isSettings(b.path) {
		s.pipelines = map[string]*pipelines{}
	}
	s.mu.Unlock()
	s.lint(td.URI, td.Version) // at once: the user has just opened it
	return nil
}

func (s *Server) didChange(ctx *glsp.Context, params *protocol.DidChangeTextDocumentParams) error {
	uri := params.TextDocument.URI
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notify = ctx.Notify
	b := s.docs[uri]
	if b == nil {
		return nil
	}
	for _, c := range params.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEventWhole:
			b.text = c.Text
		case protocol.TextDocumentContentChangeEvent:
			// The server asks for whole documents; a client that sends ranges anyway is followed.
			start, end := offset(b.text, c.Range.Start), offset(b.text, c.Range.End)
			b.text = b.text[:start] + c.Text + b.text[end:]
		}
	}
	b.version = params.TextDocument.Version
	version := b.version
	if b.timer != nil {
		b.timer.Stop()
	}
	b.timer = time.AfterFunc(s.cfg.Debounce, func() { s.lint(uri, version) })
	return nil
}

func (s *Server) didSave(_ *glsp.Context, params *protocol.DidSaveTextDocumentParams) error {
	if !isSettings(uriPath(params.TextDocument.URI)) {
		return nil
	}
	// The settings changed: every buffer is linted again with them.
	s.mu.Lock()
	s.pipelines = map[string]*pipelines{}
	type open struct {
		uri     string
		version protocol.Integer
	}
	var all []open
	for _, b := range s.docs {
		all = append(all, open{b.uri, b.version})
	}
	s.mu.Unlock()
	for _, o := range all {
		s.lint(o.uri, o.version)
	}
	return nil
}

func (s *Server) didClose(ctx *glsp.Context, params *protocol.DidCloseTextDocumentParams) error {
	uri := params.TextDocument.URI
	s.mu.Lock()
	if b := s.docs[uri]; b != nil && b.timer != nil {
		b.timer.Stop()
	}
	delete(s.docs, uri)
	s.mu.Unlock()
	ctx.Notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: []protocol.Diagnostic{}})
	return nil
}

func isSettings(path string) bool { return filepath.Base(path) == config.FileName }

// pipelinesFor returns the pipelines for a buffer: the settings file is looked for from its
// directory, as the CLI looks from its working directory.
func (s *Server) pipelinesFor(b *buffer) (*pipelines, error) {
	dir := s.root
	if b.path != "" {
		dir = filepath.Dir(b.path)
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	s.mu.Lock()
	p := s.pipelines[dir]
	s.mu.Unlock()
	if p != nil {
		return p, nil
	}
	cfg := pipeline.Config{Settings: s.cfg.Settings, WorkDir: dir, Flags: s.cfg.Flags, Rules: s.cfg.Rules}
	lintP, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	cfg.AllFindings = true
	fixP, err := pipeline.New(cfg)
	if err != nil {
		return nil, err
	}
	p = &pipelines{lint: lintP, fix: fixP}
	s.mu.Lock()
	if len(s.pipelines) >= maxPipelines {
		s.pipelines = map[string]*pipelines{}
	}
	s.pipelines[dir] = p
	s.mu.Unlock()
	return p, nil
}

// source is a buffer as the pipeline reads a file: found by a walk, so that a YAML file that
// holds no configuration gets no diagnostic, and a script when its name says so.
func source(b *buffer) lint.Source {
	name := b.path
	if name == "" {
		name = b.uri
	}
	return lint.Source{Name: name, Data: []byte(b.text), Walked: true, Script: strings.HasSuffix(name, ".sh")}
}

// lint lints a buffer as it is at version and publishes its diagnostics, unless it changed or
// closed meanwhile.
func (s *Server) lint(uri string, version protocol.Integer) {
	s.mu.Lock()
	b := s.docs[uri]
	if b == nil || b.version != version {
		s.mu.Unlock()
		return
	}
	snapshot := *b
	notify := s.notify
	s.mu.Unlock()

	diags, findings := s.diagnose(&snapshot)

	s.mu.Lock()
	if b := s.docs[uri]; b == nil || b.version != version {
		s.mu.Unlock()
		return
	}
	b.findings = findings
	s.mu.Unlock()
	if notify != nil {
		v := protocol.UInteger(version)
		notify(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: uri, Version: &v, Diagnostics: diags})
	}
}

// diagnose lints a buffer through its pipeline.
func (s *Server) diagnose(b *buffer) ([]protocol.Diagnostic, []finding) {
	diags := []protocol.Diagnostic{}
	p, err := s.pipelinesFor(b)
	if err != nil {
		// A broken settings file is shown on the buffer's first line, as the CLI stops on it.
		return append(diags, problem(0, fmt.Sprintf("settings: %v", err))), nil
	}
	if len(b.text) > lint.MaxFileSize {
		return append(diags, problem(0, fmt.Sprintf("file is larger than the %d MiB limit; not linted", lint.MaxFileSize>>20))), nil
	}
	res, err := p.lint.Lint(context.Background(), source(b))
	if err != nil {
		var in *lint.InputError
		line := 0
		if errors.As(err, &in) && in.Line > 0 {
			line = in.Line - 1
			err = in.Err
		}
		return append(diags, problem(line, err.Error())), nil
	}
	lines := strings.Split(b.text, "\n")
	var out []finding
	for _, f := range res.Findings {
		rng := findingRange(lines, f)
		f.Doc, f.Node = nil, nil // they would keep the parse alive as long as the buffer is open
		out = append(out, finding{Finding: f, rng: rng})
		diags = append(diags, s.diagnostic(b.uri, f, rng))
	}
	return diags, out
}

func problem(line int, msg string) protocol.Diagnostic {
	pos := protocol.Position{Line: protocol.UInteger(line)}
	return protocol.Diagnostic{
		Range:    protocol.Range{Start: pos, End: pos},
		Severity: ptr(protocol.DiagnosticSeverityError),
		Source:   ptr(Name),
		Message:  msg,
	}
}

func (s *Server) diagnostic(uri string, f lint.Finding, rng protocol.Range) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:           rng,
		Severity:        ptr(severity(f.Severity)),
		Code:            &protocol.IntegerOrString{Value: f.Rule},
		CodeDescription: &protocol.CodeDescription{HRef: output.RuleDocsURL(f.Rule)},
		Source:          ptr(Name),
		Message:         f.Message,
	}
	if f.Hint != "" {
		d.RelatedInformation = []protocol.DiagnosticRelatedInformation{{
			Location: protocol.Location{URI: uri, Range: rng},
			Message:  f.Hint,
		}}
	}
	return d
}

func severity(s lint.Severity) protocol.DiagnosticSeverity {
	switch s {
	case lint.SeverityError:
		return protocol.DiagnosticSeverityError
	case lint.SeverityWarning:
		return protocol.DiagnosticSeverityWarning
	}
	return protocol.DiagnosticSeverityInformation
}

// findingRange is where a finding is shown: from its position to the end of its node's value
// when that is on the same line, else to the end of the line.
func findingRange(lines []string, f lint.Finding) protocol.Range {
	if f.Pos.Line == 0 || f.Pos.Line > len(lines) {
		return protocol.Range{}
	}
	line := strings.TrimRight(lines[f.Pos.Line-1], " \t\r")
	start := runeOffset(line, f.Pos.Column-1)
	end := len(line)
	if n := f.Node; n != nil && n.Line == f.Pos.Line && n.Column == f.Pos.Column && n.Value != "" && !strings.Contains(n.Value, "\n") {
		if i := strings.Index(line[start:], n.Value); i == 0 {
			end = start + len(n.Value)
		}
	}
	if end < start {
		end = start
	}
	l := protocol.UInteger(f.Pos.Line - 1)
	return protocol.Range{
		Start: protocol.Position{Line: l, Character: utf16Len(line[:start])},
		End:   protocol.Position{Line: l, Character: utf16Len(line[:end])},
	}
}

// codeAction offers, for each finding in the range whose rule offers one fix, that fix alone,
// and one action that applies every safe fix, as 'kubeadm-lint fix' does.
func (s *Server) codeAction(_ *glsp.Context, params *protocol.CodeActionParams) (any, error) {
	s.mu.Lock()
	b := s.docs[params.TextDocument.URI]
	var snapshot buffer
	if b != nil {
		snapshot = *b
	}
	s.mu.Unlock()
	actions := []protocol.CodeAction{}
	if b == nil {
		return actions, nil
	}
	p, err := s.pipelinesFor(&snapshot)
	if err != nil {
		return actions, nil
	}
	only := params.Context.Only
	want := func(kind protocol.CodeActionKind) bool {
		return len(only) == 0 || slices.ContainsFunc(only, func(k protocol.CodeActionKind) bool {
			return k == kind || strings.HasPrefix(string(kind), string(k)+".")
		})
	}
	if want(protocol.CodeActionKindQuickFix) {
		for _, f := range snapshot.findings {
			if len(f.Fixes) != 1 || !overlaps(f.rng, params.Range) {
				continue
			}
			key := f.Finding
			edit, err := s.fixEdit(p, &snapshot, func(fd lint.Finding) bool {
				return fd.Rule == key.Rule && fd.Pos.Line == key.Pos.Line && fd.Pos.Column == key.Pos.Column
			})
			if err != nil || edit == nil {
				continue
			}
			actions = append(actions, protocol.CodeAction{
				Title:       f.Rule + ": " + f.Fixes[0].Message,
				Kind:        ptr(protocol.CodeActionKindQuickFix),
				Diagnostics: []protocol.Diagnostic{s.diagnostic(snapshot.uri, f.Finding, f.rng)},
				IsPreferred: ptr(true),
				Edit:        edit,
			})
		}
	}
	if want(sourceFixAll) {
		if edit, err := s.fixEdit(p, &snapshot, nil); err == nil && edit != nil {
			actions = append(actions, protocol.CodeAction{
				Title: "kubeadm-lint: apply every safe fix",
				Kind:  ptr(sourceFixAll),
				Edit:  edit,
			})
		}
	}
	return actions, nil
}

// fixEdit runs package fix on the buffer, on the findings selected (nil: all), and returns the
// change as one edit, or nil when nothing changes.
func (s *Server) fixEdit(p *pipelines, b *buffer, selected func(lint.Finding) bool) (*protocol.WorkspaceEdit, error) {
	fixer, err := fixerFor(p.fix, selected)
	if err != nil {
		return nil, err
	}
	res, err := fixer.Fix(context.Background(), source(b))
	if err != nil {
		return nil, err
	}
	if !res.Changed() {
		return nil, nil
	}
	return &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{
		b.uri: {textEdit(string(res.Before), string(res.After))},
	}}, nil
}

// hover shows the explanation of the rules whose findings cover the position: what
// 'kubeadm-lint explain' prints.
func (s *Server) hover(_ *glsp.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	s.mu.Lock()
	b := s.docs[params.TextDocument.URI]
	var findings []finding
	if b != nil {
		findings = b.findings
	}
	s.mu.Unlock()
	var parts []string
	var seen []string
	for _, f := range findings {
		if !contains(f.rng, params.Position) || slices.Contains(seen, f.Rule) {
			continue
		}
		seen = append(seen, f.Rule)
		if r := rules.Lookup(s.cfg.Rules, f.Rule); r != nil {
			parts = append(parts, rules.Markdown(r))
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: strings.Join(parts, "\n---\n\n")}}, nil
}

// uriPath is the file a file:// URI names, or "".
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.FromSlash(u.Path)
}

func ptr[T any](v T) *T { return &v }
