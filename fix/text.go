package fix

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/internal/yamltext"
)

// errLayout marks YAML that fix cannot edit in place without reformatting it: multi-line plain
// scalars, explicit indentation indicators, comments inside flow collections. Such a fix is
// skipped; nothing is ever rewritten wholesale.
var errLayout = errors.New("left for a person to edit")

// source is a file's text, with the comments that the linter's parse of it locates. yaml.v3
// records where a node starts (line and column, counted in characters) but not where it ends;
// these methods find both as byte offsets.
type source struct {
	*yamltext.Text
	scan *yamltext.Scan
}

func newSource(b []byte, docs []*yaml.Node) *source {
	t := yamltext.New(b)
	return &source{Text: t, scan: t.Scan(docs)}
}

// blankBefore reports whether only spaces precede off on its line.
func (s *source) blankBefore(off int) bool {
	return strings.Trim(string(s.B[s.LineStart(off):off]), " \ufeff") == ""
}

// start returns the offset where a node is written, anchor and tag included.
func (s *source) start(n *yaml.Node) (int, error) {
	return s.Offset(n.Line, n.Column)
}

// contentStart returns the offset of a node's text after its anchor and tag.
func (s *source) contentStart(n *yaml.Node) (int, error) {
	off, err := s.start(n)
	if err != nil || n.Kind == yaml.AliasNode {
		return off, err
	}
	for off < len(s.B) && (s.B[off] == '&' || s.B[off] == '!') {
		for off < len(s.B) && !isSpace(s.B[off]) {
			off++
		}
		for off < len(s.B) && isSpace(s.B[off]) {
			off++
		}
	}
	return off, nil
}

// end returns the offset just past a node's text, not counting a trailing comment.
func (s *source) end(n *yaml.Node) (int, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return s.start(n)
		}
		return s.end(n.Content[0])
	case yaml.AliasNode:
		off, err := s.start(n)
		return off + 1 + len(n.Value), err
	case yaml.ScalarNode:
		cs, err := s.contentStart(n)
		if err != nil {
			return 0, err
		}
		return s.scalarEnd(cs, n)
	}
	cs, err := s.contentStart(n)
	if err != nil {
		return 0, err
	}
	if n.Style&yaml.FlowStyle != 0 || cs < len(s.B) && (s.B[cs] == '{' || s.B[cs] == '[') {
		return s.flowEnd(cs)
	}
	if len(n.Content) == 0 {
		return cs, nil
	}
	last := n.Content[len(n.Content)-1]
	end, err := s.end(last)
	if err != nil || n.Kind != yaml.MappingNode {
		return end, err
	}
	// An empty value ends where its key's colon does.
	keyEnd, err := s.afterColon(n.Content[len(n.Content)-2])
	return max(end, keyEnd), err
}

// afterColon returns the offset just past the ':' that follows a mapping key.
func (s *source) afterColon(key *yaml.Node) (int, error) {
	off, err := s.end(key)
	if err != nil {
		return 0, err
	}
	for off < len(s.B) && (s.B[off] == ' ' || s.B[off] == '\t') {
		off++
	}
	if off >= len(s.B) || s.B[off] != ':' {
		return 0, fmt.Errorf("key at %d:%d: %w (no ':' after it)", key.Line, key.Column, errLayout)
	}
	return off + 1, nil
}

func (s *source) scalarEnd(cs int, n *yaml.Node) (int, error) {
	switch {
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		end, err := s.QuotedEnd(cs)
		if err != nil {
			return 0, fmt.Errorf("unterminated quoted scalar at %d:%d", n.Line, n.Column)
		}
		return end, nil
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return s.blockScalarEnd(cs)
	}
	if n.Value == "" || bytes.HasPrefix(s.B[cs:], []byte(n.Value)) && !strings.ContainsAny(n.Value, "\n") {
		return cs + len(n.Value), nil
	}
	return 0, fmt.Errorf("multi-line plain scalar at %d:%d: %w", n.Line, n.Column, errLayout)
}

// blockScalarEnd finds the end of a literal or folded scalar: the last line indented more than
// the line holding its header.
func (s *source) blockScalarEnd(cs int) (int, error) {
	header := s.B[cs:s.LineEnd(cs)]
	if i := bytes.IndexByte(header, '#'); i >= 0 {
		header = header[:i]
	}
	if bytes.ContainsAny(header, "123456789") {
		return 0, fmt.Errorf("block scalar with an indentation indicator: %w", errLayout)
	}
	last := s.BlockLast(s.LineIndex(cs)+1, len(s.Indent(cs)))
	return s.LineEnd(s.LineOffset(last)), nil
}

// flowEnd finds the bracket closing the flow collection that opens at off.
func (s *source) flowEnd(off int) (int, error) {
	b := s.B
	depth := 0
	prev := byte(' ')
	for i := off; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case (c == '"' || c == '\'') && strings.IndexByte("{[,: \t\n", prev) >= 0:
			end, err := s.QuotedEnd(i)
			if err != nil {
				return 0, err
			}
			i = end - 1
		case c == '#' && len(s.scan.In(i, i+1)) > 0:
			i = s.LineEnd(i) - 1
		}
		prev = c
	}
	return 0, fmt.Errorf("unterminated flow collection at byte %d", off)
}

// hasComment reports whether b[from:to] holds a comment.
func (s *source) hasComment(from, to int) bool {
	return len(s.scan.In(from, to)) > 0
}

// comments returns the comments that start in b[from:to], each "# ..." without its line break.
func (s *source) comments(from, to int) []string {
	var out []string
	for _, c := range s.scan.In(from, to) {
		out = append(out, string(s.B[c.Off:min(s.LineEnd(c.Off), to)]))
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// textEdit replaces b[start:end] with text; start == end inserts.
type textEdit struct {
	start, end int
	text       string
}

// splice applies edits to b. Edits must not overlap; insertions at one offset keep their order
// and come before a replacement starting there.
func splice(b []byte, edits []textEdit) ([]byte, error) {
	sorted := append([]textEdit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].start != sorted[j].start {
			return sorted[i].start < sorted[j].start
		}
		return sorted[i].start == sorted[i].end && sorted[j].start != sorted[j].end
	})
	var out bytes.Buffer
	pos := 0
	for _, e := range sorted {
		if e.start < pos || e.end < e.start || e.end > len(b) {
			return nil, fmt.Errorf("overlapping edits at byte %d", e.start)
		}
		out.Write(b[pos:e.start])
		out.WriteString(e.text)
		pos = e.end
	}
	out.Write(b[pos:])
	return out.Bytes(), nil
}
