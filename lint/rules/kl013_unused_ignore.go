package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL013 = &lint.Rule{
	ID:       lint.RuleUnusedIgnore,
	Name:     "unused-ignore",
	Summary:  "a kubeadm-lint:ignore comment suppresses nothing",
	Severity: lint.SeverityWarning,
	Run:      reportIgnores,
	Doc: doc(`
A suppression comment outlives the finding it was written for: the value gets fixed, the rule
changes, or the line moves. A stale ignore then waits to hide the next real finding of that rule on
its line. This rule reports an ignore, per rule ID, that suppressed no finding. It runs only when
asked, with --report-unused-ignores or 'reportUnusedIgnores: true' in .kubeadm-lint.yaml, because
whether an ignore is used depends on the target release and options of the run. An ignore of a
rule that is turned off is never reported as unused.`, `
# kubeadm-lint --report-unused-ignores
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controlPlaneEndpoint: k8s-api.example.com:6443 # kubeadm-lint:ignore KL203 no load balancer yet`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controlPlaneEndpoint: k8s-api.example.com:6443`, `golangci-lint's nolintlint (allow-unused: false), ruff's RUF100 and mypy's warn_unused_ignores.`),
}
