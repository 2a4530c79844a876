package rules

import (
	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL502 = &lint.Rule{
	ID:       "KL502",
	Name:     "ipvs-deprecated",
	Summary:  "kube-proxy's ipvs mode is deprecated from v1.35",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindKubeProxy},
	Run: func(p *lint.Pass) {
		kp, ok := object[*kubeproxyv1alpha1.KubeProxyConfiguration](p)
		if !ok || kp.Mode != "ipvs" || p.Options.TargetMinor() < 35 {
			return
		}
		p.Report(p.Doc, lint.Finding{Path: "mode",
			Message: `kube-proxy mode "ipvs" is deprecated`,
			Hint:    "use mode: nftables on kernels from 5.13, or iptables, before the ipvs proxier is removed"})
	},
	Doc: doc(`
kube-proxy v1.35 deprecated its ipvs proxier: it logs and records an IPVSDeprecation event at
start ("The ipvs proxier is now deprecated and may be removed in a future release. Please use
'nftables' instead.", cmd/kube-proxy/app/server_linux.go; KEP-5495). nftables is GA since v1.33 and
needs a kernel from 5.13; iptables stays available.`, `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs`, `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables`, `kubernetes/kubernetes#134539 (KEP-5495); cmd/kube-proxy/app/server_linux.go of v1.35.4, absent in v1.34.4.`),
}
