package fix

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// The v1beta3 to v1beta4 changes that touch what a v1beta3 document can hold, from kubeadm
// v1.36's v1beta3 conversion code (cmd/kubeadm/app/apis/kubeadm/v1beta3/conversion.go):
//   - extraArgs and kubeletExtraArgs maps become [{name, value}] lists sorted by name, then value;
//   - ClusterConfiguration apiServer.timeoutForControlPlane becomes InitConfiguration
//     timeouts.controlPlaneComponentHealthCheck, and is dropped when zero;
//   - JoinConfiguration discovery.timeout becomes timeouts.discovery.
// The other differences are defaults (encryptionAlgorithm, imagePullSerial, the certificate
// validity periods, etcd httpEndpoints) that v1beta4 fills in the same way, so a migration that
// adds no defaulted field leaves them alone.

const v1beta4 = "kubeadm.k8s.io/v1beta4"

// extraArgsPaths lists the v1beta3 string maps that v1beta4 turned into lists.
func extraArgsPaths(kind string) []string {
	switch kind {
	case lint.KindCluster:
		return []string{"apiServer.extraArgs", "controllerManager.extraArgs", "scheduler.extraArgs", "etcd.local.extraArgs"}
	case lint.KindInit, lint.KindJoin:
		return []string{"nodeRegistration.kubeletExtraArgs"}
	}
	return nil
}

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
	var olds []*lint.Document
	for _, d := range f.Docs {
		if d.Version != "v1beta3" {
			continue
		}
		for _, p := range d.Problems {
			if blocking(p.Code) {
				return 0, fmt.Errorf("document %d (%s) is not migrated because kubeadm cannot read it: %s", d.Index+1, d.Kind, p.Message)
			}
		}
		olds = append(olds, d)
	}
	var cluster, init *yaml.Node // document nodes
	var timeout *yaml.Node       // apiServer.timeoutForControlPlane, when it moves
	var timeoutComments moved
	for _, d := range olds {
		doc := e.docs[d.Index]
		m := root(doc)
		_, av, _ := get(m, "apiVersion")
		if av == nil {
			return 0, fmt.Errorf("document %d has no apiVersion", d.Index+1)
		}
		if err := e.setScalar(av, v1beta4); err != nil {
			return 0, err
		}
		for _, p := range extraArgsPaths(d.Kind) {
			if err := e.argsToList(getPath(m, p), p); err != nil {
				return 0, fmt.Errorf("%s: %w", p, err)
			}
		}
		switch d.Kind {
		case lint.KindInit:
			init = doc
		case lint.KindCluster:
			cluster = doc
			_, api, _ := get(m, "apiServer")
			if k, v, i := get(api, "timeoutForControlPlane"); k != nil {
				mv, err := e.removePair(api, i, true)
				if err != nil {
					return 0, fmt.Errorf("apiServer.timeoutForControlPlane: %w", err)
				}
				if nonZero(v) {
					timeout, timeoutComments = v, mv
				}
			}
		case lint.KindJoin:
			_, disc, _ := get(m, "discovery")
			if k, v, i := get(disc, "timeout"); k != nil {
				mv, err := e.removePair(disc, i, true)
				if err != nil {
					return 0, fmt.Errorf("discovery.timeout: %w", err)
				}
				if !isNull(v) {
					if err := e.appendNested(m, "timeouts", "discovery", v, mv); err != nil {
						return 0, fmt.Errorf("timeouts.discovery: %w", err)
					}
				}
			}
		}
	}
	if timeout != nil {
		if d := f.Doc(lint.KindInit); d != nil && init == nil {
			init = e.docs[d.Index] // a v1beta4 InitConfiguration beside a v1beta3 ClusterConfiguration
		}
		if err := e.moveControlPlaneTimeout(cluster, init, timeout, timeoutComments); err != nil {
			return 0, fmt.Errorf("timeouts.controlPlaneComponentHealthCheck: %w", err)
		}
	}
	return len(olds), nil
}

// moveControlPlaneTimeout puts the ClusterConfiguration's timeoutForControlPlane into the
// InitConfiguration's timeouts, adding an InitConfiguration when the file has none, as kubeadm
// config migrate does.
func (e *editor) moveControlPlaneTimeout(cluster, init, v *yaml.Node, mv moved) error {
	const child = "controlPlaneComponentHealthCheck"
	if init != nil {
		return e.appendNested(root(init), "timeouts", child, v, mv)
	}
	text, err := e.scalarText(v)
	if err != nil {
		return err
	}
	unit := e.indentUnit()
	lines := []string{"apiVersion: " + v1beta4, "kind: " + lint.KindInit, "timeouts:"}
	for _, c := range append(mv.head, trailHead(mv.trail)...) {
		lines = append(lines, unit+c)
	}
	last := unit + child + ": " + text
	if len(mv.trail) == 1 {
		last += " " + mv.trail[0]
	}
	lines = append(lines, last)
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	node := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		str("apiVersion"), str(v1beta4), str("kind"), str(lint.KindInit), str("timeouts"),
		{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{str(child), e.twin[v]}},
	}}
	return e.appendDoc(cluster, lines, node)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// nonZero reports whether a duration is set and not zero; kubeadm drops a zero
// timeoutForControlPlane. A value that does not parse is kept: decoding reports it.
func nonZero(n *yaml.Node) bool {
	if isNull(n) {
		return false
	}
	d, err := time.ParseDuration(n.Value)
	return err != nil || d != 0
}

// argsToList rewrites a {flag: value} mapping as a [{name, value}] list sorted as kubeadm sorts
// it. Every entry keeps its comments, and keys and values keep their quoting.
func (e *editor) argsToList(m *yaml.Node, path string) error {
	if m == nil || isNull(m) {
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
	regionStart, regionEnd := s.nextLine(colon), 0
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
			last := s.lineEnd(max(ve, kc))
			a.head = string(s.b[chunk:s.lineStart(ks)])
			a.trail = s.comments(kc, last)
			a.gap = " "
			rest := string(s.b[max(ve, kc):last])
			if c := strings.TrimLeft(rest, " \t"); len(a.trail) == 1 && strings.HasPrefix(c, "#") && c != rest {
				a.gap = rest[:len(rest)-len(c)]
			}
			chunk, regionEnd = s.nextLine(last), last
		}
		args = append(args, a)
	}
	sort.SliceStable(args, func(i, j int) bool {
		if args[i].key.Value != args[j].key.Value {
			return args[i].key.Value < args[j].key.Value
		}
		return args[i].val.Value < args[j].val.Value
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
		ind, nl := s.indent(ks), s.newline
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
