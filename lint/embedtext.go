package lint

import (
	"bytes"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// YAML inside YAML: a kind patch or a Cluster API file's content is a string holding documents.
// They are parsed on their own and their nodes moved to the line and column the user edits: for
// a block scalar (| or >), the content's line k is the k-th line after the indicator, indented by
// the block's indentation; for a quoted scalar, each character of the value is traced back to the
// source through the escapes and line folding of the quoting.

// embeddedDocuments parses the text of scalar n, written in data, into document roots placed in
// data. ok is false when the text is not YAML documents.
func embeddedDocuments(n *yaml.Node, data []byte) (roots []*yaml.Node, ok bool) {
	docs, err := parseDocuments("", []byte(n.Value))
	if err != nil {
		return nil, false
	}
	place := scalarPlacer(n, data)
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		if x == nil || seen[x] {
			return
		}
		seen[x] = true
		x.Line, x.Column = place(x.Line, x.Column)
		for _, c := range x.Content {
			walk(c)
		}
	}
	for _, d := range docs {
		walk(d)
		if r := deref(d); r != nil {
			roots = append(roots, r)
		}
	}
	return roots, true
}

// scalarPlacer returns the function from a position in scalar n's value to one in data.
func scalarPlacer(n *yaml.Node, data []byte) func(line, col int) (int, int) {
	fallback := func(int, int) (int, int) { return n.Line, n.Column }
	lines := bytes.Split(data, []byte("\n"))
	if n.Line < 1 || n.Line > len(lines) {
		return fallback
	}
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		indent := -1
		for i := n.Line; i < len(lines); i++ { // lines[n.Line] is the line after the indicator's
			t := bytes.TrimRight(lines[i], " \r")
			if len(t) == 0 {
				continue
			}
			indent = len(t) - len(bytes.TrimLeft(t, " "))
			break
		}
		if indent < 0 {
			return fallback
		}
		return func(line, col int) (int, int) { return n.Line + line, col + indent }
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		if m := traceQuoted(n, lines); m != nil {
			return m
		}
	}
	return fallback
}

type srcPos struct{ line, col int }

// traceQuoted maps each character of a quoted scalar's value to where it is written, following
// YAML's escapes (double quotes), doubled quotes (single quotes) and line folding, and returns
// the placer, or nil when the trace does not reproduce the value.
func traceQuoted(n *yaml.Node, lines [][]byte) func(line, col int) (int, int) {
	double := n.Style&yaml.DoubleQuotedStyle != 0
	var out []rune
	var pos []srcPos
	emit := func(r rune, p srcPos) { out = append(out, r); pos = append(pos, p) }
	li := n.Line - 1
	line := lines[li]
	// n.Column counts characters; find the byte of the opening quote.
	bi := 0
	for c := 1; c < n.Column && bi < len(line); c++ {
		_, w := utf8.DecodeRune(line[bi:])
		bi += w
	}
	if bi >= len(line) {
		return nil
	}
	bi++ // past the quote
	col := n.Column + 1
	for li < len(lines) {
		line = lines[li]
		if bi >= len(line) || line[bi] == '\r' && bi == len(line)-1 {
			// A line break inside the quotes folds: trailing blanks were already dropped; empty
			// lines become newlines, else one space.
			for len(out) > 0 && (out[len(out)-1] == ' ' || out[len(out)-1] == '\t') && pos[len(pos)-1].line == li+1 {
				out, pos = out[:len(out)-1], pos[:len(pos)-1]
			}
			li++
			empties := 0
			for li < len(lines) && len(bytes.TrimSpace(lines[li])) == 0 {
				empties++
				li++
			}
			if li >= len(lines) {
				return nil
			}
			if empties == 0 {
				emit(' ', srcPos{li, 1})
			}
			for i := 0; i < empties; i++ {
				emit('\n', srcPos{li - empties + i + 1, 1})
			}
			line = lines[li]
			bi = len(line) - len(bytes.TrimLeft(line, " \t"))
			col = bi + 1
			continue
		}
		r, w := utf8.DecodeRune(line[bi:])
		here := srcPos{li + 1, col}
		switch {
		case double && r == '"', !double && r == '\'' && !(bi+1 < len(line) && line[bi+1] == '\''):
			if string(out) != n.Value {
				return nil
			}
			return func(l, c int) (int, int) {
				i := offsetOf(out, l, c)
				if i < 0 || i >= len(pos) {
					return n.Line, n.Column
				}
				return pos[i].line, pos[i].col
			}
		case !double && r == '\'':
			emit('\'', here)
			bi, col = bi+2, col+2
			continue
		case double && r == '\\':
			if bi+1 >= len(line) || line[bi+1] == '\r' {
				// An escaped line break: the break and the next line's indentation vanish.
				li++
				if li >= len(lines) {
					return nil
				}
				line = lines[li]
				bi = len(line) - len(bytes.TrimLeft(line, " \t"))
				col = bi + 1
				continue
			}
			e := line[bi+1]
			width := 2
			var v rune
			switch e {
			case 'n':
				v = '\n'
			case 't', '\t':
				v = '\t'
			case 'r':
				v = '\r'
			case '0':
				v = 0
			case ' ', '"', '\\', '/':
				v = rune(e)
			case 'x', 'u', 'U':
				digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if bi+2+digits > len(line) {
					return nil
				}
				var x rune
				for _, h := range line[bi+2 : bi+2+digits] {
					x = x*16 + rune(hexVal(h))
				}
				v, width = x, 2+digits
			default:
				return nil // escapes no kubeadm fragment needs; the value is placed at its start
			}
			emit(v, here)
			bi, col = bi+width, col+width
			continue
		}
		emit(r, here)
		bi += w
		col++
	}
	return nil
}

func hexVal(h byte) int {
	switch {
	case h >= '0' && h <= '9':
		return int(h - '0')
	case h >= 'a' && h <= 'f':
		return int(h-'a') + 10
	case h >= 'A' && h <= 'F':
		return int(h-'A') + 10
	}
	return 0
}

// offsetOf returns the index in s of the character at 1-based line and column.
func offsetOf(s []rune, line, col int) int {
	l := 1
	for i, r := range s {
		if l == line {
			return i + col - 1
		}
		if r == '\n' {
			l++
		}
	}
	if l == line {
		return len(s) + col - 1
	}
	return -1
}
