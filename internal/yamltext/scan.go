package yamltext

import (
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Comment is a comment of a source.
type Comment struct {
	Off       int    // byte offset of the '#'
	Line, Col int    // 1-based; Col counts characters, as yaml.v3 does
	Text      string // after the '#', to the end of the line
	Trailing  bool   // something other than blanks precedes it on its line
}

// Scan is what a walk of a source's node trees finds in its text.
type Scan struct {
	// Comments are in source order.
	Comments []Comment
	// Spans maps the line where a mapping key or a list item starts to the last line it
	// occupies, both 1-based.
	Spans map[int]int
}

// Scan locates the comments of t, whose YAML documents are nodes. A '#' starts a comment at the
// start of a line or after a blank, unless it is text of a quoted or block scalar, which the node
// trees locate.
func (t *Text) Scan(nodes []*yaml.Node) *Scan {
	w := &walker{t: t, spans: map[int]int{}}
	for _, n := range nodes {
		w.walk(n, -1)
	}
	sort.Slice(w.masks, func(i, j int) bool { return w.masks[i][0] < w.masks[j][0] })
	s := &Scan{Spans: w.spans}
	m := 0 // masks before m end before the offset scanned
	for li := range t.starts {
		start, end := t.starts[li], t.LineEnd(t.starts[li])
		for off := start; off < end; off++ {
			if t.B[off] != '#' || off > start && t.B[off-1] != ' ' && t.B[off-1] != '\t' {
				continue
			}
			for m < len(w.masks) && w.masks[m][1] <= off {
				m++
			}
			if m < len(w.masks) && w.masks[m][0] <= off {
				off = w.masks[m][1] - 1
				continue
			}
			line := string(t.B[start:off])
			if li == 0 {
				line = string(t.B[start+t.bom : off])
			}
			s.Comments = append(s.Comments, Comment{
				Off: off, Line: li + 1, Col: utf8.RuneCountInString(line) + 1,
				Text: string(t.B[off+1 : end]), Trailing: strings.TrimSpace(line) != "",
			})
			break
		}
	}
	return s
}

// In returns the comments that start in [from, to).
func (s *Scan) In(from, to int) []Comment {
	i := sort.Search(len(s.Comments), func(i int) bool { return s.Comments[i].Off >= from })
	j := sort.Search(len(s.Comments), func(i int) bool { return s.Comments[i].Off >= to })
	return s.Comments[i:j]
}

// walker masks the byte ranges of quoted and block scalars, where a '#' is text, and records
// where keys and list items end.
type walker struct {
	t     *Text
	masks [][2]int // [from, to) byte offsets
	spans map[int]int
}

// walk returns the last line n occupies. indent is the indentation of n's parent block, which a
// block scalar's text must exceed.
func (w *walker) walk(n *yaml.Node, indent int) int {
	if n == nil {
		return 0
	}
	end := n.Line
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			end = max(end, w.walk(c, -1))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			e := max(w.walk(k, indent), w.walk(v, k.Column-1))
			w.spans[k.Line] = max(w.spans[k.Line], e)
			end = max(end, e)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			e := w.walk(c, n.Column-1)
			w.spans[c.Line] = max(w.spans[c.Line], e)
			end = max(end, e)
		}
	case yaml.ScalarNode:
		switch {
		case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
			end = w.quoted(n)
		case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
			end = w.block(n, indent)
		}
	}
	// An alias node is one token; its target was walked where it is defined.
	return end
}

// quoted masks a quoted scalar, from its opening quote to its closing one, and returns its last line.
func (w *walker) quoted(n *yaml.Node) int {
	off, err := w.t.Offset(n.Line, n.Column)
	if err != nil {
		return n.Line
	}
	// The node starts at its anchor or tag, if it has one.
	for off < len(w.t.B) && w.t.B[off] != '"' && w.t.B[off] != '\'' && w.t.B[off] != '\n' {
		off++
	}
	if off >= len(w.t.B) || w.t.B[off] == '\n' {
		return n.Line
	}
	end, err := w.t.QuotedEnd(off)
	if err != nil {
		end = len(w.t.B)
	}
	w.masks = append(w.masks, [2]int{off, end})
	return w.t.LineIndex(max(end-1, off)) + 1
}

// block masks the text lines of a literal or folded scalar and returns its last line.
func (w *walker) block(n *yaml.Node, parent int) int {
	last := w.t.BlockLast(n.Line, parent)
	if last >= n.Line {
		w.masks = append(w.masks, [2]int{w.t.starts[n.Line], w.t.LineEnd(w.t.starts[last])})
	}
	return last + 1
}
