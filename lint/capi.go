package lint

// Cluster API: KubeadmControlPlane(Template) and KubeadmConfig(Template) of v1beta1 (extraArgs as
// maps) and v1beta2 (extraArgs as name/value lists, timeouts in seconds) become the kubeadm
// documents Cluster API v1.14 renders for them (sigs.k8s.io/cluster-api
// bootstrap/kubeadm/pkg/types: kubeadm.k8s.io/v1beta4 for Kubernetes v1.31 and later, which is
// every release kubeadm-lint knows), with what its controllers fill in
// (bootstrap/kubeadm/reconcilers/kubeadmconfig: the Cluster's networking, name and endpoint, the
// join discovery), so that findings are about what kubeadm will read. The shapes follow
// sigs.k8s.io/cluster-api/api v1.14 bootstrap/kubeadm/v1beta1 and v1beta2 kubeadm_types.go.

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

const kubeadmV1beta4 = "kubeadm.k8s.io/v1beta4"

// argPaths are the extraArgs of Cluster API's ClusterConfiguration and NodeRegistrationOptions.
var (
	clusterArgPaths = []string{"apiServer.extraArgs", "controllerManager.extraArgs", "scheduler.extraArgs", "etcd.local.extraArgs"}
	nodeArgPaths    = []string{"nodeRegistration.kubeletExtraArgs"}
)

// capiTimeouts maps v1beta2's timeouts.*Seconds to kubeadm's durations.
var capiTimeouts = map[string]string{
	"controlPlaneComponentHealthCheckSeconds": "controlPlaneComponentHealthCheck",
	"kubeletHealthCheckSeconds":               "kubeletHealthCheck",
	"kubernetesAPICallSeconds":                "kubernetesAPICall",
	"etcdAPICallSeconds":                      "etcdAPICall",
	"tlsBootstrapSeconds":                     "tlsBootstrap",
	"discoverySeconds":                        "discovery",
}

// capiCarrier is where one Cluster API object keeps its KubeadmConfigSpec.
type capiCarrier struct {
	doc        *Document
	api        string     // v1beta1 or v1beta2
	spec       *yaml.Node // the KubeadmConfigSpec mapping
	specPath   string     // its field path in the object
	controlKCP bool       // a control plane: init for the first machine, join with controlPlane after
}

func capiSpec(d *Document) *capiCarrier {
	_, api := splitAPIVersion(d.APIVersion)
	c := &capiCarrier{doc: d, api: api}
	switch d.Kind {
	case KindKubeadmControlPlane:
		c.specPath, c.controlKCP = "spec.kubeadmConfigSpec", true
	case KindKubeadmControlPlaneTemplate:
		c.specPath, c.controlKCP = "spec.template.spec.kubeadmConfigSpec", true
	case KindKubeadmConfig:
		c.specPath = "spec"
	case KindKubeadmConfigTemplate:
		c.specPath = "spec.template.spec"
	}
	c.spec = get(d.Root, strings.Split(c.specPath, ".")...)
	if c.spec == nil || c.spec.Kind != yaml.MappingNode {
		return nil
	}
	return c
}

