package fix

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// editor collects the edits to one file. Each edit is made twice: as a splice of the text, and
// on a deep copy of the parsed documents. The spliced text must then parse to exactly that copy,
// which proves the splices changed what was meant and nothing else.
type editor struct {
	src  *source
	docs []*yaml.Node // the linter's parse of src, document nodes; positions come from these
	want []*yaml.Node // copies the edits also change; appended documents included
	twin map[*yaml.Node]*yaml.Node
	// keyOf maps a mapping value to its key, for writing "{}" after a key whose mapping empties.
	keyOf   map[*yaml.Node]*yaml.Node
	edits   []textEdit
	removed map[*yaml.Node]int // entries removed per mapping
}

// newEditor edits data through f, the linter's parse of it.
func newEditor(data []byte, f *lint.File) *editor {
	e := &editor{
		src: newSource(data, f.Nodes), docs: f.Nodes, twin: map[*yaml.Node]*yaml.Node{},
		keyOf: map[*yaml.Node]*yaml.Node{}, removed: map[*yaml.Node]int{},
	}
	for _, d := range e.docs {
		e.want = append(e.want, cloneTree(d, e.twin))
		walk(d, func(n *yaml.Node) {
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					e.keyOf[n.Content[i+1]] = n.Content[i]
				}
			}
		})
	}
	return e
}

// cloneTree deep-copies a tree, recording each node's copy.
func cloneTree(n *yaml.Node, twin map[*yaml.Node]*yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if c, ok := twin[n]; ok {
		return c
	}
	c := *n
	twin[n] = &c
	c.Alias = cloneTree(n.Alias, twin)
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			c.Content[i] = cloneTree(child, twin)
		}
	}
	return &c
}

func walk(n *yaml.Node, fn func(*yaml.Node)) {
	fn(n)
	for _, c := range n.Content {
		walk(c, fn)
	}
}

// root returns a document's top-level node, or nil.
func root(doc *yaml.Node) *yaml.Node {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// get returns the key and value of key in a mapping. Aliases are not followed: an edit through
// one would change every place that shares it.
func get(m *yaml.Node, key string) (k, v *yaml.Node, i int) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil, -1
	}
	i = -1
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value == key {
			k, v, i = m.Content[j], m.Content[j+1], j
		}
	}
	return k, v, i
}

// getPath follows a dotted path of mapping keys.
func getPath(m *yaml.Node, path string) *yaml.Node {
	for _, key := range strings.Split(path, ".") {
		_, m, _ = get(m, key)
	}
	return m
}

// setScalar replaces a scalar's value, keeping its quoting where the new value allows it.
func (e *editor) setScalar(n *yaml.Node, v any) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("the value at %d:%d is not a scalar: %w", n.Line, n.Column, errLayout)
	}
	if n.Style&yaml.TaggedStyle != 0 {
		return fmt.Errorf("the value at %d:%d has an explicit tag: %w", n.Line, n.Column, errLayout)
	}
	if n.Anchor != "" {
		// Aliases elsewhere would change with it.
		return fmt.Errorf("the value at %d:%d is shared through the anchor &%s: %w", n.Line, n.Column, n.Anchor, errLayout)
	}
	text, node, err := render(v, n)
	if err != nil {
		return err
	}
	start, err := e.src.contentStart(n)
	if err != nil {
		return err
	}
	end, err := e.src.end(n)
	if err != nil {
		return err
	}
	e.edits = append(e.edits, textEdit{start, end, text})
	*e.twin[n] = *node
	return nil
}

// render writes v as one line of YAML: a scalar quoted as like is when that is possible, or a
// flow collection.
func render(v any, like *yaml.Node) (string, *yaml.Node, error) {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return "", nil, fmt.Errorf("encoding %v: %w", v, err)
	}
	if n.Kind == yaml.ScalarNode {
		n.Style = like.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle)
	} else {
		walk(&n, func(c *yaml.Node) {
			if c.Kind != yaml.ScalarNode {
				c.Style = yaml.FlowStyle
			}
		})
	}
	for range 2 {
		b, err := yaml.Marshal(&n)
		if err != nil {
			return "", nil, fmt.Errorf("encoding %v: %w", v, err)
		}
		text := strings.TrimSuffix(string(b), "\n")
		if !strings.Contains(text, "\n") {
			return text, &n, nil
		}
		walk(&n, func(c *yaml.Node) {
			if c.Kind == yaml.ScalarNode && c.Tag == "!!str" {
				c.Style = yaml.DoubleQuotedStyle
			}
		})
	}
	return "", nil, fmt.Errorf("value %v does not fit on one line: %w", v, errLayout)
}

// moved holds the comments of an entry removed to be written elsewhere.
type moved struct {
	head  []string // comment lines above the key
	trail []string // comments after the colon: on the value's line or between key and value
}

