package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL010 = &lint.Rule{
	ID:       "KL010",
	Name:     "component-config",
	Summary:  "the kubelet or kube-proxy would refuse its configuration",
	Severity: lint.SeverityError,
	Run:      reportProblems(lint.ProblemComponentConfig),
	Doc: doc(`
kubeadm decodes KubeletConfiguration and KubeProxyConfiguration strictly but does not validate
their values; it copies them to the node. The kubelet and kube-proxy validate them when they start,
and a bad value then stops the node from joining or breaks Service traffic after 'kubeadm init'
has already succeeded. The linter runs the kubelet's and kube-proxy's own validation, on the
configuration defaulted as they default it.

This is the one place where the linter rejects a file that 'kubeadm config validate' accepts.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
eventBurst: -1`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
eventBurst: 100`, `k8s.io/kubernetes/pkg/kubelet/apis/config/validation and pkg/proxy/apis/config/validation.`),
}
