package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxAliasNodes caps how many nodes YAML aliases and merge keys may add to a document once
// expanded. kubeadm configs have none or a few; a billion-laughs document asks for billions. A
// document's own nodes are not capped here: the size of a source is, and a list of 100,000
// names is a long list, not a bomb.
const maxAliasNodes = 100_000

var errAliasBomb = errors.New("document's YAML aliases and merge keys expand to more than 100000 nodes")

// maxAliasBytes is what YAML aliases and merge keys may add to a source, in bytes of scalars
// (keys and values), beyond the source's own size. Counting nodes alone lets one alias of a
// 1 MB string, listed a thousand times, ask for a gigabyte in a few thousand nodes; bounding the
// bytes bounds the work by the size of the input: at most twice its size plus this.
const maxAliasBytes = 64 << 10

// expansion is the bytes that aliases may still add to a source's documents; the documents of one
// source share it.
type expansion struct{ left int }

func newExpansion(sourceSize int) *expansion { return &expansion{left: sourceSize + maxAliasBytes} }

// expandError is an alias bomb, at the line of the alias (or merge key) whose expansion passed
// the limit.
type expandError struct {
	line int
	err  error
}

func (e *expandError) Error() string { return e.err.Error() }
func (e *expandError) Unwrap() error { return e.err }

// errorLine is the line an error of toJSON names, or def.
func errorLine(err error, def int) int {
	var e *expandError
	if errors.As(err, &e) && e.line > 0 {
		return e.line
	}
	return def
}

// span ties a byte range of the JSON encoding back to the YAML node it came from, so that errors
// from the JSON decoder, which only know offsets, land on the user's line.
type span struct {
	start, end int
	node       *yaml.Node
}

// jsonDoc is a YAML document encoded as JSON the way kubeadm reads it.
type jsonDoc struct {
	data  []byte
	spans []span
}

// nodeAt returns the innermost node whose encoding contains offset.
func (j *jsonDoc) nodeAt(offset int) *yaml.Node {
	var best *span
	for i := range j.spans {
		s := &j.spans[i]
		if s.start <= offset && offset <= s.end && (best == nil || s.end-s.start < best.end-best.start) {
			best = s
		}
	}
	if best == nil {
		return nil
	}
	return best.node
}

// toJSON encodes a YAML node tree as JSON. Plain scalars resolve with YAML 1.1 rules (yes/no/on/off
// are booleans), as they do in sigs.k8s.io/yaml, which kubeadm uses. A duplicate key keeps its last
// value; duplicates are reported separately. skip lists nodes to leave out, so that decoding can be
// retried after a type error.
//
// b, when not nil, is charged the bytes that aliases add. Re-encodings of a document that leave
// nodes out pass nil: they write no more than the first encoding did.
func toJSON(root *yaml.Node, skip map[*yaml.Node]bool, b *expansion) (*jsonDoc, error) {
	c := &jsonConv{skip: skip, root: root, limit: maxAliasNodes, budget: b}
	if err := c.value(root); err != nil {
		if c.alias != nil {
			return nil, &expandError{line: c.alias.Line, err: err}
		}
		return nil, err
	}
	return &jsonDoc{data: c.buf.Bytes(), spans: c.spans}, nil
}

type jsonConv struct {
	buf   bytes.Buffer
	spans []span
	nodes int
	// limit caps nodes, aliases expanded. It starts at maxAliasNodes, which no document without
	// aliases reaches in practice, and is raised once to the document's own nodes plus that
	// when passed: counting every document's nodes up front is a walk few need.
	limit  int
	raised bool
	root   *yaml.Node
	skip   map[*yaml.Node]bool
	depth  int
	// budget, when not nil, is charged for every scalar written while alias is set: the
	// outermost alias or merge key being expanded.
	budget *expansion
	alias  *yaml.Node
}

// errAliasBytes is the budget spent.
var errAliasBytes = fmt.Errorf("YAML aliases and merge keys expand the source by more than its own size plus %d KiB", maxAliasBytes>>10)

// charge counts n bytes written inside an alias's expansion.
func (c *jsonConv) charge(n int) error {
	if c.budget == nil || c.alias == nil {
		return nil
	}
	c.budget.left -= n
	if c.budget.left < 0 {
		return errAliasBytes
	}
	return nil
}

// expanding marks the start of an alias's or merge key's expansion at n; the returned function
// ends it. Only the outermost counts: it is the one the user wrote at the top level of the error.
func (c *jsonConv) expanding(n *yaml.Node) func() {
	if c.alias != nil {
		return func() {}
	}
	c.alias = n
	return func() { c.alias = nil }
}

func (c *jsonConv) value(n *yaml.Node) error {
	c.nodes++
	if c.nodes > c.limit && !c.raise() {
		return errAliasBomb
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 1000 {
		return errors.New("document nests deeper than 1000 levels")
	}
	start := c.buf.Len()
	var err error
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.buf.WriteString("null")
			return nil
		}
		return c.value(n.Content[0])
	case yaml.AliasNode:
		done := c.expanding(n)
		err = c.value(n.Alias)
		if err == nil {
			done()
		}
	case yaml.MappingNode:
		err = c.mapping(n)
	case yaml.SequenceNode:
		c.buf.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			if err = c.value(item); err != nil {
				return err
			}
		}
		c.buf.WriteByte(']')
	case yaml.ScalarNode:
		if err = c.charge(len(n.Value)); err != nil {
			return err
		}
		c.scalar(n)
	default:
		c.buf.WriteString("null")
	}
	c.spans = append(c.spans, span{start: start, end: c.buf.Len(), node: n})
	return err
}

