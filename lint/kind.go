package lint

// kind: a kind.x-k8s.io/v1alpha4 Cluster's kubeadmConfigPatches (RFC 7386 merge patches, as YAML
// strings) and kubeadmConfigPatchesJSON6902, at cluster and node level, are applied by kind to
// the kubeadm configuration it generates for each node (sigs.k8s.io/kind v0.33.0,
// pkg/cluster/internal/kubeadm/config.go: kubeadm.k8s.io/v1beta4 for Kubernetes v1.36 and later,
// v1beta3 from v1.23). The patches are merged here into that configuration the way
// pkg/internal/patch does (kubeadm_merge.go: extraArgs merged by name and certSANs appended for
// v1beta4, a map of extraArgs in a patch without apiVersion turned into a list), and the result
// is linted: the generated values are synthetic (line 0), so only what the patches set can be
// reported, at its line inside the patch. A patch matches a document when its kind is the
// document's and its apiVersion, if set, is the document's (resource.go, matches); one that
// matches nothing is silently skipped by kind, and reported here.

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kindGenerated returns kind's generated kubeadm configuration for a release, as kind's
// templates write it with stand-in values, and the apiVersion of its kubeadm documents.
func kindGenerated(release string, controlPlane, proxy bool) (string, string) {
	minor := 0
	fmt.Sscanf(release, "v1.%d", &minor)
	api := "kubeadm.k8s.io/v1beta4"
	args := func(indent string, kv ...string) string {
		var b strings.Builder
		for i := 0; i+1 < len(kv); i += 2 {
			fmt.Fprintf(&b, "%s- name: %q\n%s  value: %q\n", indent, kv[i], indent, kv[i+1])
		}
		return b.String()
	}
	if minor < 36 {
		api = "kubeadm.k8s.io/v1beta3"
		args = func(indent string, kv ...string) string {
			var b strings.Builder
			for i := 0; i+1 < len(kv); i += 2 {
				fmt.Fprintf(&b, "%s%q: %q\n", indent, kv[i], kv[i+1])
			}
			return b.String()
		}
	}
	node := args("    ", "node-ip", "172.18.0.2", "provider-id", "kind://docker/kind/kind-control-plane", "node-labels", "")
	cp := ""
	if controlPlane {
		cp = "controlPlane:\n  localAPIEndpoint:\n    advertiseAddress: \"172.18.0.2\"\n    bindPort: 6443\n"
	}
	text := "apiVersion: " + api + `
kind: ClusterConfiguration
kubernetesVersion: ` + release + `.0
clusterName: "kind"
controlPlaneEndpoint: "kind-control-plane:6443"
apiServer:
  certSANs: [localhost, "127.0.0.1"]
  extraArgs:
` + args("    ", "runtime-config", "") + `controllerManager:
  extraArgs:
` + args("    ", "enable-hostpath-provisioner", "true") + `networking:
  podSubnet: "10.244.0.0/16"
  serviceSubnet: "10.96.0.0/16"
---
apiVersion: ` + api + `
kind: InitConfiguration
bootstrapTokens:
- token: "abcdef.0123456789abcdef"
localAPIEndpoint:
  advertiseAddress: "172.18.0.2"
  bindPort: 6443
nodeRegistration:
  criSocket: "unix:///run/containerd/containerd.sock"
  kubeletExtraArgs:
` + node + `---
apiVersion: ` + api + `
kind: JoinConfiguration
` + cp + `nodeRegistration:
  criSocket: "unix:///run/containerd/containerd.sock"
  kubeletExtraArgs:
` + node + `discovery:
  bootstrapToken:
    apiServerEndpoint: "kind-control-plane:6443"
    token: "abcdef.0123456789abcdef"
    unsafeSkipCAVerification: true
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
cgroupRoot: /kubelet
failSwapOn: false
imageGCHighThresholdPercent: 100
evictionHard:
  nodefs.available: "0%"
  nodefs.inodesFree: "0%"
  imagefs.available: "0%"
`
	if proxy {
		text += `---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: "iptables"
iptables:
  minSyncPeriod: 1s
conntrack:
  maxPerCore: 0
`
	}
	return text, api
}

