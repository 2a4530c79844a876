package lsp

import (
	"os"
	"testing"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
)

// BenchmarkChange is the time from a change of a typical config to its diagnostics, the default
// debounce included: the latency a user sees while typing. 'make bench' runs it.
func BenchmarkChange(b *testing.B) {
	text, err := os.ReadFile("../testdata/examples/cluster-good.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Rules: catalog.All()})
	if err != nil {
		b.Fatal(err)
	}
	published := make(chan struct{}, 1)
	ctx := &glsp.Context{Notify: func(string, any) { published <- struct{}{} }}
	uri := "file://" + b.TempDir() + "/kubeadm.yaml"
	if err := s.didOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, Version: 1, Text: string(text)}}); err != nil {
		b.Fatal(err)
	}
	<-published
	b.ResetTimer()
	for i := range b.N {
		// Each change makes the text differ, as typing does.
		change := protocol.TextDocumentContentChangeEventWhole{Text: string(text) + "# " + string(rune('a'+i%26)) + "\n"}
		err := s.didChange(ctx, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: protocol.Integer(i + 2)},
			ContentChanges: []any{change},
		})
		if err != nil {
			b.Fatal(err)
		}
		<-published
	}
}
