package lint

// The embedded pass: kubeadm configuration carried inside objects of other APIs, Cluster API's
// KubeadmControlPlane and KubeadmConfig and kind's Cluster. Each such object (a carrier) is turned
// into the kubeadm documents that its tool would write for kubeadm (a unit), made of the user's
// own nodes so that every finding lands on the line the user edits, and each unit is loaded and
// linted like a file, by the same rules and Collector, at the release the object will run.

import (
	"context"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/version"
)

// Carrier kinds.
const (
	KindKubeadmControlPlane         = "KubeadmControlPlane"
	KindKubeadmControlPlaneTemplate = "KubeadmControlPlaneTemplate"
	KindKubeadmConfig               = "KubeadmConfig"
	KindKubeadmConfigTemplate       = "KubeadmConfigTemplate"
	KindKindCluster                 = "Cluster" // kind.x-k8s.io/v1alpha4
)

const (
	capiControlPlaneGroup = "controlplane.cluster.x-k8s.io"
	capiBootstrapGroup    = "bootstrap.cluster.x-k8s.io"
	capiGroup             = "cluster.x-k8s.io"
	kindAPIVersion        = "kind.x-k8s.io/v1alpha4"
)

// CarrierKinds are the kinds of the objects the embedded pass reads; rules about the objects
// themselves (KL8xx) list them.
var CarrierKinds = []string{KindKubeadmControlPlane, KindKubeadmControlPlaneTemplate, KindKubeadmConfig, KindKubeadmConfigTemplate, KindKindCluster}

// isCarrier reports whether a document is an object that carries kubeadm configuration.
func isCarrier(d *Document) bool {
	group, ver := splitAPIVersion(d.APIVersion)
	switch group {
	case capiControlPlaneGroup:
		return (ver == "v1beta1" || ver == "v1beta2") && (d.Kind == KindKubeadmControlPlane || d.Kind == KindKubeadmControlPlaneTemplate)
	case capiBootstrapGroup:
		return (ver == "v1beta1" || ver == "v1beta2") && (d.Kind == KindKubeadmConfig || d.Kind == KindKubeadmConfigTemplate)
	}
	return d.APIVersion == kindAPIVersion && d.Kind == KindKindCluster
}

// unit is the kubeadm configuration one carrier makes for one kind of machine, as one file that
// kubeadm reads, with the release it is linted at.
type unit struct {
	docs    []*yaml.Node // document roots (mappings), in kubeadm's shape
	release string       // "v1.36"
	// synthetic holds the nodes the tool fills in, not the user: a finding about one is not the
	// user's to fix, and is dropped.
	synthetic map[*yaml.Node]bool
}

// ObjectOptions are the facts about a Cluster API or kind object that are not in the object.
type ObjectOptions struct {
	// KubernetesVersion is the release for an object that names none, such as a
	// KubeadmConfigTemplate no MachineDeployment of the run references. Empty: the Linter's.
	KubernetesVersion string
	// Related are the other Cluster API objects of the run (Clusters, MachineDeployments,
	// MachinePools, Machines), which give templates their version and networking, and the run's
	// control-plane configuration files, which the flags of a ClusterConfiguration name. Nil: only
	// the source's own objects.
	Related *Related
}

// LintObject lints the kubeadm configuration inside Cluster API or kind objects: one object
// (YAML or JSON, as an admission review carries it) or a file of them. It is Lint with the facts
// the objects do not hold; Lint calls it with the Linter's release and the source's own objects.
func (l *Linter) LintObject(ctx context.Context, src Source, o ObjectOptions) (*Result, error) {
	src.objects = &o
	return l.Lint(ctx, src)
}

// embedded lints the carriers of a file, adding their findings to out. Each carrier's own
// problems (KL8xx) are recorded on its Document, which is added to f.Objects.
func (l *Linter) embedded(ctx context.Context, src Source, f *File, carriers []*Document, out *Collector, place func(*Document, Finding) Finding) error {
	o := ObjectOptions{}
	if src.objects != nil {
		o = *src.objects
	}
	if o.KubernetesVersion == "" {
		o.KubernetesVersion = l.opts.KubernetesVersion
	}
	related := o.Related.with(src.Name, f.Nodes)
	for _, c := range carriers {
		var units []*unit
		if c.APIVersion == kindAPIVersion {
			units = kindUnits(c, o.KubernetesVersion, src.Data)
		} else {
			units = capiUnits(c, related, o.KubernetesVersion, src.Data)
		}
		f.Objects = append(f.Objects, c)
		for _, u := range units {
			if err := l.lintUnit(ctx, src, f, c, u, out, place); err != nil {
				return err
			}
		}
	}
	// The carriers' own rules: the KL8xx rules run on the objects, not on what they make.
	cf := &File{Name: f.Name, Nodes: f.Nodes, Docs: carriers, expansion: f.expansion}
	for _, r := range l.rules {
		for _, d := range carriers {
			if r.AppliesTo(d.Kind) {
				r.Run(&Pass{Rule: r, File: cf, Doc: d, Options: &l.opts, out: out, place: place})
			}
		}
	}
	return nil
}

