// Package rules holds the kubeadm-lint rules, one per file, and their registry.
package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

// All returns every rule, sorted by ID. Adding a rule means adding it here.
func All() []*lint.Rule {
	return []*lint.Rule{
		KL001, KL002, KL003, KL004, KL005, KL006, KL007, KL008, KL009, KL010,
	}
}
