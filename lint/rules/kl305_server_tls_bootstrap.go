package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL305 = &lint.Rule{
	ID:       "KL305",
	Name:     "server-tls-bootstrap",
	Summary:  "how the kubelet's serving certificate is issued, and what metrics-server then needs",
	Severity: lint.SeverityInfo,
	Kinds:    []string{lint.KindKubelet},
	Run: func(p *lint.Pass) {
		kc := p.File.Kubelet()
		if kc == nil {
			return
		}
		if kc.ServerTLSBootstrap {
			p.Report(p.Doc, lint.Finding{Path: "serverTLSBootstrap",
				Message: "serverTLSBootstrap is true",
				Hint:    "deploy an approver for the kubelet-serving CSRs, which the controller-manager never approves, or 'kubectl logs' and metrics-server fail"})
			return
		}
		at := "serverTLSBootstrap"
		if !p.Doc.Has(at) {
			at = "kind"
		}
		p.Report(p.Doc, lint.Finding{Path: at,
			Message: "serverTLSBootstrap is off",
			Hint:    "set serverTLSBootstrap: true and deploy a CSR approver, or the kubelet's serving certificate is self-signed and metrics-server needs --kubelet-insecure-tls"})
	},
	Doc: doc(`
By default the kubelet serves its API with a self-signed certificate that no cluster CA signed,
so metrics-server only works with --kubelet-insecure-tls. The guide's fix is
serverTLSBootstrap: true, which makes the kubelet request a serving certificate from the cluster
CA; those CSRs must then be approved, by hand or by an approver such as
kubelet-csr-approver, because kube-controller-manager does not approve them.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serverTLSBootstrap: true   # and run a CSR approver`, `the kubeadm troubleshooting guide ("Enabling signed kubelet serving certificates" / metrics-server); kubernetes/kubernetes#73356, kubernetes/kubeadm#1635.`),
}
