package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL003 = &lint.Rule{
	ID:       "KL003",
	Name:     "experimental-api",
	Summary:  "kubeadm.k8s.io/v1 is experimental and needs --allow-experimental-api",
	Severity: lint.SeverityWarning,
	Run:      reportProblems(lint.ProblemExperimental),
	Doc: doc(`
kubeadm.k8s.io/v1 is still being designed (kubernetes/kubeadm#3160). kubeadm reads it only
when --allow-experimental-api is passed, and its fields may change before it is final. The bad
example is fine where --allow-experimental-api is passed on purpose.`, `
apiVersion: kubeadm.k8s.io/v1
kind: ClusterConfiguration`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration`, `kubeadm's validateSupportedVersion.`),
}