// capiUnits renders a Cluster API object's kubeadm configuration.
func capiUnits(d *Document, rel *Related, defaultVersion string, data []byte) []*unit {
	c := capiSpec(d)
	if c == nil {
		return nil
	}
	name, namespace := objectName(d.Root)
	// The release the object runs.
	var versionNode *yaml.Node
	ver, from := "", ""
	switch {
	case d.Kind == KindKubeadmControlPlane:
		versionNode = get(d.Root, "spec", "version")
		ver, from = str(versionNode), "spec.version"
	default:
		ver, versionNode, from = rel.versionFor(d.Kind, namespace, name, labels(d.Root))
	}
	versionPath := "spec.version"
	if d.Kind != KindKubeadmControlPlane {
		versionPath = "kind"
	}
	// clusterctl templates leave the version to a variable (${KUBERNETES_VERSION}): the default
	// release stands for it.
	if ver == "" || strings.Contains(ver, "${") {
		ver, versionNode, from = defaultVersion, nil, "the default release"
	}
	release := releaseOf(ver)
	if release == "" {
		d.addProblem(ProblemEmbeddedRelease, versionPath, fmt.Sprintf("kubernetes version %q does not parse", ver))
		return nil
	}
	if _, err := ParseTarget(release); err != nil {
		d.Problems = append(d.Problems, Problem{Code: ProblemEmbeddedRelease, Path: versionPath,
			Message: fmt.Sprintf("kubernetes version %q (from %s) is not a release kubeadm-lint knows, so the kubeadm configuration is not linted", ver, from),
			Hint:    fmt.Sprintf("lint the object for a known release with --kubernetes-version; %v", err)})
		return nil
	}
	cluster := rel.clusterFor(d.Kind, namespace, name, labels(d.Root))

	syn := map[*yaml.Node]bool{}
	origin := map[*yaml.Node]*yaml.Node{}
	keyOf := func(field string) *yaml.Node {
		k, _ := mappingGet(c.spec, field)
		if k == nil {
			k = c.spec
		}
		return k
	}
	prefix := c.specPath + "."

	// ClusterConfiguration.
	cc := header(kubeadmV1beta4, KindCluster, get(c.spec, "clusterConfiguration"), keyOf("clusterConfiguration"), syn, origin)
	var movedTimeout *yaml.Node
	if c.api == "v1beta1" {
		for _, f := range []string{"networking", "kubernetesVersion", "clusterName"} {
			if k, _ := removeField(cc, f); k != nil {
				d.Problems = append(d.Problems, Problem{Code: ProblemIgnoredField, Path: prefix + "clusterConfiguration." + f, Node: origin[k],
					Message: fmt.Sprintf("Cluster API ignores clusterConfiguration.%s", f),
					Hint:    ignoredHint[f]})
			}
		}
		if api := get(cc, "apiServer"); api != nil {
			_, movedTimeout = removeField(api, "timeoutForControlPlane")
		}
		mapsToLists(cc, clusterArgPaths)
	} else {
		c.repeatedArgs(d, cc, "clusterConfiguration.", clusterArgPaths, origin)
	}
	for _, f := range []string{"certificateValidityPeriodDays", "caCertificateValidityPeriodDays"} {
		if k, v := removeField(cc, f); k != nil {
			days, err := strconv.Atoi(str(v))
			if err != nil {
				continue // Cluster API's schema rejects it
			}
			setField(cc, strings.TrimSuffix(f, "Days"), newScalar(strings.TrimSuffix(f, "Days"), k), newScalar(fmt.Sprintf("%dh0m0s", days*24), v))
		}
	}
	kv := newScalar(ver, versionNode)
	if versionNode == nil || !rel.sameSource(versionNode) {
		syn[kv] = true
	}
	setField(cc, "kubernetesVersion", nil, kv)
	if cluster != nil {
		cluster.network(cc, rel, syn)
	}
	// Cluster API waits for the Cluster's spec.controlPlaneEndpoint (the infrastructure provider
	// sets it) and writes it when the user did not.
	if get(cc, "controlPlaneEndpoint") == nil {
		v := newScalar(endpointOf(cluster), cc)
		syn[v] = true
		setField(cc, "controlPlaneEndpoint", nil, v)
	}

	// InitConfiguration and JoinConfiguration.
	ic := header(kubeadmV1beta4, KindInit, get(c.spec, "initConfiguration"), keyOf("initConfiguration"), syn, origin)
	jc := header(kubeadmV1beta4, KindJoin, get(c.spec, "joinConfiguration"), keyOf("joinConfiguration"), syn, origin)
	for _, n := range []*yaml.Node{ic, jc} {
		if c.api == "v1beta1" {
			mapsToLists(n, nodeArgPaths)
		} else {
			c.repeatedArgs(d, n, "", nodeArgPaths, origin)
			secondsToDurations(n)
		}
	}
	if movedTimeout != nil && !isNull(movedTimeout) {
		setField(child(ic, "timeouts", ic, syn), "controlPlaneComponentHealthCheck", nil, movedTimeout)
	}
	if c.api == "v1beta1" {
		if disc := get(jc, "discovery"); disc != nil {
			if _, t := removeField(disc, "timeout"); t != nil && !isNull(t) {
				setField(child(jc, "timeouts", jc, syn), "discovery", nil, t)
			}
		}
	}
	for _, bt := range seq(get(ic, "bootstrapTokens")) {
		if k, v := removeField(bt, "ttlSeconds"); k != nil {
			setField(bt, "ttl", newScalar("ttl", k), newScalar(str(v)+"s", v))
		}
	}
	c.discovery(jc, cluster, syn)
	if c.controlKCP {
		child(jc, "controlPlane", jc, syn)
	}

	var units []*unit
	join := &unit{docs: []*yaml.Node{jc}, release: release, synthetic: syn}
	initUnit := &unit{docs: []*yaml.Node{cc, ic}, release: release, synthetic: syn}
	switch {
	case c.controlKCP:
		units = []*unit{initUnit, join}
	case get(c.spec, "clusterConfiguration") != nil || get(c.spec, "initConfiguration") != nil:
		units = []*unit{initUnit}
		if get(c.spec, "joinConfiguration") != nil {
			units = append(units, join)
		}
	default:
		units = []*unit{join}
	}
	// A configuration written to a file is not given to kubeadm: the kubelet, or a kubeadm patch,
	// reads it. It is linted on its own.
	if files := c.files(data, syn); len(files) > 0 {
		units = append(units, &unit{docs: files, release: release, synthetic: syn})
	}
	return units
}

