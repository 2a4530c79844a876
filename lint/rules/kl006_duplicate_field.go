package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL006 = &lint.Rule{
	ID:       "KL006",
	Name:     "duplicate-field",
	Summary:  "a key appears twice in one mapping",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemDuplicateField),
	Doc: doc(`
A YAML mapping with the same key twice is rejected by kubeadm's strict decoding. Tools that are
not strict keep the later value and drop the earlier one without a word, which is how a second
'networking:' block silently erases the first.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
networking:
  serviceSubnet: 10.96.0.0/12`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12`, `kubeadm's strict decoding (sigs.k8s.io/yaml YAMLToJSONStrict).`),
}
