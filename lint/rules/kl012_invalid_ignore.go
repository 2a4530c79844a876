package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL012 = &lint.Rule{
	ID:       lint.RuleInvalidIgnore,
	Name:     "invalid-ignore",
	Summary:  "a kubeadm-lint comment names an unknown rule, names no rule, or covers no line",
	Severity: lint.SeverityWarning,
	Run:      reportIgnores,
	Doc: doc(`
A suppression comment that the linter cannot apply leaves the finding it was meant for in place,
and the mistake is easy to miss: a misspelt rule ID, a rule name where an ID belongs, a directive
other than kubeadm-lint:ignore and kubeadm-lint:ignore-file, or an ignore on a line of its own
followed by a blank line, which covers nothing. An ignore that names KL011, KL012 or KL013 is
reported too, as comments cannot suppress them.

A comment-only ignore covers the next line that is not a comment, so several ignores can be
stacked above one line. When the covered line starts a YAML key, a list item or a shell command,
the ignore covers all of it.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
# kubeadm-lint:ignore control-plane-endpoint single-node lab

networking:
  podSubnet: 10.244.0.0/16`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration # kubeadm-lint:ignore KL203 single-node lab
networking:
  podSubnet: 10.244.0.0/16`, `golangci-lint's nolintlint, which reports unknown linters in nolint directives.`),
}