var ignoredHint = map[string]string{
	"networking":        "set the subnets and the service domain in the Cluster's spec.clusterNetwork, which is what Cluster API writes into kubeadm's networking",
	"kubernetesVersion": "set the version on the KubeadmControlPlane, MachineDeployment or MachinePool, which Cluster API writes into kubeadm's kubernetesVersion",
	"clusterName":       "Cluster API writes the Cluster's name into kubeadm's clusterName; remove the field",
}

// mapsToLists turns v1beta1's {flag: value} maps into kubeadm v1beta4's lists, as Cluster API's
// ConvertToArgs does.
func mapsToLists(root *yaml.Node, paths []string) {
	for _, p := range paths {
		if v, _, ok := lookup(root, p); ok && v != nil && v.Kind == yaml.MappingNode {
			argsToList(v)
		}
	}
}

// repeatedArgs records the extraArgs names a v1beta2 list repeats, which Cluster API's schema
// rejects ("extraArgs name must be unique").
func (c *capiCarrier) repeatedArgs(d *Document, root *yaml.Node, sub string, paths []string, origin map[*yaml.Node]*yaml.Node) {
	kind := keyString(deref(root).Content[3])
	base := map[string]string{KindCluster: "clusterConfiguration.", KindInit: "initConfiguration.", KindJoin: "joinConfiguration."}[kind]
	if sub != "" {
		base = sub
	}
	for _, p := range paths {
		list, _, ok := lookup(root, p)
		if !ok || list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		first := map[string]int{}
		for i, item := range list.Content {
			n := str(get(item, "name"))
			if n == "" {
				continue
			}
			if j, seen := first[n]; seen {
				d.Problems = append(d.Problems, Problem{Code: ProblemArgRepeated, Path: PathIndex(c.specPath+"."+base+p, i), Node: origin[item],
					Message: fmt.Sprintf("extraArgs name %q is repeated (first at item %d)", n, j),
					Hint:    "keep one entry and join the values as the component reads them, as Cluster API's schema rejects a repeated name in v1beta2"})
				continue
			}
			first[n] = i
		}
	}
}