// removePair deletes entry i (the index of its key) of a mapping. The comment lines directly
// above the key go with it only when takeHead is set, for an entry that moves elsewhere.
func (e *editor) removePair(m *yaml.Node, i int, takeHead bool) (moved, error) {
	key, val := m.Content[i], m.Content[i+1]
	var mv moved
	if m.Style&yaml.FlowStyle != 0 {
		return mv, e.removeFlowPair(m, i)
	}
	s := e.src
	ks, err := s.start(key)
	if err != nil {
		return mv, err
	}
	if !s.blankBefore(ks) {
		return mv, fmt.Errorf("key %q at %d:%d does not start its line: %w", key.Value, key.Line, key.Column, errLayout)
	}
	colon, err := s.afterColon(key)
	if err != nil {
		return mv, err
	}
	ve, err := s.end(val)
	if err != nil {
		return mv, err
	}
	last := s.LineEnd(max(ve, colon))
	mv.trail = s.comments(colon, last)
	from := s.LineStart(ks)
	if takeHead {
		ind := s.Indent(ks)
		for from > 0 {
			prev := s.LineStart(from - 1)
			line := string(s.B[prev:s.LineEnd(prev)])
			if !strings.HasPrefix(line, ind+"#") {
				break
			}
			mv.head = append([]string{strings.TrimSpace(line)}, mv.head...)
			from = prev
		}
	}
	// Take the line break before the entry rather than after it, so that text inserted after
	// the mapping's last line lands after a removed last entry.
	start, end := from, last
	switch {
	case from > 0:
		start = from - 1
		if start > 0 && s.B[start-1] == '\r' {
			start--
		}
	default:
		end = s.NextLine(last)
	}
	edits := []textEdit{{start, end, ""}}
	if e.removed[m]+1 == len(m.Content)/2 {
		// The mapping is now empty: "key:" alone would read as null, so write "key: {}".
		pk := e.keyOf[m]
		if pk == nil {
			return mv, fmt.Errorf("removing the last entry of a top-level mapping: %w", errLayout)
		}
		at, err := s.afterColon(pk)
		if err != nil {
			return mv, err
		}
		edits = append(edits, textEdit{at, at, " {}"})
	}
	e.edits = append(e.edits, edits...)
	e.removed[m]++
	e.removeTwin(m, key)
	return mv, nil
}

// removeFlowPair deletes one entry of a flow mapping, with the comma that separates it.
func (e *editor) removeFlowPair(m *yaml.Node, i int) error {
	s := e.src
	if e.removed[m] > 0 {
		return fmt.Errorf("two removals from one flow mapping: %w", errLayout)
	}
	ms, err := s.contentStart(m)
	if err != nil {
		return err
	}
	me, err := s.end(m)
	if err != nil {
		return err
	}
	if s.hasComment(ms, me) {
		return fmt.Errorf("flow mapping at %d:%d holds comments: %w", m.Line, m.Column, errLayout)
	}
	var edit textEdit
	switch {
	case len(m.Content) == 2:
		edit = textEdit{ms, me, "{}"}
	case i+2 < len(m.Content): // up to the next key, taking the comma
		ks, err1 := s.start(m.Content[i])
		next, err2 := s.start(m.Content[i+2])
		if err = errors.Join(err1, err2); err != nil {
			return err
		}
		edit = textEdit{ks, next, ""}
	default: // the last entry: from the end of the previous value, taking the comma
		prevEnd, err1 := s.end(m.Content[i-1])
		ve, err2 := s.end(m.Content[i+1])
		colon, err3 := s.afterColon(m.Content[i])
		if err = errors.Join(err1, err2, err3); err != nil {
			return err
		}
		edit = textEdit{prevEnd, max(ve, colon), ""}
	}
	e.edits = append(e.edits, edit)
	e.removed[m]++
	e.removeTwin(m, m.Content[i])
	return nil
}

func (e *editor) removeTwin(m, key *yaml.Node) {
	tm, tk := e.twin[m], e.twin[key]
	for j := 0; j+1 < len(tm.Content); j += 2 {
		if tm.Content[j] == tk {
			tm.Content = append(tm.Content[:j:j], tm.Content[j+2:]...)
			return
		}
	}
}

// scalarText returns a scalar's text as written when it fits on one line without anchor or
// tag, or else renders its value on one line.
func (e *editor) scalarText(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("the value at %d:%d is not a scalar: %w", n.Line, n.Column, errLayout)
	}
	start, err := e.src.start(n)
	if err != nil {
		return "", err
	}
	end, err := e.src.end(n)
	if err != nil {
		return "", err
	}
	text := string(e.src.B[start:end])
	if n.Anchor == "" && n.Style&yaml.TaggedStyle == 0 && !strings.ContainsAny(text, "\r\n") {
		return text, nil
	}
	if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return "", fmt.Errorf("the value at %d:%d has an anchor or tag: %w", n.Line, n.Column, errLayout)
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "", err
	}
	text, _, err = render(v, &yaml.Node{Style: yaml.DoubleQuotedStyle})
	return text, err
}

