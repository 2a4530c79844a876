package lint

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	apiserverapi "k8s.io/apiserver/pkg/apis/apiserver"
	auditapi "k8s.io/apiserver/pkg/apis/audit"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	schedulerconfig "k8s.io/kubernetes/pkg/scheduler/apis/config"
	podsecurityapi "k8s.io/pod-security-admission/admission/api"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
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
	// readers are the kube-apiserver command lines of the run's ClusterConfigurations, one for
	// each configuration file one of its flags names, for the file rules whose verdict depends on
	// the flags beside the file.
	readers []runReader
}

// runReader is a ClusterConfiguration's kube-apiserver with a file one of its flags names.
type runReader struct {
	source string            // the ClusterConfiguration's
	file   string            // the path on the node, through the component's extraVolumes
	args   map[string]string // its extraArgs, the last of a name winning
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
	// Most sources of a run are kubeadm configs: one is parsed again only when it may name a file.
	kubeadm := bytes.Contains(data, []byte(kubeadmGroup)) && namesConfigFile(data)
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
		r.readers = append(r.readers, readersOf(name, nodes)...)
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

// namesConfigFile reports whether a source may hold a kube-apiserver flag that names a file.
func namesConfigFile(data []byte) bool {
	for flag := range ConfigFileFlags[release.APIServer] {
		if bytes.Contains(data, []byte(flag)) {
			return true
		}
	}
	return false
}

// readersOf returns the kube-apiserver of each ClusterConfiguration of a source, once for each
// file its flags name.
func readersOf(name string, nodes []*yaml.Node) []runReader {
	var out []runReader
	for _, n := range nodes {
		root := deref(n)
		if group, _ := splitAPIVersion(str(get(root, "apiVersion"))); group != kubeadmGroup || str(get(root, "kind")) != KindCluster {
			continue
		}
		args := extraArgs(get(root, "apiServer", "extraArgs"))
		var mounts []kubeadmapi.HostPathMount
		if vols := get(root, "apiServer", "extraVolumes"); vols != nil {
			for _, v := range vols.Content {
				mounts = append(mounts, kubeadmapi.HostPathMount{HostPath: str(get(v, "hostPath")), MountPath: str(get(v, "mountPath"))})
			}
		}
		for flag := range ConfigFileFlags[release.APIServer] {
			if v := args[flag]; path.IsAbs(v) {
				out = append(out, runReader{source: name, file: HostPath(mounts, v), args: args})
			}
		}
	}
	return out
}

// extraArgs returns the flags of an extraArgs as v1beta3 (a map) or v1beta4 (a list, the last
// entry of a name winning) writes them.
func extraArgs(extra *yaml.Node) map[string]string {
	args := map[string]string{}
	if extra == nil {
		return args
	}
	if extra.Kind == yaml.MappingNode {
		for _, p := range mappingPairs(extra) {
			args[p.key] = str(p.value)
		}
		return args
	}
	for _, e := range extra.Content {
		args[str(get(e, "name"))] = str(get(e, "value"))
	}
	return args
}

// ReaderArgs returns the kube-apiserver extraArgs of the ClusterConfiguration of the run whose
// flag names the file called name, by the convention of File: the command line that reads the
// file. ok is false when no ClusterConfiguration of the run names it.
func (r *Related) ReaderArgs(name string) (args map[string]string, ok bool) {
	if r == nil {
		return nil, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rd := range r.readers {
		if f, found := r.file(rd.file, rd.source); found && f.Name == name {
			return rd.args, true
		}
	}
	return nil, false
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