// kindPatch is one entry of kubeadmConfigPatches, parsed.
type kindPatch struct {
	path       string     // its field path in the kind Cluster
	root       *yaml.Node // the patch, at its lines in the user's file
	kind, api  string
	kindKey    *yaml.Node
	matchedAny bool
}

// kindNodeRelease returns the release of a kind node's image, "" when it names none.
func kindNodeRelease(n *yaml.Node) (string, *yaml.Node) {
	img := get(n, "image")
	ref := str(img)
	if ref == "" {
		return "", nil
	}
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	i := strings.LastIndexByte(ref, ':')
	if i < 0 || strings.Contains(ref[i:], "/") {
		return "", img
	}
	return releaseOf(ref[i+1:]), img
}

// kindUnits renders a kind Cluster's kubeadm configuration per node with its patches applied.
func kindUnits(d *Document, defaultVersion string, data []byte) []*unit {
	root := d.Root
	parse := func(path string, list *yaml.Node) []*kindPatch {
		var out []*kindPatch
		for i, item := range seq(list) {
			if item.Kind != yaml.ScalarNode {
				continue
			}
			docs, ok := embeddedDocuments(item, data)
			if !ok || len(docs) == 0 {
				continue
			}
			p := &kindPatch{path: PathIndex(path, i), root: docs[0]}
			p.kindKey, _ = mappingGet(p.root, "kind")
			p.kind, p.api = str(get(p.root, "kind")), str(get(p.root, "apiVersion"))
			out = append(out, p)
		}
		return out
	}
	clusterPatches := parse("kubeadmConfigPatches", get(root, "kubeadmConfigPatches"))
	proxy := str(get(root, "networking", "kubeProxyMode")) != "none"

	nodes := seq(get(root, "nodes"))
	type kindNode struct {
		n     *yaml.Node
		path  string
		role  string
		first bool // the first control-plane node runs 'kubeadm init'
	}
	var ns []kindNode
	if len(nodes) == 0 {
		ns = append(ns, kindNode{role: "control-plane", first: true})
	}
	firstCP := false
	for i, n := range nodes {
		role := str(get(n, "role"))
		if role == "" {
			role = "control-plane"
		}
		kn := kindNode{n: n, path: PathIndex("nodes", i), role: role}
		if role == "control-plane" && !firstCP {
			kn.first, firstCP = true, true
		}
		ns = append(ns, kn)
	}

	var units []*unit
	seenRelease := map[string]bool{}
	var allPatches []*kindPatch
	allPatches = append(allPatches, clusterPatches...)
	json6902 := []struct {
		path string
		n    *yaml.Node
	}{}
	for i, p := range seq(get(root, "kubeadmConfigPatchesJSON6902")) {
		json6902 = append(json6902, struct {
			path string
			n    *yaml.Node
		}{PathIndex("kubeadmConfigPatchesJSON6902", i), p})
	}
	matched6902 := map[string]bool{}
	for _, kn := range ns {
		release, imgNode := "", (*yaml.Node)(nil)
		if kn.n != nil {
			release, imgNode = kindNodeRelease(kn.n)
		}
		if imgNode != nil && release == "" {
			d.addProblem(ProblemEmbeddedRelease, kn.path+".image", fmt.Sprintf("node image %q names no Kubernetes release", str(imgNode)))
			continue
		}
		if release == "" {
			release = releaseOf(defaultVersion)
		}
		if _, err := ParseTarget(release); err != nil {
			if !seenRelease[release] {
				seenRelease[release] = true
				d.Problems = append(d.Problems, Problem{Code: ProblemEmbeddedRelease, Path: kn.path + ".image",
					Message: fmt.Sprintf("node image release %s is not a release kubeadm-lint knows, so the kubeadm patches are not linted for it", release),
					Hint:    err.Error()})
			}
			continue
		}
		var nodePatches []*kindPatch
		if kn.n != nil {
			nodePatches = parse(kn.path+".kubeadmConfigPatches", get(kn.n, "kubeadmConfigPatches"))
			allPatches = append(allPatches, nodePatches...)
			for i, p := range seq(get(kn.n, "kubeadmConfigPatchesJSON6902")) {
				json6902 = append(json6902, struct {
					path string
					n    *yaml.Node
				}{PathIndex(kn.path+".kubeadmConfigPatchesJSON6902", i), p})
			}
		}
		text, _ := kindGenerated(release, kn.role == "control-plane" && !kn.first, proxy)
		baseDocs, err := parseDocuments("", []byte(text))
		if err != nil {
			continue // cannot happen: the text is the linter's own
		}
		syn := map[*yaml.Node]bool{}
		var bases []*yaml.Node
		for _, bd := range baseDocs {
			zeroLines(bd, syn)
			bases = append(bases, deref(bd))
		}
		kindNetworking(root, bases[0], syn)
		patches := append(append([]*kindPatch{}, clusterPatches...), nodePatches...)
		for _, p := range patches {
			for _, b := range bases {
				bk, bapi := str(get(b, "kind")), str(get(b, "apiVersion"))
				if p.kind != bk || p.api != "" && p.api != bapi {
					continue
				}
				p.matchedAny = true
				mergeKindPatch(b, p.root, strings.HasSuffix(bapi, "/v1beta4"), p.api == "")
				if p.kindKey != nil {
					// Findings about the document as a whole land on the patch's kind line.
					for i := 0; i+1 < len(b.Content); i += 2 {
						if keyString(b.Content[i]) == "kind" {
							b.Content[i] = p.kindKey
						}
					}
				}
			}
		}
		for _, j := range json6902 {
			apiVersion := str(get(j.n, "version"))
			if g := str(get(j.n, "group")); g != "" {
				apiVersion = g + "/" + apiVersion
			}
			for _, b := range bases {
				if str(get(j.n, "kind")) == str(get(b, "kind")) && apiVersion == str(get(b, "apiVersion")) {
					matched6902[j.path] = true
				}
			}
		}
		// kubeadm init on the first control-plane node, join on the others. Join reads no
		// kubelet or kube-proxy configuration, so those are linted with init, unless the node
		// patches them itself, which KL901 then reports.
		ownPatch := map[string]bool{}
		for _, p := range nodePatches {
			ownPatch[p.kind] = true
		}
		var docs []*yaml.Node
		for _, b := range bases {
			switch k := str(get(b, "kind")); k {
			case KindCluster, KindInit:
				if kn.first {
					docs = append(docs, b)
				}
			case KindJoin:
				if !kn.first {
					docs = append(docs, b)
				}
			default:
				if kn.first || ownPatch[k] {
					docs = append(docs, b)
				}
			}
		}
		units = append(units, &unit{docs: docs, release: release, synthetic: syn})
	}
	for _, p := range allPatches {
		if p.matchedAny {
			continue
		}
		at := p.kindKey
		if k, _ := mappingGet(p.root, "apiVersion"); k != nil && p.kind != "" && isKindGenerated(p.kind) {
			at = k
		}
		what := fmt.Sprintf("kind %q", p.kind)
		if p.api != "" {
			what = fmt.Sprintf("%s %q", p.api, p.kind)
		}
		d.Problems = append(d.Problems, Problem{Code: ProblemPatchUnmatched, Path: p.path, Node: at,
			Message: fmt.Sprintf("patch for %s matches no document kind generates for the node image's release, so kind ignores it", what),
			Hint:    "kind writes kubeadm.k8s.io/v1beta4 for Kubernetes v1.36 and later and v1beta3 before; remove the patch's apiVersion line so that it applies to either, or fix its kind"})
	}
	for _, j := range json6902 {
		if !matched6902[j.path] {
			d.Problems = append(d.Problems, Problem{Code: ProblemJSON6902Unmatched, Path: j.path,
				Message: fmt.Sprintf("JSON 6902 patch target %s/%s %q matches no document kind generates for the node image's release, so kind ignores it", str(get(j.n, "group")), str(get(j.n, "version")), str(get(j.n, "kind"))),
				Hint:    "target group kubeadm.k8s.io with version v1beta4 for Kubernetes v1.36 and later and v1beta3 before, or kubelet.config.k8s.io/v1beta1 and kubeproxy.config.k8s.io/v1alpha1"})
		}
	}
	return units
}

