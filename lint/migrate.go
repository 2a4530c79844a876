package lint

import (
	"sort"

	"go.yaml.in/yaml/v3"
)

// v1beta3 documents are rewritten into v1beta4 node trees before decoding, so that one decoder,
// one validator and one set of rules serve both versions. The rewritten nodes keep their source
// line and column, so findings still point into the user's file. The changes are those listed in
// kubeadm's v1beta4 doc.go.

// v1beta4Only lists, per kind, the fields that v1beta4 added. In a v1beta3 document they are
// unknown fields, as kubeadm v1.36 reports them.
var v1beta4Only = map[string][]string{
	KindCluster: {
		"encryptionAlgorithm", "certificateValidityPeriod", "caCertificateValidityPeriod", "proxy",
		"apiServer.extraEnvs", "controllerManager.extraEnvs", "scheduler.extraEnvs",
		"etcd.local.extraEnvs", "etcd.external.httpEndpoints", "dns.disabled",
	},
	KindInit: {"dryRun", "timeouts", "nodeRegistration.imagePullSerial"},
	KindJoin: {"dryRun", "timeouts", "nodeRegistration.imagePullSerial"},
}

// extraArgsPaths are the v1beta3 string maps that v1beta4 turned into {name, value} lists.
var extraArgsPaths = map[string][]string{
	KindCluster: {"apiServer.extraArgs", "controllerManager.extraArgs", "scheduler.extraArgs", "etcd.local.extraArgs"},
	KindInit:    {"nodeRegistration.kubeletExtraArgs"},
	KindJoin:    {"nodeRegistration.kubeletExtraArgs"},
}

// migration is the result of rewriting the v1beta3 documents of one file.
type migration struct {
	roots   map[*Document]*yaml.Node
	unknown map[*Document][]string // v1beta4-only field paths found in v1beta3 documents
}

// migrateV1beta3 rewrites every v1beta3 document of a file as v1beta4. Documents are handled
// together because ClusterConfiguration's apiServer.timeoutForControlPlane moves to the
// InitConfiguration's timeouts.
func migrateV1beta3(docs []*Document) migration {
	m := migration{roots: map[*Document]*yaml.Node{}, unknown: map[*Document][]string{}}
	var init *Document
	var cpTimeout *yaml.Node // apiServer.timeoutForControlPlane: key and value
	var cpTimeoutKey *yaml.Node
	for _, d := range docs {
		if d.Version != "v1beta3" {
			continue
		}
		root := cloneNode(d.Source)
		if _, av := mappingGet(root, "apiVersion"); av != nil {
			av.Value = kubeadmGroup + "/v1beta4"
		}
		for _, p := range v1beta4Only[d.Kind] {
			if _, _, ok := lookup(root, p); ok {
				m.unknown[d] = append(m.unknown[d], p)
				deletePath(root, p)
			}
		}
		for _, p := range extraArgsPaths[d.Kind] {
			if v, _, ok := lookup(root, p); ok && v != nil && v.Kind == yaml.MappingNode {
				argsToList(v)
			}
		}
		switch d.Kind {
		case KindInit:
			init = d
		case KindCluster:
			if api, _, ok := lookup(root, "apiServer"); ok && api != nil && api.Kind == yaml.MappingNode {
				cpTimeoutKey, cpTimeout = mappingGet(api, "timeoutForControlPlane")
				deletePath(root, "apiServer.timeoutForControlPlane")
			}
		case KindJoin:
			if disc, _, ok := lookup(root, "discovery"); ok && disc != nil && disc.Kind == yaml.MappingNode {
				if k, v := mappingGet(disc, "timeout"); v != nil {
					deletePath(root, "discovery.timeout")
					setPath(root, "timeouts", "discovery", k, v)
				}
			}
		}
		m.roots[d] = root
	}
	if cpTimeout != nil && init != nil && m.roots[init] != nil {
		setPath(m.roots[init], "timeouts", "controlPlaneComponentHealthCheck", cpTimeoutKey, cpTimeout)
	}
	return m
}

// argsToList turns a {flag: value} mapping into a [{name, value}] sequence in place, sorted by
// name as kubeadm's conversion sorts it. Each new node carries its source key's position.
func argsToList(m *yaml.Node) {
	type arg struct{ k, v *yaml.Node }
	var args []arg
	for i := 0; i+1 < len(m.Content); i += 2 {
		args = append(args, arg{m.Content[i], m.Content[i+1]})
	}
	sort.SliceStable(args, func(i, j int) bool {
		if args[i].k.Value == args[j].k.Value {
			return args[i].v.Value < args[j].v.Value
		}
		return args[i].k.Value < args[j].k.Value
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

// cloneNode deep-copies a node tree; migration must not disturb the tree that fix rewrites.
func cloneNode(n *yaml.Node) *yaml.Node {
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
