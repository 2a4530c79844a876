package rules

import (
	"fmt"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL103 = &lint.Rule{
	ID:       "KL103",
	Name:     "dual-stack-subnets",
	Summary:  "podSubnet and serviceSubnet disagree on dual-stack or on which family comes first",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok || !p.Doc.Has("networking.podSubnet") || !p.Doc.Has("networking.serviceSubnet") {
			return
		}
		pod, svc := subnets(c.Networking.PodSubnet), subnets(c.Networking.ServiceSubnet)
		if len(pod) == 0 || len(svc) == 0 {
			return
		}
		switch {
		case len(pod) != len(svc):
			p.Report(p.Doc, lint.Finding{Path: "networking.serviceSubnet",
				Message: fmt.Sprintf("podSubnet has %d address families and serviceSubnet %d", len(pod), len(svc)),
				Hint:    "give both subnets the same families, one range of each for a dual-stack cluster"})
		case netutils.IsIPv6CIDR(pod[0]) != netutils.IsIPv6CIDR(svc[0]):
			p.Report(p.Doc, lint.Finding{Path: "networking.serviceSubnet",
				Message: fmt.Sprintf("serviceSubnet lists %s first and podSubnet %s", family(svc[0].IP), family(pod[0].IP)),
				Hint:    "list the same family first in both, as the first one is the cluster's primary family"})
		}
	},
	Doc: doc(`
In a dual-stack cluster the first range of each list sets the primary family: the one Services get
by default and the one the kubelet reports first. When podSubnet and serviceSubnet list the
families in different orders, or only one of them is dual-stack, Pods and Services end up with
different primary families and single-stack Services become unreachable from half the Pods.`, `
networking:
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
  serviceSubnet: fd00:10:96::/112,10.96.0.0/16`, `
networking:
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
  serviceSubnet: 10.96.0.0/16,fd00:10:96::/112`, `Kubernetes dual-stack documentation; kubeadm dual-stack support page.`),
}

func family(ip []byte) string {
	if netutils.IsIPv6(ip) {
		return "IPv6"
	}
	return "IPv4"
}
