package fix

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/internal/migration"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// migrate applies internal/migration's table, the one the linter applies to node trees, to the
// text: only the changed entries are rewritten, and each keeps its comments.

// blocking reports the problems that make kubeadm refuse to read a document at all. Migrating
// such a document could turn a rejected file into an accepted one that means something else.
func blocking(c lint.ProblemCode) bool {
	switch c {
	case lint.ProblemType, lint.ProblemDuplicateKind, lint.ProblemUnknownField, lint.ProblemDuplicateField, lint.ProblemFieldType:
		return true
	}
	return false
}

// migrate rewrites every v1beta3 document of a file as v1beta4 and returns how many it rewrote.
func (e *editor) migrate(f *lint.File) (int, error) {
	// A file is migrated whole or not at all: one document left behind is one kubeadm rejects,
	// and every reason is named, as lint names every problem.
	var olds []*lint.Document
	var refused []string
	for _, d := range f.Docs {
		switch d.Version {
		case "", "v1beta4", "v1":
			continue
		case "v1beta3":
		default:
			refused = append(refused, fmt.Sprintf("document %d (%s) is %s, which only 'kubeadm config migrate' of an older kubeadm (KL002 names it) rewrites as v1beta3, the version kubeadm-lint migrates from", d.Index+1, d.Kind, d.APIVersion))
			continue
		}
		var why []string
		for _, p := range d.Problems {
			if blocking(p.Code) {
				why = append(why, p.Message)
			}
		}
		if len(why) > 0 {
			refused = append(refused, fmt.Sprintf("document %d (%s) is not migrated because kubeadm cannot read it: %s", d.Index+1, d.Kind, strings.Join(why, "; ")))
			continue
		}
		olds = append(olds, d)
	}
	if len(refused) > 0 {
		return 0, errors.New(strings.Join(refused, "; "))
	}
	type carried struct {
		mv   migration.Move
		from *lint.Document
		val  *yaml.Node
		cmts moved
	}
	var moves []carried
	for _, d := range olds {
		m := root(e.docs[d.Index])
		_, av, _ := get(m, "apiVersion")
		if av == nil {
			return 0, fmt.Errorf("document %d has no apiVersion", d.Index+1)
		}
		if err := e.setScalar(av, migration.APIVersion); err != nil {
			return 0, err
		}
		for _, p := range migration.ArgLists[d.Kind] {
			if err := e.argsToList(getPath(m, p), p); err != nil {
				return 0, fmt.Errorf("%s: %w", p, err)
			}
		}
		for _, mv := range migration.Moves {
			if mv.Kind != d.Kind {
				continue
			}
			parentPath, key := migration.Split(mv.From)
			parent := getPath(m, parentPath)
			k, v, i := get(parent, key)
			if k == nil {
				continue
			}
			cmts, err := e.removePair(parent, i, true)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", mv.From, err)
			}
			if !mv.Dropped(v) {
				moves = append(moves, carried{mv, d, v, cmts})
			}
		}
	}
	for _, c := range moves {
		to := c.mv.Parent + "." + c.mv.Key
		var err error
		switch target := f.Doc(c.mv.ToKind); {
		case target != nil:
			err = e.appendNested(root(e.docs[target.Index]), c.mv.Parent, c.mv.Key, c.val, c.cmts)
		case c.mv.NewDoc:
			err = e.newDoc(e.docs[c.from.Index], c.mv, c.val, c.cmts)
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", to, err)
		}
	}
	return len(olds), nil
}

// newDoc writes, after doc, a document of mv.ToKind that holds the moved value, as kubeadm
// config migrate adds an InitConfiguration for a ClusterConfiguration's timeout.
func (e *editor) newDoc(doc *yaml.Node, mv migration.Move, v *yaml.Node, cmts moved) error {
	text, err := e.scalarText(v)
	if err != nil {
		return err
	}
	unit := e.indentUnit()
	lines := []string{"apiVersion: " + migration.APIVersion, "kind: " + mv.ToKind, mv.Parent + ":"}
	for _, c := range append(cmts.head, trailHead(cmts.trail)...) {
		lines = append(lines, unit+c)
	}
	last := unit + mv.Key + ": " + text
	if len(cmts.trail) == 1 {
		last += " " + cmts.trail[0]
	}
	lines = append(lines, last)
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	node := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		str("apiVersion"), str(migration.APIVersion), str("kind"), str(mv.ToKind), str(mv.Parent),
		{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{str(mv.Key), e.twin[v]}},
	}}
	return e.appendDoc(doc, lines, node)
}

