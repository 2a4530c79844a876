package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL902 = &lint.Rule{
	ID:       "KL902",
	Name:     "kubelet-ca-self-signed",
	Summary:  "the API server verifies kubelet certificates that the kubelets sign themselves",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c == nil {
			return
		}
		var ca args
		for _, a := range controlPlaneArgs(c) {
			if a.Component == "kube-apiserver" {
				ca = a
			}
		}
		_, i, ok := ca.Get("kubelet-certificate-authority")
		if !ok {
			return
		}
		kc := p.File.Kubelet()
		if kc != nil && (kc.ServerTLSBootstrap || kc.TLSCertFile != "") {
			return // a CA-signed serving certificate, or one the operator provides
		}
		if kc == nil && p.File.Doc(lint.KindInit) == nil {
			// A ClusterConfiguration alone, such as the kubeadm-config ConfigMap that the webhook
			// and the cluster audit lint: the kubelets' configuration is elsewhere.
			return
		}
		where := "no KubeletConfiguration sets serverTLSBootstrap"
		if kc != nil {
			where = "the KubeletConfiguration leaves serverTLSBootstrap off"
		}
		p.Report(cdoc, lint.Finding{Path: ca.At(i),
			Message: "kubelet-certificate-authority is set and " + where,
			Hint:    "set serverTLSBootstrap: true in the KubeletConfiguration and approve the kubelet-serving CSRs, or 'kubectl logs' and 'exec' fail with x509 errors"})
	},
	Doc: doc(`
kubelet-certificate-authority (CIS 1.2.5) makes the API server verify each kubelet's serving
certificate against that CA. kubeadm's kubelets serve a self-signed certificate unless
serverTLSBootstrap: true makes them request one from the cluster CA, so with the flag alone every
'kubectl logs', 'exec', 'port-forward' and metrics scrape fails with "x509: certificate signed by
unknown authority". The kubelet-serving CSRs must then be approved, as kube-controller-manager
does not approve them.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: kubelet-certificate-authority
    value: /etc/kubernetes/pki/ca.crt`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: kubelet-certificate-authority
    value: /etc/kubernetes/pki/ca.crt
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serverTLSBootstrap: true   # and an approver for the kubelet-serving CSRs`, `kubernetes/kubernetes#63164, kubernetes/kubernetes#73356; CIS Kubernetes Benchmark v1.12 control 1.2.5.`),
}
