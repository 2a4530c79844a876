package rules

import (
	"fmt"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL111 = &lint.Rule{
	ID:       "KL111",
	Name:     "cluster-dns",
	Summary:  "the kubelet's clusterDNS is not the 10th address of serviceSubnet, where kubeadm puts CoreDNS",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindKubelet},
	Run: func(p *lint.Pass) {
		kc := p.File.Kubelet()
		c, _ := clusterConfig(p.File)
		if kc == nil || len(kc.ClusterDNS) == 0 {
			return
		}
		svc := "10.96.0.0/12"
		switch {
		case c != nil:
			svc = c.Networking.ServiceSubnet
		case p.File.Doc(lint.KindCluster) != nil:
			return // a ClusterConfiguration kubeadm cannot read (KL002, KL005): its serviceSubnet is unknown
		}
		nets := subnets(svc)
		if len(nets) == 0 {
			return
		}
		want, err := netutils.GetIndexedIP(nets[0], 10)
		if err != nil {
			return
		}
		ip := netutils.ParseIPSloppy(kc.ClusterDNS[0])
		if ip != nil && ip.IsLinkLocalUnicast() {
			return // NodeLocal DNSCache listens on a link-local address such as 169.254.20.10
		}
		if ip == nil || !ip.Equal(want) {
			p.Report(p.Doc, lint.Finding{Path: "clusterDNS[0]",
				Message: fmt.Sprintf("clusterDNS %s is not %s, kubeadm's kube-dns Service address in serviceSubnet %s", kc.ClusterDNS[0], want, nets[0]),
				Hint:    fmt.Sprintf("set clusterDNS to %s, or Pods resolve nothing", want)})
		}
	},
	Doc: doc(`
kubeadm gives the kube-dns Service the 10th address of the first serviceSubnet and fills the
kubelet's clusterDNS with it. A clusterDNS written by hand, often copied from a cluster with
another serviceSubnet, sends every Pod's DNS queries to an address nothing answers. A link-local
clusterDNS (NodeLocal DNSCache, 169.254.20.10) is left alone, and so is a file whose
ClusterConfiguration cannot be read, as its serviceSubnet is then unknown.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  serviceSubnet: 10.100.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
clusterDNS:
- 10.96.0.10`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  serviceSubnet: 10.100.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
clusterDNS:
- 10.100.0.10`, `kubeadm's componentconfigs (kubelet defaulting); kubeadm's constants.GetDNSIP.`),
}