func isKindGenerated(kind string) bool {
	switch kind {
	case KindCluster, KindInit, KindJoin, KindKubelet, KindKubeProxy:
		return true
	}
	return false
}

// zeroLines marks a generated tree synthetic: line 0 is no line of the user's file.
func zeroLines(n *yaml.Node, syn map[*yaml.Node]bool) {
	if n == nil || syn[n] {
		return
	}
	n.Line, n.Column = 0, 0
	syn[n] = true
	for _, c := range n.Content {
		zeroLines(c, syn)
	}
}

// kindNetworking writes the kind Cluster's networking.podSubnet and serviceSubnet, as kind
// does, into the generated ClusterConfiguration, at the user's lines.
func kindNetworking(root, cc *yaml.Node, syn map[*yaml.Node]bool) {
	net := get(cc, "networking")
	if net == nil {
		return
	}
	for _, f := range []string{"podSubnet", "serviceSubnet"} {
		if v := get(root, "networking", f); v != nil && v.Kind == yaml.ScalarNode {
			setField(net, f, nil, v)
		}
	}
}

// mergeKindPatch merges patch into target as kind's merge does for kubeadm documents.
func mergeKindPatch(target, patch *yaml.Node, v1beta4, noAPIVersion bool) {
	for i := 0; i+1 < len(patch.Content); i += 2 {
		k, pv := patch.Content[i], deref(patch.Content[i+1])
		key := keyString(k)
		if pv == nil || key == "apiVersion" || key == "kind" || key == "metadata" {
			continue
		}
		_, tv := mappingGet(target, key)
		tv = deref(tv)
		switch {
		case (key == "extraArgs" || key == "kubeletExtraArgs") && v1beta4:
			if pv.Kind == yaml.MappingNode && noAPIVersion {
				argsToList(pv)
			}
			if pv.Kind != yaml.SequenceNode || tv == nil || tv.Kind != yaml.SequenceNode {
				setField(target, key, k, pv)
				continue
			}
			for _, item := range pv.Content {
				name := str(get(item, "name"))
				replaced := false
				for j, t := range tv.Content {
					if str(get(t, "name")) == name {
						tv.Content[j], replaced = item, true
					}
				}
				if !replaced {
					tv.Content = append(tv.Content, item)
				}
			}
		case key == "certSANs" && pv.Kind == yaml.SequenceNode && tv != nil && tv.Kind == yaml.SequenceNode:
			tv.Content = append(tv.Content, pv.Content...)
		case pv.Kind == yaml.MappingNode && tv != nil && tv.Kind == yaml.MappingNode:
			mergeKindPatch(tv, pv, v1beta4, noAPIVersion)
		case pv.Kind == yaml.MappingNode:
			m := newMapping(pv)
			mergeKindPatch(m, pv, v1beta4, noAPIVersion)
			setField(target, key, k, m)
		case pv.Kind == yaml.ScalarNode && pv.Tag == "!!null":
			removeField(target, key) // a merge patch's null deletes
		default:
			setField(target, key, k, pv)
		}
	}
}
