package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL008 = &lint.Rule{
	ID:       "KL008",
	Name:     "kubeadm-validation",
	Summary:  "kubeadm's own validation rejects a value",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemValidation),
	Doc: doc(`
After decoding, kubeadm validates the configuration: addresses and subnets must parse, paths
must be absolute, certSANs must be IP addresses or DNS names, discovery needs a token or a file,
and so on. kubeadm stops at the first failing step; the linter runs kubeadm's validation code on
every document and reports all of its errors, with kubeadm's own messages.

Values kubeadm would fill in from the machine (the node name, the advertise address, the CRI
socket) are replaced by placeholders, so the result does not depend on where the linter runs.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/33
apiServer:
  certSANs:
  - https://k8s.example.com`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
apiServer:
  certSANs:
  - k8s.example.com`, `k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/validation.`),
}
