package lint

import (
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/internal/migration"
)

// v1beta3 documents are rewritten into v1beta4 node trees before decoding, so that one decoder,
// one validator and one set of rules serve both versions. The rewritten nodes keep their source
// line and column, so findings still point into the user's file. internal/migration holds the
// changes; fix applies the same ones to text.

// migrated is the result of rewriting the v1beta3 documents of one file.
type migrated struct {
	roots   map[*Document]*yaml.Node
	origin  map[*Document]map[*yaml.Node]*yaml.Node // copy -> node as parsed
	unknown map[*Document][]string                  // v1beta4-only field paths found in v1beta3 documents
}

// migrateV1beta3 rewrites every v1beta3 document of a file as v1beta4. Documents are handled
// together because a field can move to another document.
func migrateV1beta3(docs []*Document) migrated {
	m := migrated{roots: map[*Document]*yaml.Node{}, origin: map[*Document]map[*yaml.Node]*yaml.Node{}, unknown: map[*Document][]string{}}
	// root returns the document's tree to rewrite: a copy, because fix edits the parsed one.
	root := func(d *Document) *yaml.Node {
		if r, ok := m.roots[d]; ok {
			return r
		}
		m.origin[d] = map[*yaml.Node]*yaml.Node{}
		r := cloneNode(d.Source, m.origin[d])
		m.roots[d] = r
		return r
	}
	type carried struct {
		mv         migration.Move
		key, value *yaml.Node
	}
	var moves []carried
	for _, d := range docs {
		if d.Version != "v1beta3" {
			continue
		}
		r := root(d)
		if _, av := mappingGet(r, "apiVersion"); av != nil {
			av.Value = migration.APIVersion
		}
		for _, p := range migration.Added[d.Kind] {
			if _, _, ok := lookup(r, p); ok {
				m.unknown[d] = append(m.unknown[d], p)
				deletePath(r, p)
			}
		}
		for _, p := range migration.ArgLists[d.Kind] {
			if v, _, ok := lookup(r, p); ok && v != nil && v.Kind == yaml.MappingNode {
				argsToList(v)
			}
		}
		for _, mv := range migration.Moves {
			if mv.Kind != d.Kind {
				continue
			}
			parent, key := migration.Split(mv.From)
			p, _, ok := lookup(r, parent)
			if !ok || p == nil || p.Kind != yaml.MappingNode {
				continue
			}
			if k, v := mappingGet(p, key); v != nil {
				deletePath(r, mv.From)
				if !mv.Dropped(v) {
					moves = append(moves, carried{mv, k, v})
				}
			}
		}
	}
	for _, c := range moves {
		for _, d := range docs {
			if d.Kind == c.mv.ToKind {
				setPath(root(d), c.mv.Parent, c.mv.Key, c.key, c.value)
				break
			}
		}
	}
	return m
}

// argsToList turns a {flag: value} mapping into a [{name, value}] sequence in place, sorted as
// kubeadm's conversion sorts it. Each new node carries its source key's position.
func argsToList(m *yaml.Node) {
	type arg struct{ k, v *yaml.Node }
	var args []arg
	for i := 0; i+1 < len(m.Content); i += 2 {
		args = append(args, arg{m.Content[i], m.Content[i+1]})
	}
	sort.SliceStable(args, func(i, j int) bool {
		return migration.Less(args[i].k.Value, args[i].v.Value, args[j].k.Value, args[j].v.Value)
	})
	items := make([]*yaml.Node, 0, len(args))
	for _, a := range args {
		name := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "name", Line: a.k.Line, Column: a.k.Column}
		nameVal := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: a.k.Value, Style: yaml.DoubleQuotedStyle, Line: a.k.Line, Column: a.k.Column}
		value := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "value", Line: a.v.Line, Column: a.v.Column}
		items = append(items, &yaml.Node{
			Kind: yaml.MappingNode, Tag: "!!map", Line: a.k.Line, Column: a.k.Column,
			HeadComment: a.k.HeadComment, LineComment: a.v.LineComment, FootComment: a.k.FootComment,
			Content: []*yaml.Node{name, nameVal, value, a.v},
		})
	}
	line, col := m.Line, m.Column
	*m = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Column: col, Content: items}
}

// cloneNode deep-copies a node tree, recording in origin the node each copy was made from.
func cloneNode(n *yaml.Node, origin map[*yaml.Node]*yaml.Node) *yaml.Node {
	seen := map[*yaml.Node]*yaml.Node{}
	var clone func(*yaml.Node) *yaml.Node
	clone = func(n *yaml.Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := seen[n]; ok {
			return c
		}
		c := *n
		seen[n] = &c
		origin[&c] = n
		if n.Alias != nil {
			c.Alias = clone(n.Alias)
		}
		if n.Content != nil {
			c.Content = make([]*yaml.Node, len(n.Content))
			for i, child := range n.Content {
				c.Content[i] = clone(child)
			}
		}
		return &c
	}
	return clone(n)
}

// deletePath removes the last key of a dotted mapping path.
func deletePath(root *yaml.Node, path string) {
	steps := parsePath(path)
	parent := deref(root)
	for _, st := range steps[:len(steps)-1] {
		if parent == nil || parent.Kind != yaml.MappingNode {
			return
		}
		_, parent = mappingGet(parent, st.key)
		parent = deref(parent)
	}
	if parent == nil || parent.Kind != yaml.MappingNode {
		return
	}
	last := steps[len(steps)-1].key
	for i := 0; i+1 < len(parent.Content); i += 2 {
		if parent.Content[i].Value == last {
			parent.Content = append(parent.Content[:i:i], parent.Content[i+2:]...)
			i -= 2
		}
	}
}

// setPath sets parent.key to value, creating the parent mapping when missing. key and value keep
// their positions; a created parent takes the key's.
func setPath(root *yaml.Node, parent, key string, keyNode, value *yaml.Node) {
	m := deref(root)
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	_, p := mappingGet(m, parent)
	p = deref(p)
	if p == nil || p.Kind != yaml.MappingNode {
		deletePath(m, parent)
		p = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: keyNode.Line, Column: keyNode.Column}
		m.Content = append(m.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: parent, Line: keyNode.Line, Column: keyNode.Column}, p)
	}
	deletePath(p, key)
	k := *keyNode
	k.Value = key
	p.Content = append(p.Content, &k, value)
}
