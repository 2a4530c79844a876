package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

var KL501 = &lint.Rule{
	ID:       "KL501",
	Name:     "kube-proxy-before-ccm",
	Summary:  "with an external cloud provider, kube-proxy runs on nodes before the cloud-controller-manager initialised them",
	Severity: lint.SeverityInfo,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			v, i, ok := nr.KubeletArgs.Get("cloud-provider")
			if !ok || v != "external" {
				continue
			}
			with := "the kubeadm-lint webhook or 'kubeadm-lint emit'"
			if p.Options.TargetMinor() >= kubeadm.KubeProxyPatchMinor {
				with = "the kubeadm-lint webhook, 'kubeadm-lint emit' or a kubeproxydaemonset patch"
			}
			p.Report(nr.Doc, lint.Finding{
				Path:    nr.KubeletArgs.At(i),
				Message: "with cloud-provider=external, kube-proxy tolerates the node.cloudprovider.kubernetes.io/uninitialized taint",
				Hint:    "narrow kube-proxy's tolerations with " + with + ", unless the cloud-controller-manager reaches the API server through the Service IP",
			})
		}
	},
	Doc: doc(`
With cloud-provider: external, the kubelet registers the node with the taint
node.cloudprovider.kubernetes.io/uninitialized until the cloud-controller-manager has filled in
its addresses. kubeadm's kube-proxy DaemonSet tolerates every taint, so kube-proxy starts on the
uninitialised node, finds no node IP and misprograms the node (kubernetes/kubeadm#1027). The
guide narrows kube-proxy's tolerations to CriticalAddonsOnly and the control-plane taint.
kubeadm rewrites the DaemonSet on every upgrade, so the change must be reapplied: the kubeadm-lint
webhook does that, and so does a kubeproxydaemonset patch from v1.37 on (the target is not in
kubeadm v1.36's patches.go). If the
cloud-controller-manager itself reaches the API server through the kubernetes Service IP, it needs
kube-proxy first: keep the uninitialized toleration then.`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: cloud-provider
    value: external
# and kube-proxy left as kubeadm deploys it`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: cloud-provider
    value: external
# plus the kubeadm-lint webhook, or: kubeadm init --patches ./patches
# with patches/kubeproxydaemonset+strategic.yaml narrowing the tolerations`, `the kubeadm troubleshooting guide ("kube-proxy scheduled before node is initialized by cloud-controller-manager"); kubernetes/kubeadm#1027, kubernetes/kubernetes#138090.`),
}
