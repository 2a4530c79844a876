package audit_test

import (
	"path/filepath"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/audit/audittest"
	"github.com/kubeadm-lint/kubeadm-lint/catalog"
)

const testdata = "../testdata/cluster"

// TestRules audits the objects of every cluster rule's testdata folder, as lint/rules' TestRules
// lints the files of every file rule's, and holds its findings to the house style of messages.
func TestRules(t *testing.T) {
	for _, r := range catalog.All() {
		if r.Pass() != audit.Pass {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			for _, f := range audittest.Run(t, filepath.Join(testdata, r.ID), r, catalog.All()...) {
				checkMessage(t, f)
			}
		})
	}
}
