package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL001 = &lint.Rule{
	ID:       "KL001",
	Name:     "config-type",
	Summary:  "a document has no apiVersion and kind, or names a configuration API kubeadm does not know",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemType),
	Doc: doc(`
kubeadm picks the type of each YAML document from its apiVersion and kind. A document without
them, or with a kind its API group does not have, makes 'kubeadm config validate' and 'kubeadm init'
fail before anything else is checked. The usual causes are a typo in the group
(kubeadm.k8s.io instead of kubeproxy.config.k8s.io), a version that never existed
(kubelet.config.k8s.io/v1) or a fragment pasted without its header.

A document of another API, such as a Deployment, inside a file that holds kubeadm configuration is
reported too: 'kubeadm config validate' rejects the whole file, while 'kubeadm init' ignores the
document. Files that hold no configuration at all are skipped when a directory is linted.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: KubeProxyConfiguration
mode: ipvs`, `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs`, `kubeadm's SplitConfigDocuments and validateKnownGVKs; kubernetes/kubeadm#1171.`),
}
