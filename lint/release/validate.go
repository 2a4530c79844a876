package release

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	cliflag "k8s.io/component-base/cli/flag"
	kubeletapis "k8s.io/kubelet/pkg/apis"
)

// validators check what a component refuses after its flags parse and before it does anything
// else, by component and flag. Each mirrors the component's own check.
var validators = func() map[string]func(*Flag, string) error {
	m := map[string]func(*Flag, string) error{Kubelet + "/node-labels": validateNodeLabels}
	for _, c := range []string{APIServer, ControllerManager, Scheduler} {
		m[c+"/emulated-version"], m[c+"/min-compatibility-version"] = validateVersions, validateVersions
	}
	return m
}()

// validateNodeLabels is the kubelet's ValidateKubeletFlags (cmd/kubelet/app/options): labels
// in the kubernetes.io and k8s.io namespaces are the kubelet's to set, except for a few, and
// every label must be a valid one.
func validateNodeLabels(_ *Flag, value string) error {
	labels := cliflag.ConfigurationMap{}
	if err := labels.Set(value); err != nil {
		return err
	}
	var unknown, invalid []string
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if isKubernetesLabel(k) && !kubeletapis.IsKubeletLabel(k) {
			unknown = append(unknown, k)
		}
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			invalid = append(invalid, fmt.Sprintf("'%s' - %s", k, strings.Join(errs, ", ")))
		}
		if errs := validation.IsValidLabelValue(labels[k]); len(errs) > 0 {
			invalid = append(invalid, fmt.Sprintf("'%s' - %s", labels[k], strings.Join(errs, ", ")))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: %v: the kubelet may set only labels with the prefixes %s, or %s", unknown,
			strings.Join(kubeletapis.KubeletLabelNamespaces(), ", "), strings.Join(kubeletapis.KubeletLabels(), ", "))
	}
	if len(invalid) > 0 {
		return fmt.Errorf("invalid node labels: %s", strings.Join(invalid, "; "))
	}
	return nil
}

func isKubernetesLabel(key string) bool {
	ns, _, ok := strings.Cut(key, "/")
	if !ok {
		return false
	}
	return ns == "kubernetes.io" || strings.HasSuffix(ns, ".kubernetes.io") || ns == "k8s.io" || strings.HasSuffix(ns, ".k8s.io")
}

// validateVersions is the compatibility registry's Set, which each control-plane component runs
// right after its flags parse, on --emulated-version and --min-compatibility-version: entries
// CompatibilityVersions parses, for components the registry has (those of the release's fact
// "versions/FLAG"). Which versions each takes is Validate's, judged by KL218.
func validateVersions(f *Flag, value string) error {
	ranges := f.owner.VersionRanges(f.Name)
	if ranges == nil {
		return nil // a table without the fact
	}
	versions, err := CompatibilityVersions(value)
	if err != nil {
		return err
	}
	for _, comp := range slices.Sorted(maps.Keys(versions)) {
		if _, ok := ranges[comp]; !ok {
			return fmt.Errorf("component not registered: %s", comp)
		}
	}
	return nil
}
