package rules

import (
	"fmt"
	"strconv"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL104 = &lint.Rule{
	ID:       "KL104",
	Name:     "pod-subnet-capacity",
	Summary:  "podSubnet holds pod CIDRs for only a few nodes at the node CIDR mask size",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		cm := args{Path: "controllerManager.extraArgs", Args: c.ControllerManager.ExtraArgs}
		for _, n := range subnets(c.Networking.PodSubnet) {
			ones, _ := n.Mask.Size()
			mask, flag := 24, "node-cidr-mask-size-ipv4"
			if netutils.IsIPv6CIDR(n) {
				mask, flag = 64, "node-cidr-mask-size-ipv6"
			}
			for _, name := range []string{"node-cidr-mask-size", flag} {
				if v, _, ok := cm.Get(name); ok {
					if m, err := strconv.Atoi(v); err == nil {
						mask = m
					}
				}
			}
			if d := mask - ones; d >= 0 && d < 3 {
				p.Report(p.Doc, lint.Finding{Path: "networking.podSubnet",
					Message: fmt.Sprintf("podSubnet %s split into /%d node CIDRs gives pod addresses to only %d node(s)", n, mask, 1<<d),
					Hint:    fmt.Sprintf("widen podSubnet or raise the controller-manager's %s, as further nodes get no podCIDR", flag)})
			}
		}
	},
	Doc: doc(`
The controller-manager cuts podSubnet into one CIDR per node, of node-cidr-mask-size bits (/24 for
IPv4 and /64 for IPv6 by default). A podSubnet barely larger than that, such as a /24 copied from a
single-node tutorial, serves one to four nodes; the next node joins without a podCIDR and its Pods
never get an address (kubernetes/kubernetes#112367 shows the IPv6 form).`, `
networking:
  podSubnet: 10.244.0.0/24`, `
networking:
  podSubnet: 10.244.0.0/16`, `kubernetes/kubernetes#112367; kube-controller-manager --node-cidr-mask-size.`),
}
