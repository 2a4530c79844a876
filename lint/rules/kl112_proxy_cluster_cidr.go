package rules

import (
	"fmt"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL112 = &lint.Rule{
	ID:       "KL112",
	Name:     "kube-proxy-cluster-cidr",
	Summary:  "kube-proxy's clusterCIDR differs from podSubnet",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindKubeProxy},
	Run: func(p *lint.Pass) {
		kp := p.File.KubeProxy()
		c, _ := clusterConfig(p.File)
		if kp == nil || kp.ClusterCIDR == "" || c == nil || c.Networking.PodSubnet == "" {
			return
		}
		if normalizeCIDRs(kp.ClusterCIDR) != normalizeCIDRs(c.Networking.PodSubnet) {
			p.Report(p.Doc, lint.Finding{Path: "clusterCIDR",
				Message: fmt.Sprintf("clusterCIDR %q differs from podSubnet %q", kp.ClusterCIDR, c.Networking.PodSubnet),
				Hint:    "leave clusterCIDR out so that kubeadm fills it in from podSubnet"})
		}
	},
	Doc: doc(`
kube-proxy uses clusterCIDR to tell Pod traffic from outside traffic, for masquerading and for
local traffic detection. kubeadm sets it from podSubnet when it is empty. A different value,
usually left over from an older podSubnet, makes kube-proxy masquerade Pod-to-Service traffic or
skip outside traffic.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 192.168.0.0/16`, `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
# clusterCIDR left out: kubeadm copies podSubnet`, `kubeadm's componentconfigs (kube-proxy defaulting).`),
}

func normalizeCIDRs(s string) string {
	var out string
	for i, n := range subnets(s) {
		if i > 0 {
			out += ","
		}
		out += n.String()
	}
	return out
}
