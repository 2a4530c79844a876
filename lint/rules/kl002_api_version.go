package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL002 = &lint.Rule{
	ID:       "KL002",
	Name:     "api-version",
	Summary:  "the kubeadm API version is removed or deprecated in the target release",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemAPIVersion),
	Doc: doc(`
Every kubeadm release reads a fixed set of API versions. v1beta2 and older are gone; the
message names the last release that can still migrate them. kubeadm v1.37 rejects v1beta3, which
v1.35 and v1.36 still read with a deprecation warning, so with --kubernetes-version v1.35 or v1.36
a v1beta3 document gets a warning instead of an error.

v1beta3 documents are still linted in full: they are migrated to v1beta4 in memory, and every
finding points at the line in the v1beta3 file. 'kubeadm-lint fix --migrate' writes the migration.`, `
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    audit-log-maxage: "30"`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: audit-log-maxage
    value: "30"`, `kubeadm's validateSupportedVersion; the v1beta4 package documentation.`),
}
