package fix

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// errLayout marks YAML that fix cannot edit in place without reformatting it: multi-line plain
// scalars, explicit indentation indicators, comments inside flow collections. Such a fix is
// skipped; nothing is ever rewritten wholesale.
var errLayout = errors.New("left for a person to edit")

// source is a file's bytes with a line index. yaml.v3 records where a node starts (line and
// column, counted in characters) but not where it ends; these methods find both as byte offsets.
type source struct {
	b       []byte
	lines   []int  // offset of the first byte of each line
	newline string // "\n", or "\r\n" when the file uses it
}

func newSource(b []byte) *source {
	s := &source{b: b, lines: []int{0}, newline: "\n"}
	for i, c := range b {
		if c == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	if i := bytes.IndexByte(b, '\n'); i > 0 && b[i-1] == '\r' {
		s.newline = "\r\n"
	}
	return s
}

// offset turns a 1-based line and character column into a byte offset.
func (s *source) offset(line, col int) (int, error) {
	if line < 1 || line > len(s.lines) || col < 1 {
		return 0, fmt.Errorf("position %d:%d is outside the file", line, col)
	}
	off := s.lines[line-1]
	for c := 1; c < col; c++ {
		if off >= len(s.b) || s.b[off] == '\n' {
			return 0, fmt.Errorf("position %d:%d is past the end of its line", line, col)
		}
		_, size := utf8.DecodeRune(s.b[off:])
		off += size
	}
	return off, nil
}

// lineStart returns the offset of the first byte of the line holding off.
func (s *source) lineStart(off int) int {
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off })
	return s.lines[i-1]
}

// lineEnd returns the offset of the line break ending the line holding off, or len(b).
func (s *source) lineEnd(off int) int {
	i := bytes.IndexByte(s.b[off:], '\n')
	if i < 0 {
		return len(s.b)
	}
	end := off + i
	if end > off && s.b[end-1] == '\r' {
		end--
	}
	return end
}

// nextLine returns the offset of the line after the one holding off, or len(b).
func (s *source) nextLine(off int) int {
	i := bytes.IndexByte(s.b[off:], '\n')
	if i < 0 {
		return len(s.b)
	}
	return off + i + 1
}

// indent returns the leading spaces of the line holding off.
func (s *source) indent(off int) string {
	start := s.lineStart(off)
	end := start
	for end < len(s.b) && s.b[end] == ' ' {
		end++
	}
	return string(s.b[start:end])
}

// blankBefore reports whether only spaces precede off on its line.
func (s *source) blankBefore(off int) bool {
	return strings.Trim(string(s.b[s.lineStart(off):off]), " ") == ""
}

// start returns the offset where a node is written, anchor and tag included.
func (s *source) start(n *yaml.Node) (int, error) {
	return s.offset(n.Line, n.Column)
}

// contentStart returns the offset of a node's text after its anchor and tag.
func (s *source) contentStart(n *yaml.Node) (int, error) {
	off, err := s.start(n)
	if err != nil || n.Kind == yaml.AliasNode {
		return off, err
	}
	for off < len(s.b) && (s.b[off] == '&' || s.b[off] == '!') {
		for off < len(s.b) && !isSpace(s.b[off]) {
			off++
		}
		for off < len(s.b) && isSpace(s.b[off]) {
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
	if n.Style&yaml.FlowStyle != 0 || cs < len(s.b) && (s.b[cs] == '{' || s.b[cs] == '[') {
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
	for off < len(s.b) && (s.b[off] == ' ' || s.b[off] == '\t') {
		off++
	}
	if off >= len(s.b) || s.b[off] != ':' {
		return 0, fmt.Errorf("key at %d:%d: %w (no ':' after it)", key.Line, key.Column, errLayout)
	}
	return off + 1, nil
}

func (s *source) scalarEnd(cs int, n *yaml.Node) (int, error) {
	b := s.b
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := cs + 1; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := cs + 1; i < len(b); i++ {
			if b[i] == '\'' {
				if i+1 < len(b) && b[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return s.blockScalarEnd(cs)
	default:
		if n.Value == "" || bytes.HasPrefix(b[cs:], []byte(n.Value)) && !strings.ContainsAny(n.Value, "\n") {
			return cs + len(n.Value), nil
		}
		return 0, fmt.Errorf("multi-line plain scalar at %d:%d: %w", n.Line, n.Column, errLayout)
	}
	return 0, fmt.Errorf("unterminated quoted scalar at %d:%d", n.Line, n.Column)
}

// blockScalarEnd finds the end of a literal or folded scalar: the last line indented more than
// the line holding its header.
func (s *source) blockScalarEnd(cs int) (int, error) {
	header := s.b[cs:s.lineEnd(cs)]
	if i := bytes.IndexByte(header, '#'); i >= 0 {
		header = header[:i]
	}
	if bytes.ContainsAny(header, "123456789") {
		return 0, fmt.Errorf("block scalar with an indentation indicator: %w", errLayout)
	}
	headerLine := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > cs }) - 1
	line := func(i int) string { return string(s.b[s.lines[i]:s.lineEnd(s.lines[i])]) }
	last := lint.BlockScalarLast(len(s.lines), line, headerLine+1, len(s.indent(cs)))
	return s.lineEnd(s.lines[last]), nil
}

// flowEnd finds the bracket closing the flow collection that opens at off.
func (s *source) flowEnd(off int) (int, error) {
	b := s.b
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
			n := &yaml.Node{Style: yaml.DoubleQuotedStyle}
			if c == '\'' {
				n.Style = yaml.SingleQuotedStyle
			}
			end, err := s.scalarEnd(i, n)
			if err != nil {
				return 0, err
			}
			i = end - 1
		case c == '#' && isSpace(prev):
			i = s.lineEnd(i) - 1
		}
		prev = c
	}
	return 0, fmt.Errorf("unterminated flow collection at byte %d", off)
}

// hasComment reports whether b[from:to] holds a comment.
func (s *source) hasComment(from, to int) bool {
	return len(s.comments(from, to)) > 0
}

// comments returns the comments in b[from:to], each "# ..." without its line break. The range
// must not start inside a scalar.
func (s *source) comments(from, to int) []string {
	var out []string
	prev := byte('\n')
	if from > 0 {
		prev = s.b[from-1]
	}
	for i := from; i < to; i++ {
		c := s.b[i]
		switch {
		case c == '#' && isSpace(prev):
			end := min(s.lineEnd(i), to)
			out = append(out, string(s.b[i:end]))
			i = end - 1
		case (c == '"' || c == '\'') && strings.IndexByte("{[,: \t\n", prev) >= 0:
			n := &yaml.Node{Style: yaml.DoubleQuotedStyle}
			if c == '\'' {
				n.Style = yaml.SingleQuotedStyle
			}
			if end, err := s.scalarEnd(i, n); err == nil {
				i = end - 1
			}
		}
		prev = c
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
