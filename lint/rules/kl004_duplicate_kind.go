package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL004 = &lint.Rule{
	ID:       "KL004",
	Name:     "duplicate-kind",
	Summary:  "a kind appears twice in one file",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemDuplicateKind),
	Doc: doc(`
kubeadm reads one document of each kind from a file and rejects a file that holds a kind twice.
Two ClusterConfigurations usually mean two files were concatenated: merge them into one document.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.0
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.0
networking:
  podSubnet: 10.244.0.0/16`, `kubeadm's SplitConfigDocuments.`),
}
