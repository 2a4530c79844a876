package rules

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	kubeletapis "k8s.io/kubelet/pkg/apis"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL226 = &lint.Rule{
	ID:       "KL226",
	Name:     "kubelet-node-label-refused",
	Summary:  "a kubeletExtraArgs node-labels entry the kubelet refuses, so it exits at start and the node never joins",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			for i, a := range nr.KubeletArgs.Args {
				if a.Name != "node-labels" {
					continue
				}
				for _, pair := range listed(a.Value) {
					key, value, ok := strings.Cut(pair, "=")
					if !ok {
						continue // not a pair: the flag does not parse, which is KL210's
					}
					if msg, hint := nodeLabel(strings.TrimSpace(key), strings.TrimSpace(value)); msg != "" {
						p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i) + ".value", Message: msg, Hint: hint})
					}
				}
			}
		}
	},
	Doc: doc(`
The kubelet checks --node-labels before it does anything else (ValidateKubeletFlags): a label in
the kubernetes.io or k8s.io namespaces must be one a kubelet may set on its own Node, since the
NodeRestriction admission plugin would refuse it, and every key and value must be a valid label.
Otherwise the kubelet exits at start, and kubeadm init or join waits for it until it times out.
node-role.kubernetes.io/worker, the label guides give workers, is the usual case: set it with
kubectl once the node has joined. The labels the kubelet may set are read from k8s.io/kubelet's
IsKubeletLabel, the function the kubelet calls.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
  - name: node-labels
    value: node-role.kubernetes.io/worker=`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
  - name: node-labels
    value: node.kubernetes.io/pool=workers,example.com/tier=batch`, `k8s.io/kubernetes cmd/kubelet/app/options/options.go (ValidateKubeletFlags, isKubernetesLabel); k8s.io/kubelet/pkg/apis/well_known_labels.go (IsKubeletLabel); plugin/pkg/admission/noderestriction.`),
}

// nodeLabel is ValidateKubeletFlags on one label: a message and a hint when the kubelet refuses it.
func nodeLabel(key, value string) (msg, hint string) {
	// The validation's own texts run to 300 characters with their regular expressions.
	if len(validation.IsQualifiedName(key)) > 0 {
		return fmt.Sprintf("node label key %q is invalid", key), "write the key as an optional DNS-subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' and '.' that starts and ends with a letter or digit"
	}
	if len(validation.IsValidLabelValue(value)) > 0 {
		return fmt.Sprintf("node label %s has an invalid value %q", key, value), "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or nothing"
	}
	namespace, _, _ := strings.Cut(key, "/")
	if !strings.Contains(key, "/") {
		namespace = ""
	}
	kubernetes := slices.ContainsFunc([]string{"kubernetes.io", "k8s.io"}, func(ns string) bool {
		return namespace == ns || strings.HasSuffix(namespace, "."+ns)
	})
	if kubernetes && !kubeletapis.IsKubeletLabel(key) {
		return fmt.Sprintf("node label %s is in a namespace of Kubernetes' that a kubelet may not set", key),
			fmt.Sprintf("label the node with kubectl once it has joined, or use a prefix the kubelet may set (%s)", strings.Join(kubeletapis.KubeletLabelNamespaces(), ", "))
	}
	return "", ""
}
