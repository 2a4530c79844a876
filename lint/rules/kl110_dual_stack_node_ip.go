package rules

import (
	"fmt"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL110 = &lint.Rule{
	ID:       "KL110",
	Name:     "dual-stack-node-ip",
	Summary:  "a dual-stack cluster's node-ip has only one address family",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		c, _ := clusterConfig(p.File)
		if c == nil || len(subnets(c.Networking.PodSubnet)) < 2 {
			return
		}
		for _, nr := range nodeRegistrations(p.File) {
			v, i, ok := nr.KubeletArgs.Get("node-ip")
			if !ok {
				continue
			}
			v4, v6 := false, false
			for _, ip := range ips(v) {
				v6 = v6 || netutils.IsIPv6(ip)
				v4 = v4 || !netutils.IsIPv6(ip)
			}
			if v4 != v6 {
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
					Message: fmt.Sprintf("the cluster is dual-stack but node-ip %s has one family", v),
					Hint:    "give one address of each family, comma-separated, or the node gets no address of the other"})
			}
		}
	},
	Doc: doc(`
With a dual-stack podSubnet, each node needs an address of both families. When node-ip is set,
the kubelet registers exactly the addresses it lists, so a single IPv4 address leaves the node
without an IPv6 InternalIP, and IPv6 Pods and Services on it do not work.`, `
networking:
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
---
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.10.11`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.10.11,fd00:192:168::11`, `Kubernetes dual-stack documentation (kubelet --node-ip); the kubeadm dual-stack page.`),
}