// indentUnit guesses the file's indentation step from its first nested block mapping.
func (e *editor) indentUnit() string {
	unit := "  "
	for _, d := range e.docs {
		r := root(d)
		if r == nil || r.Kind != yaml.MappingNode {
			continue
		}
		for i := 1; i < len(r.Content); i += 2 {
			v := r.Content[i]
			if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Column > r.Column {
				return strings.Repeat(" ", v.Column-r.Column)
			}
		}
	}
	return unit
}

// appendNested adds "key: {child: value}" as the last entry of a document's block mapping, with
// the moved entry's comments. val is a scalar removed from elsewhere in the file.
func (e *editor) appendNested(m *yaml.Node, key, child string, val *yaml.Node, mv moved) error {
	s := e.src
	if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
		return fmt.Errorf("document at %d:%d is not a block mapping: %w", m.Line, m.Column, errLayout)
	}
	if k, _, _ := get(m, key); k != nil {
		return fmt.Errorf("the document already has %q", key)
	}
	valText, err := e.scalarText(val)
	if err != nil {
		return err
	}
	ks, err := s.start(m.Content[0])
	if err != nil {
		return err
	}
	end, err := s.end(m)
	if err != nil {
		return err
	}
	ind := s.Indent(ks)
	inner := ind + e.indentUnit()
	nl := s.Newline
	var b strings.Builder
	b.WriteString(nl + ind + key + ":")
	for _, c := range append(mv.head, trailHead(mv.trail)...) {
		b.WriteString(nl + inner + c)
	}
	b.WriteString(nl + inner + child + ": " + valText)
	if len(mv.trail) == 1 {
		b.WriteString(" " + mv.trail[0])
	}
	at := s.LineEnd(end)
	e.edits = append(e.edits, textEdit{at, at, b.String()})

	tm := e.twin[m]
	tm.Content = append(tm.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: child}, e.twin[val],
		}})
	return nil
}

// trailHead returns the trailing comments that cannot stay on one line and become head lines.
func trailHead(trail []string) []string {
	if len(trail) > 1 {
		return trail
	}
	return nil
}

// appendDoc adds a document after doc, before the next document's "---" or at the end of the
// file. content has no trailing line break; node is what it parses to.
func (e *editor) appendDoc(doc *yaml.Node, content []string, node *yaml.Node) error {
	s := e.src
	end, err := s.end(doc)
	if err != nil {
		return err
	}
	nl := s.Newline
	text := "---" + nl + strings.Join(content, nl) + nl
	at := len(s.B)
	for line := s.NextLine(end); line < len(s.B); line = s.NextLine(line) {
		rest := s.B[line:]
		if bytes.HasPrefix(rest, []byte("---")) && (len(rest) == 3 || isSpace(rest[3])) {
			at = line
			break
		}
		if bytes.HasPrefix(rest, []byte("...")) {
			return fmt.Errorf("document end marker at byte %d: %w", line, errLayout)
		}
	}
	if at == len(s.B) {
		switch {
		case len(s.B) == 0:
		case s.B[len(s.B)-1] != '\n':
			text = nl + strings.TrimSuffix(text, nl)
		}
	}
	e.edits = append(e.edits, textEdit{at, at, text})
	for i, w := range e.want {
		if w == e.twin[doc] {
			e.want = append(e.want[:i+1], append([]*yaml.Node{{Kind: yaml.DocumentNode, Content: []*yaml.Node{node}}}, e.want[i+1:]...)...)
			return nil
		}
	}
	return fmt.Errorf("document not found")
}

// overlaps reports whether [start, end) touches the text of an edit already made. Insertions
// at the edge of a range do not count.
func (e *editor) overlaps(start, end int) bool {
	for _, x := range e.edits {
		if start < x.end && x.start < end || start == x.start && end == x.end {
			return true
		}
	}
	return false
}

// result splices the edits into the text.
func (e *editor) result() ([]byte, error) {
	return splice(e.src.B, e.edits)
}

// verify checks that got, the linter's parse of result's text, is exactly the edited copy: the
// splices changed what was meant and nothing else.
func (e *editor) verify(got []*yaml.Node) error {
	if len(got) != len(e.want) {
		return fmt.Errorf("the edited text has %d documents instead of %d (a bug in fix, please report it)", len(got), len(e.want))
	}
	for i := range got {
		var a, b any
		errA, errB := got[i].Decode(&a), e.want[i].Decode(&b)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			return fmt.Errorf("document %d of the edited text differs from the intended edit (a bug in fix, please report it)", i+1)
		}
	}
	return nil
}
