package rules_test

import (
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestCoreRuleIDs checks that the rule IDs the core reports by itself are rules of the registry,
// which give them docs and let them be configured.
func TestCoreRuleIDs(t *testing.T) {
	registered := map[string]bool{}
	for _, r := range catalog.All() {
		registered[r.ID] = true
	}
	for _, id := range []string{lint.RuleConfigType, lint.RuleIgnoreWithoutReason, lint.RuleInvalidIgnore, lint.RuleUnusedIgnore} {
		if !registered[id] {
			t.Errorf("the core reports %s, which is not in catalog.All()", id)
		}
	}
}
