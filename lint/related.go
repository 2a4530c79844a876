package lint

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	apiserverapi "k8s.io/apiserver/pkg/apis/apiserver"
	auditapi "k8s.io/apiserver/pkg/apis/audit"
	schedulerconfig "k8s.io/kubernetes/pkg/scheduler/apis/config"
	podsecurityapi "k8s.io/pod-security-admission/admission/api"
)

// Related indexes the Cluster API objects of a run that say what the carriers do not: the
// version a KubeadmConfigTemplate runs (from the MachineDeployment or MachinePool that references
// it, else its Cluster's topology) and the networking of a Cluster (spec.clusterNetwork), which
// Cluster API writes into kubeadm's ClusterConfiguration. It also indexes the run's
// control-plane configuration files and the ClusterConfiguration flags that name them, so that a
// flag and its file are checked together. It is safe for concurrent use.
type Related struct {
	mu       sync.Mutex
	sources  map[string]bool
	clusters []*relCluster
	refs     []*relRef
	// nodes are the nodes of the objects indexed, by source, to tell whether a node is in the
	// source being linted (its position is the user's) or in another one.
	nodes map[*yaml.Node]string
	// current is the source being linted, for sameSource; set by with.
	current string
	// files are the run's control-plane configuration files, by source name.
	files map[string]RunFile
	// apiServers are the kube-apiserver flags of the run's ClusterConfigurations that tie a
	// configuration file to the command line that reads it.
	apiServers []runAPIServer
}

// runAPIServer is what a ClusterConfiguration of the run gives kube-apiserver: the file its
// encryption-provider-config names, and its feature-gates.
type runAPIServer struct {
	source, encryption, gates string
}

// RunFile is a control-plane configuration file of the run: the document its component reads.
type RunFile struct {
	Name             string // the source's name
	APIVersion, Kind string // of its first document
}

type relCluster struct {
	source, namespace, name string
	topologyVersion         *yaml.Node
	controlPlaneRef         string
	clusterNetwork          *yaml.Node
	endpoint                string
}

// relRef is a MachineDeployment, MachinePool or Machine and the bootstrap config it references.
type relRef struct {
	kind, namespace, clusterName string
	configKind, configName       string
	version                      *yaml.Node
}

// Add indexes the Cluster API objects of one source. A source that is not YAML adds nothing:
// linting it reports why.
func (r *Related) Add(name string, data []byte) {
	if r == nil {
		return
	}
	capi, component := bytes.Contains(data, []byte(capiGroup)), mentionsComponentGroup(data)
	// A ClusterConfiguration is parsed again only when it names an EncryptionConfiguration, the
	// one file whose findings depend on its flags: most sources of a run are kubeadm configs.
	kubeadm := bytes.Contains(data, []byte(kubeadmGroup)) && bytes.Contains(data, []byte("encryption-provider-config"))
	if !capi && !component && !kubeadm {
		return
	}
	nodes, err := parseDocuments(name, data)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if component {
		r.addFile(name, nodes)
	}
	if kubeadm {
		r.addAPIServer(name, nodes)
	}
	if capi {
		r.add(name, nodes)
	}
}

// mentionsComponentGroup reports whether a source may hold a control-plane configuration file.
func mentionsComponentGroup(data []byte) bool {
	for _, g := range []string{apiserverapi.GroupName, apiserverapi.LegacyGroupName, auditapi.GroupName,
		schedulerconfig.GroupName, podsecurityapi.GroupName, kindEncryptionLegacy} {
		if bytes.Contains(data, []byte(g)) {
			return true
		}
	}
	return false
}

// addFile indexes a source whose first document is a control-plane configuration file.
func (r *Related) addFile(name string, nodes []*yaml.Node) {
	for _, n := range nodes {
		root := deref(n)
		if root == nil || commentsOnly(root) {
			continue
		}
		av, kind := str(get(root, "apiVersion")), str(get(root, "kind"))
		if group, _ := splitAPIVersion(av); componentOf(group, kind) != "" {
			if r.files == nil {
				r.files = map[string]RunFile{}
			}
			r.files[name] = RunFile{Name: name, APIVersion: av, Kind: kind}
		}
		return
	}
}

// addAPIServer indexes the kube-apiserver flags of a source's ClusterConfigurations.
func (r *Related) addAPIServer(name string, nodes []*yaml.Node) {
	for _, n := range nodes {
		root := deref(n)
		if group, _ := splitAPIVersion(str(get(root, "apiVersion"))); group != kubeadmGroup || str(get(root, "kind")) != KindCluster {
			continue
		}
		extra := get(root, "apiServer", "extraArgs")
		if a := (runAPIServer{source: name, encryption: extraArg(extra, "encryption-provider-config"), gates: extraArg(extra, "feature-gates")}); a.encryption != "" {
			r.apiServers = append(r.apiServers, a)
		}
	}
}

