package rules

import (
	"fmt"
	"strings"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL108 = &lint.Rule{
	ID:       "KL108",
	Name:     "node-ip-unset",
	Summary:  "the kubelet's node-ip is unset where the node may register another NIC's address",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			if _, _, ok := nr.KubeletArgs.Get("node-ip"); ok {
				continue
			}
			if nr.ControlPlane && nr.Doc.Has(nr.AdvertisePath) && netutils.ParseIPSloppy(nr.AdvertiseAddress) != nil {
				p.Report(nr.Doc, lint.Finding{Path: "nodeRegistration",
					Message: fmt.Sprintf("advertiseAddress %s is set but the kubelet's node-ip is not", nr.AdvertiseAddress),
					Hint:    fmt.Sprintf("add node-ip %s to kubeletExtraArgs, or the kubelet registers the default route's address, which may differ", nr.AdvertiseAddress)})
				continue
			}
			if h := p.Options.Host; h != nil && len(h.NICs) > 1 {
				p.Report(nr.Doc, lint.Finding{Path: "nodeRegistration",
					Message: fmt.Sprintf("this host has %d network interfaces (%s) and node-ip is unset", len(h.NICs), strings.Join(h.NICs, ", ")),
					Hint:    "set node-ip in kubeletExtraArgs, or the kubelet registers the default route's address, which may be on the wrong network"})
			}
		}
	},
	Doc: doc(`
Without --node-ip the kubelet registers the address of the interface that holds the default route.
On hosts with several NICs, such as a cloud VM with a public and a private network or a VM with a
NAT and a host-only interface, that is often not the network the nodes share, and 'kubectl logs',
'exec' and the CNI break for that node. A control plane that sets advertiseAddress says which
network it means; the kubelet should use the same one. With --host, the rule also looks at the
interfaces of the machine it runs on.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.168.10.11`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.168.10.11
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.10.11`, `the kubeadm troubleshooting guide ("Non-public IP used for containers"); kubernetes/kubeadm#1987, kubernetes/kubernetes#87244.`),
}
