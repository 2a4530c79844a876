package rules

import (
	"fmt"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL109 = &lint.Rule{
	ID:       "KL109",
	Name:     "node-ip-advertise-mismatch",
	Summary:  "a control-plane node's node-ip differs from its advertiseAddress",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			// A wildcard asks kubeadm to detect the address, a placeholder is none: nothing to compare.
			adv := netutils.ParseIPSloppy(concreteAdvertiseAddress(p.Options, nr))
			v, i, ok := nr.KubeletArgs.Get("node-ip")
			if adv == nil || !ok {
				continue
			}
			same := false
			for _, ip := range ips(v) {
				same = same || ip.Equal(adv)
			}
			if !same && len(ips(v)) > 0 {
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
					Message: fmt.Sprintf("node-ip %s differs from advertiseAddress %s", v, nr.AdvertiseAddress),
					Hint:    "use one address for both, unless the API server and the node are meant to be reached on different networks"})
			}
		}
	},
	Doc: doc(`
On a control-plane node the static Pods (API server, etcd) use the node's address. When the
kubelet registers one network and the API server advertises another, etcd peer URLs, the
kubernetes Endpoints and the node's InternalIP disagree, which breaks joins and webhooks in ways
that are hard to trace.`, `
localAPIEndpoint:
  advertiseAddress: 192.168.10.11
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 10.0.0.11`, `
localAPIEndpoint:
  advertiseAddress: 192.168.10.11
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.10.11`, `the kubeadm troubleshooting guide ("Non-public IP used for containers").`),
}