// argsToList rewrites a {flag: value} mapping as a [{name, value}] list sorted as kubeadm sorts
// it. Every entry keeps its comments, and keys and values keep their quoting.
func (e *editor) argsToList(m *yaml.Node, path string) error {
	if m == nil || m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("not a mapping: %w", errLayout)
	}
	if m.Anchor != "" {
		return fmt.Errorf("a mapping with an anchor: %w", errLayout)
	}
	s := e.src
	type arg struct {
		key, val   *yaml.Node
		name, text string
		head       string // comment and blank lines above the key, verbatim
		trail      []string
		gap        string // the space before a comment on the value's line
	}
	var args []arg
	flow := m.Style&yaml.FlowStyle != 0
	pk := e.keyOf[m]
	if pk == nil {
		return fmt.Errorf("not the value of a key: %w", errLayout)
	}
	colon, err := s.afterColon(pk)
	if err != nil {
		return err
	}
	regionStart, regionEnd := s.NextLine(colon), 0
	if flow {
		if regionStart, err = s.contentStart(m); err != nil {
			return err
		}
		if regionEnd, err = s.end(m); err != nil {
			return err
		}
		if s.hasComment(regionStart, regionEnd) {
			return fmt.Errorf("a flow mapping with comments: %w", errLayout)
		}
	}
	chunk := regionStart
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return fmt.Errorf("entry at %d:%d is not a plain flag and value: %w", k.Line, k.Column, errLayout)
		}
		name, err := e.scalarText(k)
		if err != nil {
			return err
		}
		text, err := e.scalarText(v)
		if err != nil {
			return err
		}
		a := arg{key: k, val: v, name: name, text: text}
		if !flow {
			ks, err := s.start(k)
			if err != nil {
				return err
			}
			if !s.blankBefore(ks) {
				return fmt.Errorf("key at %d:%d does not start its line: %w", k.Line, k.Column, errLayout)
			}
			kc, err := s.afterColon(k)
			if err != nil {
				return err
			}
			ve, err := s.end(v)
			if err != nil {
				return err
			}
			last := s.LineEnd(max(ve, kc))
			a.head = string(s.B[chunk:s.LineStart(ks)])
			a.trail = s.comments(kc, last)
			a.gap = " "
			rest := string(s.B[max(ve, kc):last])
			if c := strings.TrimLeft(rest, " \t"); len(a.trail) == 1 && strings.HasPrefix(c, "#") && c != rest {
				a.gap = rest[:len(rest)-len(c)]
			}
			chunk, regionEnd = s.NextLine(last), last
		}
		args = append(args, a)
	}
	sort.SliceStable(args, func(i, j int) bool {
		return migration.Less(args[i].key.Value, args[i].val.Value, args[j].key.Value, args[j].val.Value)
	})

	var b strings.Builder
	if flow {
		b.WriteString("[")
		for i, a := range args {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("{name: " + a.name + ", value: " + a.text + "}")
		}
		b.WriteString("]")
	} else {
		ks, err := s.start(m.Content[0])
		if err != nil {
			return err
		}
		ind, nl := s.Indent(ks), s.Newline
		for i, a := range args {
			b.WriteString(a.head)
			b.WriteString(ind + "- name: " + a.name + nl)
			for _, c := range trailHead(a.trail) {
				b.WriteString(ind + "  " + c + nl)
			}
			b.WriteString(ind + "  value:")
			if a.text != "" {
				b.WriteString(" " + a.text)
			}
			if len(a.trail) == 1 {
				b.WriteString(a.gap + a.trail[0])
			}
			if i < len(args)-1 {
				b.WriteString(nl)
			}
		}
	}
	if len(args) == 0 && !flow {
		return nil // an empty block mapping cannot be written
	}
	e.edits = append(e.edits, textEdit{regionStart, regionEnd, b.String()})

	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	t := e.twin[m]
	*t = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for _, a := range args {
		t.Content = append(t.Content, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			str("name"), e.twin[a.key], str("value"), e.twin[a.val],
		}})
	}
	return nil
}
