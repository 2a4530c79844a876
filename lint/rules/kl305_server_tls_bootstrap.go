package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL305 = &lint.Rule{
	ID:       "KL305",
	Name:     "server-tls-bootstrap",
	Summary:  "the kubelet serves a self-signed certificate, which metrics-server accepts only with --kubelet-insecure-tls",
	Severity: lint.SeverityInfo,
	Kinds:    []string{lint.KindKubelet},
	Run: func(p *lint.Pass) {
		kc := p.File.Kubelet()
		// true is the remedy, and a certificate of the operator's own is signed as they chose;
		// a KubeletConfiguration beside a lone JoinConfiguration is never read (KL901).
		if kc == nil || kc.ServerTLSBootstrap || kc.TLSCertFile != "" || ignoredOnJoin(p.File) {
			return
		}
		if p.Doc.Has("serverTLSBootstrap") {
			return // an explicit false is a choice already made, with the facts this rule would give
		}
		p.Report(p.Doc, lint.Finding{Path: "kind",
			Message: "serverTLSBootstrap is off",
			Hint:    "set serverTLSBootstrap: true and deploy a CSR approver, or the kubelet's serving certificate is self-signed and metrics-server needs --kubelet-insecure-tls"})
	},
	Doc: doc(`
By default the kubelet serves its API with a self-signed certificate that no cluster CA signed,
so metrics-server only works with --kubelet-insecure-tls. The guide's fix is
serverTLSBootstrap: true, which makes the kubelet request a serving certificate from the cluster
CA; those CSRs must then be approved, by hand or by an approver such as
kubelet-csr-approver, because kube-controller-manager does not approve them. The rule reports only a KubeletConfiguration that leaves
serverTLSBootstrap unset: it says nothing once the field is set either way or tlsCertFile names a
certificate, and nothing about a KubeletConfiguration that 'kubeadm join' ignores (KL901).`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serverTLSBootstrap: true   # and run a CSR approver`, `the kubeadm troubleshooting guide ("Enabling signed kubelet serving certificates" / metrics-server); kubernetes/kubernetes#73356, kubernetes/kubeadm#1635.`),
}