// lintUnit loads one unit as a file and runs the file rules on it, at the unit's release.
func (l *Linter) lintUnit(ctx context.Context, src Source, f *File, carrier *Document, u *unit, out *Collector, place func(*Document, Finding) Finding) error {
	opts := l.opts
	opts.KubernetesVersion = u.release
	if err := opts.validate(); err != nil {
		return nil // the carrier reports the release it cannot be linted at
	}
	uf := &File{Name: f.Name, expansion: f.expansion}
	for i, root := range u.docs {
		d, foreign := classify(root, i)
		if foreign {
			continue
		}
		d.embedded = u
		uf.Docs = append(uf.Docs, d)
	}
	if err := l.load(ctx, uf); err != nil {
		return err
	}
	before := len(out.found)
	for _, r := range l.rules {
		if r.Scripts {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(r.Kinds) == 0 {
			r.Run(&Pass{Rule: r, File: uf, Options: &opts, out: out, place: place})
			continue
		}
		for _, d := range uf.Docs {
			if r.AppliesTo(d.Kind) {
				r.Run(&Pass{Rule: r, File: uf, Doc: d, Options: &opts, out: out, place: place})
			}
		}
	}
	// Keep what is about the user's text, once: a node two units share (the kubelet
	// configuration of a control plane's init and join) gives the same finding twice.
	kept := out.found[:before]
	seen := map[string]bool{}
	for _, fd := range out.found[:before] {
		seen[findingKey(fd)] = true
	}
	for _, fd := range out.found[before:] {
		if fd.Node == nil || fd.Node.Line == 0 || u.synthetic[fd.Node] || fd.Doc != nil && u.synthetic[fd.Doc.origin[fd.Node]] {
			continue
		}
		fd.Fixes = nil // fix edits kubeadm files; the carrier's text is another shape
		if k := findingKey(fd); !seen[k] {
			seen[k] = true
			kept = append(kept, fd)
		}
	}
	out.found = kept
	return nil
}

func findingKey(f Finding) string {
	return fmt.Sprintf("%s\x00%d\x00%d\x00%s\x00%s", f.Rule, f.Pos.Line, f.Pos.Column, f.Path, f.Message)
}

// releaseOf returns the minor release ("v1.36") of a Kubernetes version as Cluster API and kind
// write it ("v1.36.2"), or "" when it does not parse.
func releaseOf(v string) string {
	pv, err := version.ParseGeneric(strings.TrimPrefix(strings.TrimSpace(v), "v"))
	if err != nil || pv.Major() != 1 {
		return ""
	}
	return fmt.Sprintf("v1.%d", pv.Minor())
}

// Node helpers for building units out of the user's nodes.

func newScalar(value string, at *yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	if at != nil {
		n.Line, n.Column = at.Line, at.Column
	}
	return n
}

func newMapping(at *yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if at != nil {
		n.Line, n.Column = at.Line, at.Column
	}
	return n
}

// setField sets key to v in mapping m, replacing the value of an existing key.
func setField(m *yaml.Node, key string, keyNode, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if keyString(m.Content[i]) == key {
			m.Content[i+1] = v
			return
		}
	}
	if keyNode == nil {
		keyNode = newScalar(key, v)
	}
	m.Content = append(m.Content, keyNode, v)
}

// removeField deletes key from mapping m and returns its key and value nodes.
func removeField(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if keyString(m.Content[i]) == key {
			k, v = m.Content[i], m.Content[i+1]
			m.Content = append(m.Content[:i:i], m.Content[i+2:]...)
			return k, v
		}
	}
	return nil, nil
}

// child returns the mapping under key in m, creating it (synthetic, at at) when absent.
func child(m *yaml.Node, key string, at *yaml.Node, synthetic map[*yaml.Node]bool) *yaml.Node {
	if _, v := mappingGet(m, key); v != nil {
		if d := deref(v); d != nil && d.Kind == yaml.MappingNode {
			return d
		}
	}
	c := newMapping(at)
	k := newScalar(key, at)
	synthetic[c], synthetic[k] = true, true
	setField(m, key, k, c)
	return c
}

// get follows a dotted path of mapping keys.
func get(m *yaml.Node, path ...string) *yaml.Node {
	cur := deref(m)
	for _, p := range path {
		if cur == nil || cur.Kind != yaml.MappingNode {
			return nil
		}
		_, v := mappingGet(cur, p)
		cur = deref(v)
	}
	return cur
}

func str(n *yaml.Node) string {
	if n = deref(n); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// header makes a document root of apiVersion and kind in front of the fields of body (a copy),
// positioned at at, the key the user wrote the configuration under.
func header(apiVersion, kind string, body, at *yaml.Node, synthetic map[*yaml.Node]bool, origin map[*yaml.Node]*yaml.Node) *yaml.Node {
	root := newMapping(at)
	if body != nil && deref(body) != nil && deref(body).Kind == yaml.MappingNode {
		b := cloneNode(deref(body), origin)
		root.Line, root.Column = b.Line, b.Column
		root.Content = b.Content
	}
	ak, av := newScalar("apiVersion", at), newScalar(apiVersion, at)
	kk, kv := newScalar("kind", at), newScalar(kind, at)
	// The kind key is where findings about the whole document land: at the user's key.
	synthetic[ak], synthetic[av] = true, true
	root.Content = append([]*yaml.Node{ak, av, kk, kv}, root.Content...)
	return root
}