func (c *jsonConv) mapping(n *yaml.Node) error {
	left := c.limit - c.nodes
	pairs := boundedPairs(n, &left)
	for left < 0 {
		if !c.raise() {
			return errAliasBomb
		}
		left = c.limit - c.nodes
		pairs = boundedPairs(n, &left)
	}
	c.nodes = c.limit - left
	// Last value wins for a duplicate key, as in sigs.k8s.io/yaml.
	last := make(map[string]int, len(pairs))
	for i, p := range pairs {
		last[p.key] = i
	}
	c.buf.WriteByte('{')
	first := true
	for i, p := range pairs {
		if last[p.key] != i || c.skip[p.value] || c.skip[p.keyNode] {
			continue
		}
		if !first {
			c.buf.WriteByte(',')
		}
		first = false
		done := func() {}
		if p.mergeKey != nil {
			done = c.expanding(p.mergeKey)
		}
		if err := c.charge(len(p.key)); err != nil {
			return err
		}
		k, _ := json.Marshal(p.key)
		c.buf.Write(k)
		c.buf.WriteByte(':')
		if err := c.value(p.value); err != nil {
			return err
		}
		done()
	}
	c.buf.WriteByte('}')
	return nil
}

// pair is one key of a mapping, with merge keys (<<) already expanded.
type pair struct {
	key     string
	keyNode *yaml.Node
	value   *yaml.Node
	// mergeKey is the outermost merge key (<<) that brought the pair in, or nil.
	mergeKey *yaml.Node
}

// mappingPairs lists a mapping's keys in order. Keys brought in by a merge key come first, so that
// the mapping's own keys override them. A merge bomb is cut short; toJSON reports it.
func mappingPairs(n *yaml.Node) []pair {
	left := len(n.Content)/2 + maxAliasNodes
	return boundedPairs(n, &left)
}

// boundedPairs is mappingPairs charging every merged mapping and pair to left: an anchor merged
// ten times at each of eight levels asks for 10^8 pairs from a few hundred bytes. When left goes
// negative the list is incomplete.
func boundedPairs(n *yaml.Node, left *int) []pair {
	var merged, own []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			ps := mergePairs(v, 0, left)
			for i := range ps {
				ps[i].mergeKey = k
			}
			merged = append(merged, ps...)
			continue
		}
		own = append(own, pair{key: keyString(k), keyNode: k, value: v})
	}
	return append(merged, own...)
}

func mergePairs(v *yaml.Node, depth int, left *int) []pair {
	*left--
	if depth > 10 || *left < 0 {
		return nil
	}
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		ps := boundedPairs(v, left)
		*left -= len(ps)
		return ps
	case yaml.SequenceNode:
		var out []pair
		for _, item := range v.Content {
			out = append(out, mergePairs(item, depth+1, left)...)
		}
		return out
	}
	return nil
}

func keyString(k *yaml.Node) string {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	return ""
}

func (c *jsonConv) scalar(n *yaml.Node) {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.Tag == "!!str" && n.Style != 0 {
		writeString(&c.buf, n.Value)
		return
	}
	switch n.Tag {
	case "!!str":
		if b, ok := yaml11Bool(n.Value); ok {
			c.buf.WriteString(strconv.FormatBool(b))
			return
		}
		writeString(&c.buf, n.Value)
	case "!!null":
		c.buf.WriteString("null")
	case "!!bool":
		b, _ := yaml11Bool(n.Value)
		c.buf.WriteString(strconv.FormatBool(b))
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			c.buf.WriteString(strconv.FormatInt(i, 10))
			return
		}
		if u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			c.buf.WriteString(strconv.FormatUint(u, 10))
			return
		}
		writeString(&c.buf, n.Value)
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			// JSON has no infinities; sigs.k8s.io/yaml fails on them too, so a string is as good.
			writeString(&c.buf, n.Value)
			return
		}
		c.buf.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	default:
		writeString(&c.buf, n.Value)
	}
}

func writeString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	buf.Write(b)
}

// yaml11Bool resolves the YAML 1.1 boolean words that yaml.v3 (YAML 1.2) reads as strings.
func yaml11Bool(s string) (bool, bool) {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

// raise lifts the limit to the document's own nodes plus maxAliasNodes, the first time it is
// passed, and reports whether the nodes counted so far are within the new limit. Passed again,
// the limit stays: the document is a bomb.
func (c *jsonConv) raise() bool {
	if c.raised {
		return false
	}
	c.raised, c.limit = true, literalNodes(c.root)+maxAliasNodes
	return c.nodes <= c.limit
}

// literalNodes counts the nodes written in a document, an alias as one.
func literalNodes(root *yaml.Node) int {
	n, stack := 0, []*yaml.Node{root}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n++
		if top.Kind != yaml.AliasNode {
			stack = append(stack, top.Content...)
		}
	}
	return n
}
