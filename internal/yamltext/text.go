// Package yamltext reads YAML as text where yaml.v3's nodes say too little: a node records where
// it starts (line, and column in characters) but not where it ends, and comments are not located
// at all. Suppression comments (lint) and fix's splices both read YAML through it, so a quoted
// scalar, a block scalar or a comment is recognised in one way only.
package yamltext

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Text is a source with a line index.
type Text struct {
	B       []byte
	starts  []int  // offset of the first byte of each line
	Newline string // "\n", or "\r\n" when the text uses it
	bom     int    // bytes of a leading byte order mark, which yaml.v3 does not count as a column
}

var byteOrderMark = []byte("\xef\xbb\xbf")

// New indexes b.
func New(b []byte) *Text {
	t := &Text{B: b, starts: []int{0}, Newline: "\n"}
	for i, c := range b {
		if c == '\n' {
			t.starts = append(t.starts, i+1)
		}
	}
	if i := bytes.IndexByte(b, '\n'); i > 0 && b[i-1] == '\r' {
		t.Newline = "\r\n"
	}
	if bytes.HasPrefix(b, byteOrderMark) {
		t.bom = len(byteOrderMark)
	}
	return t
}

// Lines returns the number of lines; text after the last line break counts as one.
func (t *Text) Lines() int { return len(t.starts) }

// Line returns line i (0-based) without its line break.
func (t *Text) Line(i int) string {
	return string(t.B[t.starts[i]:t.LineEnd(t.starts[i])])
}

// Offset turns a 1-based line and character column, as yaml.v3 counts them, into a byte offset.
func (t *Text) Offset(line, col int) (int, error) {
	if line < 1 || line > len(t.starts) || col < 1 {
		return 0, fmt.Errorf("position %d:%d is outside the file", line, col)
	}
	off := t.starts[line-1]
	if line == 1 {
		off += t.bom
	}
	for c := 1; c < col; c++ {
		if off >= len(t.B) || t.B[off] == '\n' {
			return 0, fmt.Errorf("position %d:%d is past the end of its line", line, col)
		}
		_, size := utf8.DecodeRune(t.B[off:])
		off += size
	}
	return off, nil
}

// LineOffset returns the offset of the first byte of line i (0-based).
func (t *Text) LineOffset(i int) int { return t.starts[i] }

// LineIndex returns the 0-based line holding off.
func (t *Text) LineIndex(off int) int {
	return sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > off }) - 1
}

// LineStart returns the offset of the first byte of the line holding off.
func (t *Text) LineStart(off int) int { return t.starts[t.LineIndex(off)] }

// LineEnd returns the offset of the line break ending the line holding off, or len(B).
func (t *Text) LineEnd(off int) int {
	i := bytes.IndexByte(t.B[off:], '\n')
	if i < 0 {
		return len(t.B)
	}
	end := off + i
	if end > off && t.B[end-1] == '\r' {
		end--
	}
	return end
}

// NextLine returns the offset of the line after the one holding off, or len(B).
func (t *Text) NextLine(off int) int {
	i := bytes.IndexByte(t.B[off:], '\n')
	if i < 0 {
		return len(t.B)
	}
	return off + i + 1
}

// Indent returns the leading spaces of the line holding off.
func (t *Text) Indent(off int) string {
	start := t.LineStart(off)
	end := start
	for end < len(t.B) && t.B[end] == ' ' {
		end++
	}
	return string(t.B[start:end])
}

// QuotedEnd returns the offset just past the quoted scalar that opens at open, a ' or a ".
func (t *Text) QuotedEnd(open int) (int, error) {
	b, q := t.B, t.B[open]
	for i := open + 1; i < len(b); i++ {
		switch {
		case q == '"' && b[i] == '\\':
			i++
		case q == '\'' && b[i] == '\'' && i+1 < len(b) && b[i+1] == '\'':
			i++
		case b[i] == q:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated quoted scalar at byte %d", open)
}

// BlockLast returns the 0-based index of the last text line of a literal or folded scalar ("|"
// or ">") whose header is on line first-1, or first-1 when it has no text. The text is the lines
// that are blank or indented at least as far as the first text line, which must be indented more
// than parent, the indentation of the block holding the scalar.
func (t *Text) BlockLast(first, parent int) int {
	last, content := first-1, -1
	for i := first; i < len(t.starts); i++ {
		text := t.Line(i)
		if strings.TrimSpace(text) == "" {
			continue
		}
		ind := len(text) - len(strings.TrimLeft(text, " "))
		if content < 0 {
			if ind <= parent {
				break
			}
			content = ind
		}
		if ind < content {
			break
		}
		last = i
	}
	return last
}
