package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL011 = &lint.Rule{
	ID:       lint.RuleIgnoreWithoutReason,
	Name:     "ignore-without-reason",
	Summary:  "a kubeadm-lint:ignore comment does not say why",
	Severity: lint.SeverityWarning,
	Run:      reportIgnores,
	Doc: doc(`
A suppression comment silences a rule for a line or a file. The next person to read the file needs
to know whether the finding was judged and accepted, or just hidden. Write the reason after the
rule IDs; the comment still suppresses without one, and this warning says it is missing.

The syntax is '# kubeadm-lint:ignore KL123[,KL456] reason' at the end of a line or on the line
above it, and '# kubeadm-lint:ignore-file KL123 reason' anywhere in a file. Text after a further
' # ' is another comment, such as another tool's directive, and is not part of the reason. Shell
scripts take the same comments. Comments cannot suppress KL011, KL012 and KL013: turn them off in
.kubeadm-lint.yaml instead.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration # kubeadm-lint:ignore KL203`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration # kubeadm-lint:ignore KL203 single-node lab cluster, never grows`, `golangci-lint's nolintlint (require-explanation), hadolint's inline ignores.`),
}
