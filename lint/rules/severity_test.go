package rules_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/linttest"
)

// TestSeveritiesListed holds each rule's Also to the severities its cases report beside its
// default, so that 'kubeadm-lint rules' shows every severity a rule reports, and only those.
func TestSeveritiesListed(t *testing.T) {
	for _, r := range catalog.All() {
		if r.Pass() != lint.FilePass {
			continue // the cluster rules have no cases here; their Also is empty
		}
		t.Run(r.ID, func(t *testing.T) {
			seen := map[string]bool{}
			for _, f := range linttest.Run(t, filepath.Join(testdata, r.ID), r, catalog.All()...) {
				if f.Severity != r.Severity {
					seen[f.Severity.String()] = true
				}
			}
			var also []string
			for _, s := range r.Also {
				also = append(also, s.String())
			}
			var got []string
			for s := range seen {
				got = append(got, s)
			}
			slices.Sort(also)
			slices.Sort(got)
			if !slices.Equal(also, got) {
				t.Errorf("%s (%s) lists Also %v; its cases report %v besides", r.ID, r.Severity, also, got)
			}
		})
	}
}
