package lsp

import (
	"strings"
	"unicode/utf8"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/kubeadm-lint/kubeadm-lint/fix"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

func fixerFor(p *pipeline.Pipeline, selected func(lint.Finding) bool) (*fix.Fixer, error) {
	return fix.New(fix.Config{Linter: p, Fixes: true, Select: selected})
}

// LSP positions count UTF-16 code units; the linter's columns count characters.

// runeOffset is the byte offset of the n-th character of line (0-based), or len(line).
func runeOffset(line string, n int) int {
	for i := range line {
		if n == 0 {
			return i
		}
		n--
	}
	return len(line)
}

func utf16Len(s string) protocol.UInteger {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return protocol.UInteger(n)
}

// offset is the byte offset of an LSP position in text, clamped to the text.
func offset(text string, pos protocol.Position) int {
	off := 0
	for line := protocol.UInteger(0); line < pos.Line; line++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	units := protocol.UInteger(0)
	for i, r := range text[off:] {
		if units >= pos.Character || r == '\n' {
			return off + i
		}
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
	}
	return len(text)
}

// position is the LSP position of a byte offset in text.
func position(text string, off int) protocol.Position {
	before := text[:off]
	line := strings.Count(before, "\n")
	start := strings.LastIndexByte(before, '\n') + 1
	return protocol.Position{Line: protocol.UInteger(line), Character: utf16Len(before[start:])}
}

// textEdit is one edit that turns before into after: the text between their common prefix and
// suffix, so that the editor keeps the cursor and the marks elsewhere.
func textEdit(before, after string) protocol.TextEdit {
	p := 0
	for p < len(before) && p < len(after) && before[p] == after[p] {
		p++
	}
	for p > 0 && p < len(before) && !utf8.RuneStart(before[p]) {
		p--
	}
	s := 0
	for s < len(before)-p && s < len(after)-p && before[len(before)-1-s] == after[len(after)-1-s] {
		s++
	}
	for s > 0 && !utf8.RuneStart(before[len(before)-s]) {
		s--
	}
	return protocol.TextEdit{
		Range:   protocol.Range{Start: position(before, p), End: position(before, len(before)-s)},
		NewText: after[p : len(after)-s],
	}
}

func overlaps(a, b protocol.Range) bool {
	return !less(a.End, b.Start) && !less(b.End, a.Start)
}

func contains(r protocol.Range, p protocol.Position) bool {
	return !less(p, r.Start) && !less(r.End, p)
}

func less(a, b protocol.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
}