// secondsToDurations turns v1beta2's timeouts.*Seconds into kubeadm's durations.
func secondsToDurations(root *yaml.Node) {
	t := get(root, "timeouts")
	if t == nil || t.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(t.Content); i += 2 {
		k, v := t.Content[i], deref(t.Content[i+1])
		if to, ok := capiTimeouts[keyString(k)]; ok && v != nil && v.Kind == yaml.ScalarNode {
			nk, nv := *k, *v
			nk.Value, nv.Value, nv.Tag, nv.Style = to, v.Value+"s", "!!str", 0
			t.Content[i], t.Content[i+1] = &nk, &nv
		}
	}
}

// discovery fills in the join discovery as Cluster API's controller does
// (reconcileDiscovery): a bootstrap token, the Cluster's endpoint and the CA's hash, unless the
// user chose a file. The values are synthetic: they stand for what the controller computes.
func (c *capiCarrier) discovery(jc *yaml.Node, cluster *relCluster, syn map[*yaml.Node]bool) {
	disc := child(jc, "discovery", jc, syn)
	if f := get(disc, "file"); f != nil {
		removeField(f, "kubeConfig") // Cluster API writes that file at kubeConfigPath
		if get(f, "kubeConfigPath") == nil {
			v := newScalar("/run/kubeadm/discovery.conf", f)
			syn[v] = true
			setField(f, "kubeConfigPath", nil, v)
		}
		return
	}
	bt := child(disc, "bootstrapToken", disc, syn)
	fill := func(key string, v *yaml.Node) {
		if _, cur := mappingGet(bt, key); cur == nil {
			v.Line, v.Column = bt.Line, bt.Column
			syn[v] = true
			setField(bt, key, nil, v)
		}
	}
	fill("apiServerEndpoint", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: endpointOf(cluster)})
	fill("token", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "capi00.0000000000000000"})
	if str(get(bt, "unsafeSkipCAVerification")) != "true" {
		hashes := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "sha256:" + strings.Repeat("0", 64)}}}
		syn[hashes.Content[0]] = true
		fill("caCertHashes", hashes)
	}
}

// files returns the kubelet and kube-proxy configurations written in spec.files[].content, as
// documents at their lines in the user's file.
func (c *capiCarrier) files(data []byte, syn map[*yaml.Node]bool) []*yaml.Node {
	var out []*yaml.Node
	for _, f := range seq(get(c.spec, "files")) {
		if enc := str(get(f, "encoding")); enc != "" && enc != "plain" {
			continue
		}
		content := get(f, "content")
		if content == nil || content.Kind != yaml.ScalarNode || !strings.Contains(content.Value, "kind:") {
			continue
		}
		docs, ok := embeddedDocuments(content, data)
		if !ok {
			continue
		}
		for _, root := range docs {
			av := str(get(root, "apiVersion"))
			if g, _ := splitAPIVersion(av); g == kubeletGroup || g == kubeProxyGroup {
				out = append(out, root)
			}
		}
	}
	return out
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if d := deref(c); d != nil {
			out = append(out, d)
		}
	}
	return out
}

func objectName(root *yaml.Node) (name, namespace string) {
	return str(get(root, "metadata", "name")), str(get(root, "metadata", "namespace"))
}

func labels(root *yaml.Node) map[string]string {
	out := map[string]string{}
	if l := get(root, "metadata", "labels"); l != nil && l.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(l.Content); i += 2 {
			out[keyString(l.Content[i])] = str(l.Content[i+1])
		}
	}
	return out
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// endpointOf is the Cluster's control-plane endpoint, or a stand-in (TEST-NET-1) for the one the
// infrastructure provider will set.
func endpointOf(c *relCluster) string {
	if c != nil && c.endpoint != "" {
		return c.endpoint
	}
	return "192.0.2.1:6443"
}
