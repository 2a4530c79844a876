package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL009 = &lint.Rule{
	ID:       "KL009",
	Name:     "kubernetes-version",
	Summary:  "kubernetesVersion is not a version, or is older than the target kubeadm can deploy",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemVersion),
	Doc: doc(`
kubeadm v1.N deploys control planes of v1.(N-1) and v1.N only. An older kubernetesVersion is
rejected before anything else is validated, which is why many configs copied from old tutorials
fail at once with a new kubeadm. The target release is --kubernetes-version (default v1.37).
Labels such as "stable" are resolved by kubeadm over the network; the linter never does, and takes
them as the target release. The examples are for kubeadm v1.37.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.31.1`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2`, `kubeadm's NormalizeKubernetesVersion and MinimumControlPlaneVersion.`),
}
