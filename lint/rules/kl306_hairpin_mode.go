package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

const hairpinHint = "use promiscuous-bridge or hairpin-veth, or a Pod that reaches itself through its Service loses the packets"

var KL306 = &lint.Rule{
	ID:       "KL306",
	Name:     "hairpin-mode",
	Summary:  "hairpinMode none stops Pods from reaching themselves through their Service",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		if kc := p.File.Kubelet(); kc != nil && kc.HairpinMode == "none" {
			p.Report(p.File.Doc(lint.KindKubelet), lint.Finding{Path: "hairpinMode", Message: "hairpinMode is none", Hint: hairpinHint})
		}
		for _, nr := range nodeRegistrations(p.File) {
			if v, i, ok := nr.KubeletArgs.Get("hairpin-mode"); ok && v == "none" {
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i), Message: "hairpin-mode=none", Hint: hairpinHint})
			}
		}
	},
	Doc: doc(`
When a Pod connects to a Service whose only or chosen endpoint is the Pod itself, the packet must
leave and re-enter the same bridge port. That needs hairpin mode on the veth; with
hairpinMode: none the kernel drops the packet, so the Pod cannot reach itself through its Service
IP.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
hairpinMode: none`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
hairpinMode: promiscuous-bridge`, `the kubeadm troubleshooting guide ("Pods are not accessible via their Service IP"); kubernetes/kubernetes#20475.`),
}
