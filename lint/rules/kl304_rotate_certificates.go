package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL304 = &lint.Rule{
	ID:       "KL304",
	Name:     "rotate-certificates",
	Summary:  "kubelet client certificate rotation is off, so the node drops out after a year",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		if kc := p.File.Kubelet(); kc != nil && !kc.RotateCertificates && p.File.Doc(lint.KindKubelet).Has("rotateCertificates") {
			p.Report(p.File.Doc(lint.KindKubelet), lint.Finding{Path: "rotateCertificates",
				Message: "rotateCertificates is false",
				Hint:    "set it to true, or the kubelet's client certificate expires after one year and the node goes NotReady with x509 errors"})
		}
		for _, nr := range nodeRegistrations(p.File) {
			if v, i, ok := nr.KubeletArgs.Get("rotate-certificates"); ok && v == "false" {
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
					Message: "rotate-certificates=false",
					Hint:    "remove the flag, or the kubelet's client certificate expires after one year and the node goes NotReady with x509 errors"})
			}
		}
	},
	Doc: doc(`
kubeadm turns on kubelet client certificate rotation, and the kubelet renews its certificate
before it expires. With rotation off, the certificate kubeadm issued at join time expires after a
year, the kubelet can no longer talk to the API server and the node goes NotReady.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: false`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
rotateCertificates: true`, `the kubeadm troubleshooting guide ("Kubelet client cert rotation fails"); kubernetes/kubeadm#1317.`),
}
