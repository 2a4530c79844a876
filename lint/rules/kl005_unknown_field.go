package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL005 = &lint.Rule{
	ID:       "KL005",
	Name:     "unknown-field",
	Summary:  "a field the API version does not have",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemUnknownField),
	Doc: doc(`
kubeadm decodes configuration strictly: a field its types do not have is an error. Field names
are case-sensitive. The usual causes are a typo, a field of another kind (etcd inside a
JoinConfiguration), a field from another API version (timeouts in v1beta3, timeoutForControlPlane
in v1beta4) and wrong indentation that moves a field under the wrong parent.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localapiEndpoint:
  advertiseAddress: 192.168.0.10`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.168.0.10`, `kubeadm's strict.VerifyUnmarshalStrict; kubernetes/kubeadm#1159, kubernetes/kubernetes#127913.`),
}