// extraArg returns a flag's value in extraArgs as v1beta3 (a map) or v1beta4 (a list, the last
// entry winning) writes it.
func extraArg(extra *yaml.Node, name string) string {
	if extra == nil {
		return ""
	}
	if extra.Kind == yaml.MappingNode {
		return str(get(extra, name))
	}
	value := ""
	for _, e := range extra.Content {
		if str(get(e, "name")) == name {
			value = str(get(e, "value"))
		}
	}
	return value
}

// EncryptionGate returns the value that the ClusterConfigurations of the run whose
// kube-apiserver reads the file named file as its EncryptionConfiguration give a feature gate;
// ok is false when none names the file or sets the gate.
func (r *Related) EncryptionGate(file, gate string) (on, ok bool) {
	if r == nil {
		return false, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.apiServers {
		if f, found := r.file(a.encryption, a.source); !found || f.Name != file {
			continue
		}
		for _, kv := range strings.Split(a.gates, ",") {
			if k, v, _ := strings.Cut(kv, "="); strings.TrimSpace(k) == gate {
				on, ok = strings.TrimSpace(v) == "true", true
			}
		}
	}
	return on, ok
}

// File returns the control-plane configuration file of the run that is the file at path on a
// node, for a flag written in the source from. The convention: a source is that file when its
// path, as the run names it, ends with the same path components as path, its base name at least;
// when several do, the one that shares the most, then the one that shares the most leading
// directories with from; none when two remain.
func (r *Related) File(path, from string) (RunFile, bool) {
	if r == nil {
		return RunFile{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.file(path, from)
}

func (r *Related) file(path, from string) (RunFile, bool) {
	split := func(p string) []string { return strings.Split(filepath.ToSlash(filepath.Clean(p)), "/") }
	want, src := split(path), split(filepath.Dir(from))
	var best RunFile
	bestN, bestNear, tie := 0, 0, false
	for name, f := range r.files {
		have := split(name)
		n := 0
		for n < len(want) && n < len(have) && want[len(want)-1-n] == have[len(have)-1-n] && have[len(have)-1-n] != ".." {
			n++
		}
		near := 0
		for near < len(src) && near < len(have)-1 && src[near] == have[near] {
			near++
		}
		switch {
		case n == 0 || n < bestN || n == bestN && near < bestNear:
		case n == bestN && near == bestNear:
			tie = true
		default:
			best, bestN, bestNear, tie = f, n, near, false
		}
	}
	if bestN == 0 || tie {
		return RunFile{}, false
	}
	return best, true
}

func (r *Related) add(name string, nodes []*yaml.Node) {
	if r.sources[name] {
		return
	}
	if r.sources == nil {
		r.sources, r.nodes = map[string]bool{}, map[*yaml.Node]string{}
	}
	r.sources[name] = true
	for _, n := range nodes {
		root := deref(n)
		if root == nil || root.Kind != yaml.MappingNode {
			continue
		}
		group, _ := splitAPIVersion(str(get(root, "apiVersion")))
		if group != capiGroup {
			continue
		}
		objName, ns := objectName(root)
		switch kind := str(get(root, "kind")); kind {
		case "Cluster":
			c := &relCluster{source: name, namespace: ns, name: objName,
				topologyVersion: get(root, "spec", "topology", "version"),
				controlPlaneRef: str(get(root, "spec", "controlPlaneRef", "name")),
				clusterNetwork:  get(root, "spec", "clusterNetwork")}
			if host := str(get(root, "spec", "controlPlaneEndpoint", "host")); host != "" {
				port := str(get(root, "spec", "controlPlaneEndpoint", "port"))
				if port == "" {
					port = "6443"
				}
				c.endpoint = host + ":" + port
			}
			r.clusters = append(r.clusters, c)
			r.mark(name, c.topologyVersion, c.clusterNetwork)
		case "MachineDeployment", "MachinePool", "Machine":
			spec := get(root, "spec", "template", "spec")
			if kind == "Machine" {
				spec = get(root, "spec")
			}
			ref := get(spec, "bootstrap", "configRef")
			if ref == nil {
				continue
			}
			rr := &relRef{kind: kind, namespace: ns, clusterName: str(get(root, "spec", "clusterName")),
				configKind: str(get(ref, "kind")), configName: str(get(ref, "name")), version: get(spec, "version")}
			r.refs = append(r.refs, rr)
			r.mark(name, rr.version)
		}
	}
}

func (r *Related) mark(source string, ns ...*yaml.Node) {
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		r.nodes[n] = source
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, n := range ns {
		walk(n)
	}
}

// with returns an index of r's objects and those of the source being linted, which names the
// source for sameSource.
func (r *Related) with(name string, nodes []*yaml.Node) *Related {
	out := &Related{}
	if r != nil {
		r.mu.Lock()
		out.sources, out.nodes = map[string]bool{}, map[*yaml.Node]string{}
		for s := range r.sources {
			if s != name { // the source's own nodes are indexed again, from this parse
				out.sources[s] = true
			}
		}
		for n, s := range r.nodes {
			if s != name {
				out.nodes[n] = s
			}
		}
		for _, c := range r.clusters {
			if c.source != name {
				out.clusters = append(out.clusters, c)
			}
		}
		out.refs = append(out.refs, r.refs...)
		r.mu.Unlock()
	}
	out.add(name, nodes)
	out.current = name
	return out
}

// sameSource reports whether n is a node of the source being linted, whose positions findings
// may use.
func (r *Related) sameSource(n *yaml.Node) bool {
	s, ok := r.nodes[n]
	return !ok || s == r.current
}

// versionFor returns the Kubernetes version a Cluster API bootstrap config or template runs, the
// node it is written at, and where it comes from.
func (r *Related) versionFor(kind, namespace, name string, lbls map[string]string) (string, *yaml.Node, string) {
	refKind := strings.TrimSuffix(kind, "Template")
	if kind == KindKubeadmConfigTemplate {
		refKind = kind
	}
	for _, ref := range r.refs {
		if ref.configKind == refKind && ref.configName == name && ref.namespace == namespace && str(ref.version) != "" {
			return str(ref.version), ref.version, "the " + ref.kind + " that references it"
		}
	}
	if c := r.clusterFor(kind, namespace, name, lbls); c != nil && str(c.topologyVersion) != "" {
		return str(c.topologyVersion), c.topologyVersion, "the Cluster's spec.topology.version"
	}
	return "", nil, ""
}

// clusterFor returns the Cluster an object belongs to: the one its cluster-name label names, the
// one whose controlPlaneRef names it, the one of the MachineDeployment that references it, or
// the only Cluster of the run.
func (r *Related) clusterFor(kind, namespace, name string, lbls map[string]string) *relCluster {
	byName := func(n string) *relCluster {
		for _, c := range r.clusters {
			if c.name == n && c.namespace == namespace {
				return c
			}
		}
		return nil
	}
	if n := lbls["cluster.x-k8s.io/cluster-name"]; n != "" {
		if c := byName(n); c != nil {
			return c
		}
	}
	if kind == KindKubeadmControlPlane {
		for _, c := range r.clusters {
			if c.controlPlaneRef == name && c.namespace == namespace {
				return c
			}
		}
	}
	for _, ref := range r.refs {
		if ref.configName == name && ref.namespace == namespace && ref.clusterName != "" {
			if c := byName(ref.clusterName); c != nil {
				return c
			}
		}
	}
	if len(r.clusters) == 1 {
		return r.clusters[0]
	}
	return nil
}

// network writes the Cluster's spec.clusterNetwork into a ClusterConfiguration as Cluster API's
// computeClusterConfigurationAndAdditionalData does: services and pods (their CIDR blocks joined
// with commas) and the service domain, each at the user's line when the Cluster is in the source
// being linted.
func (c *relCluster) network(cc *yaml.Node, r *Related, syn map[*yaml.Node]bool) {
	cn := c.clusterNetwork
	if cn == nil {
		return
	}
	var net *yaml.Node
	set := func(key string, v *yaml.Node) {
		if net == nil {
			net = child(cc, "networking", cc, syn)
		}
		if !r.sameSource(v) {
			syn[v] = true
		}
		setField(net, key, nil, v)
	}
	blocks := func(path ...string) *yaml.Node {
		items := seq(get(cn, path...))
		if len(items) == 0 {
			return nil
		}
		vals := make([]string, len(items))
		for i, it := range items {
			vals[i] = it.Value
		}
		v := newScalar(strings.Join(vals, ","), items[0])
		if !r.sameSource(items[0]) {
			syn[v] = true
		}
		return v
	}
	if v := blocks("services", "cidrBlocks"); v != nil {
		set("serviceSubnet", v)
	}
	if v := blocks("pods", "cidrBlocks"); v != nil {
		set("podSubnet", v)
	}
	if d := get(cn, "serviceDomain"); d != nil && d.Kind == yaml.ScalarNode {
		v := newScalar(d.Value, d)
		if !r.sameSource(d) {
			syn[v] = true
		}
		set("dnsDomain", v)
	}
}
