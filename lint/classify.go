package lint

// Classification: which API and kind a document declares, which of them the linter reads, and
// whether the target kubeadm release reads that API version.

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// classify reads a document's apiVersion and kind. foreign is set for documents of other APIs.
func classify(root *yaml.Node, index int) (d *Document, foreign bool) {
	d = &Document{Index: index, Source: root, Root: root}
	if root.Kind != yaml.MappingNode {
		d.addProblem(ProblemType, "", "document is not a mapping of configuration fields")
		return d, false
	}
	var av, k *yaml.Node
	_, av = mappingGet(root, "apiVersion")
	d.kindKey, k = mappingGet(root, "kind")
	if av != nil {
		d.APIVersion = deref(av).Value
	}
	if k != nil {
		d.Kind = deref(k).Value
	}
	group, ver := splitAPIVersion(d.APIVersion)
	switch {
	case d.APIVersion == "" || d.Kind == "":
		d.addProblem(ProblemType, "", fmt.Sprintf("invalid configuration for GroupVersionKind %q, kind %q: kind and apiVersion is mandatory information that must be specified", d.APIVersion, d.Kind))
		if commentsOnly(root) {
			// parseDocuments' stand-in for a part of only comments and blank lines.
			d.Problems[len(d.Problems)-1].Hint = "kubeadm reads the text before the first '---' line, or between two, as a document: remove that '---' line or the lone comments next to it"
		}
	case group == kubeadmGroup:
		d.Version = ver
	case componentOf(group, d.Kind) != "":
		// Which versions the component reads, its scheme says when the document is decoded.
		d.Component = componentOf(group, d.Kind)
	case group == kubeletGroup || group == kubeProxyGroup:
		if !(d.APIVersion == kubeletVersion && d.Kind == KindKubelet || d.APIVersion == kubeProxyVersion && d.Kind == KindKubeProxy) {
			d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
		}
	default:
		return d, true
	}
	return d, false
}

func unknownAPI(d *Document) string {
	return fmt.Sprintf("unknown configuration API %s, Kind=%s", d.APIVersion, d.Kind)
}

// oldKubeadmAPIs maps removed kubeadm API versions to the last kubeadm release that reads them.
var oldKubeadmAPIs = map[string]string{
	"v1alpha1": "v1.11", "v1alpha2": "v1.12", "v1alpha3": "v1.14", "v1beta1": "v1.15", "v1beta2": "v1.22",
}

// checkAPIVersion judges a kubeadm document's API version against the target release.
func (d *Document) checkAPIVersion(opts *Options) {
	if d.Version == "" || hasTypeProblem(d) {
		return
	}
	oldSpec := func(release string) string {
		return fmt.Sprintf("your configuration file uses an old API spec: %q (kind: %q). Please use kubeadm %s instead and run 'kubeadm config migrate --old-config old-config-file --new-config new-config-file', which will write the new, similar spec using a newer API version.", d.APIVersion, d.Kind, release)
	}
	kinds := kubeadmKinds
	switch d.Version {
	case "v1beta4", "v1":
	case "v1beta3":
		kinds = []string{KindInit, KindCluster, KindJoin}
	default:
		if release, ok := oldKubeadmAPIs[d.Version]; ok {
			d.addProblem(ProblemAPIVersion, "apiVersion", oldSpec(release))
			d.removed = true
			return
		}
		d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
		return
	}
	if !slices.Contains(kinds, d.Kind) {
		d.addProblem(ProblemType, "kind", unknownAPI(d))
		return
	}
	switch {
	case d.Version == "v1" && opts.TargetMinor() < 37:
		// kubeadm.k8s.io/v1 first shipped, as experimental, in kubeadm v1.37.
		d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
	case d.Version == "v1beta3" && opts.TargetMinor() >= 37:
		d.addProblem(ProblemAPIVersion, "apiVersion", oldSpec("v1.36"))
	case d.Version == "v1beta3" && opts.TargetMinor() >= 35:
		d.Problems = append(d.Problems, Problem{Code: ProblemAPIVersion, Path: "apiVersion", Severity: SeverityWarning,
			Message: "kubeadm.k8s.io/v1beta3 is deprecated",
			Hint:    "migrate to v1beta4 with 'kubeadm-lint fix --migrate' or 'kubeadm config migrate', as kubeadm v1.37 rejects v1beta3"})
	case d.Version == "v1":
		d.Problems = append(d.Problems, Problem{Code: ProblemExperimental, Path: "apiVersion", Severity: SeverityWarning,
			Message: "kubeadm.k8s.io/v1 is experimental",
			Hint:    fmt.Sprintf("pass --allow-experimental-api to kubeadm v1.%d, or use kubeadm.k8s.io/v1beta4", opts.TargetMinor())})
	}
}

// hasConfig reports whether any document is a configuration kind, known or not.
func hasConfig(f *File) bool {
	for _, d := range f.Docs {
		if d.APIVersion != "" || d.Kind != "" {
			return true
		}
	}
	return false
}

// commentsOnly reports whether a document is parseDocuments' stand-in for a part of only comments
// and blank lines, which kubeadm reads as a document and a component's YAML decoder skips.
func commentsOnly(root *yaml.Node) bool {
	return root.Kind == yaml.MappingNode && len(root.Content) == 0 && root.Style&yaml.FlowStyle == 0
}

// hasComponentFile reports whether any document is a control-plane configuration file.
func hasComponentFile(f *File) bool {
	return slices.ContainsFunc(f.Docs, func(d *Document) bool { return d.Component != "" })
}

// hasKubeadmConfig reports whether any document is of kubeadm's, the kubelet's or kube-proxy's
// configuration APIs, the documents kubeadm reads from its --config file.
func hasKubeadmConfig(f *File) bool {
	for _, d := range f.Docs {
		if d.Component == "" && d.APIVersion != "" && d.Kind != "" {
			return true
		}
	}
	return false
}

// splitAPIVersion splits "group/version"; a bare "v1" has no group.
func splitAPIVersion(apiVersion string) (group, version string) {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i], apiVersion[i+1:]
	}
	return "", apiVersion
}
