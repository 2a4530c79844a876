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
var validators = map[string]func(string) error{
	Kubelet + "/node-labels": validateNodeLabels,
}

// validateNodeLabels is the kubelet's ValidateKubeletFlags (cmd/kubelet/app/options): labels
// in the kubernetes.io and k8s.io namespaces are the kubelet's to set, except for a few, and
// every label must be a valid one.
func validateNodeLabels(value string) error {
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
