package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL007 = &lint.Rule{
	ID:       "KL007",
	Name:     "field-type",
	Summary:  "a value of the wrong type, such as a string where kubeadm wants a number",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemFieldType),
	Doc: doc(`
kubeadm decodes YAML into typed fields and stops at the first value of the wrong type. The
linter reports every one. Frequent causes: an unrendered template variable in a port
('bindPort: ${PORT}'), a list where a single value is expected, an extraArgs value that YAML reads
as a number or a boolean, and a duration without a unit ('timeout: 5' instead of '5m0s').`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  bindPort: "${PORT_KUBE_APISERVER}"`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  bindPort: 6443`, `kubeadm's strict decoding (sigs.k8s.io/json).`),
}
