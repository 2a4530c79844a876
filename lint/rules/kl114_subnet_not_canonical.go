package rules

import (
	"fmt"
	"net/netip"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL114 = &lint.Rule{
	ID:       "KL114",
	Name:     "subnet-not-canonical",
	Summary:  "podSubnet or serviceSubnet has host bits set or leading zeros, which Kubernetes reads one way and other parsers another",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		for _, f := range []struct{ name, value string }{
			{"podSubnet", c.Networking.PodSubnet},
			{"serviceSubnet", c.Networking.ServiceSubnet},
		} {
			for _, part := range strings.Split(f.value, ",") {
				part = strings.TrimSpace(part)
				_, sloppy, err := netutils.ParseCIDRSloppy(part)
				if err != nil {
					continue // KL008: kubeadm rejects it
				}
				finding := lint.Finding{Path: "networking." + f.name}
				prefix, err := netip.ParsePrefix(part)
				switch {
				case err != nil:
					finding.Message = fmt.Sprintf("%s %q has leading zeros, which Go's net.ParseCIDR and strict API validation reject", f.name, part)
					finding.Hint = fmt.Sprintf("write %s; Kubernetes reads each number as decimal, other tools as octal or not at all", sloppy)
				case prefix != prefix.Masked():
					finding.Message = fmt.Sprintf("%s %q has host bits set: Kubernetes silently uses %s", f.name, part, sloppy)
					finding.Hint = fmt.Sprintf("write %s, or the prefix length you meant; StrictIPCIDRValidation rejects such CIDRs in API fields from v1.36", sloppy)
				default:
					continue
				}
				p.Report(p.Doc, finding)
			}
		}
	},
	Doc: doc(`
kubeadm accepts podSubnet and serviceSubnet through netutils.ParseCIDRSloppy, which allows host
bits after the prefix (10.244.1.0/16) and leading zeros (010.244.0.0/16, 10.244.0.0/016), and passes
the text verbatim to kube-controller-manager --cluster-cidr, kube-apiserver
--service-cluster-ip-range and kube-proxy's clusterCIDR. Those components parse it sloppily too
and use the masked network, so in v1.35 to v1.37 nothing in the control plane fails: the cluster
just runs on 10.244.0.0/16 where the file may have meant 10.244.1.0/24.

The same value is wrong everywhere else. Kubernetes' own validation calls such a CIDR ambiguous:
with the StrictIPCIDRValidation gate, beta and on by default from v1.36 (pkg/features), API fields
such as Node spec.podCIDRs, NetworkPolicy ipBlock.cidr and Service loadBalancerSourceRanges reject
host bits and leading zeros, and ServiceCIDR objects always require the canonical form (the API
server writes the default ServiceCIDR from the parsed range, so that one is canonical). Go's
net.ParseCIDR and net/netip reject leading zeros outright, so a CNI or tool that reads podSubnet
from the kubeadm-config ConfigMap with the standard library fails, and C parsers read 010 as
octal 8.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.1.0/16
  serviceSubnet: 010.96.0.0/12`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12`, `kubernetes/kubernetes#137053 (StrictIPCIDRValidation beta in v1.36); k8s.io/apimachinery util/validation IsValidCIDRForLegacyField; kube-controller-manager processCIDRs.`),
}
