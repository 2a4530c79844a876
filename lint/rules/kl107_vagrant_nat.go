package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// vagrantNAT is the address VirtualBox's NAT gives every VM; it is the same on every node.
const vagrantNAT = "10.0.2.15"

var KL107 = &lint.Rule{
	ID:       "KL107",
	Name:     "vagrant-nat-address",
	Summary:  "node-ip or advertiseAddress is 10.0.2.15, the NAT address every VirtualBox VM shares",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			if nr.AdvertiseAddress == vagrantNAT && nr.Doc.Has(nr.AdvertisePath) {
				p.Report(nr.Doc, lint.Finding{Path: nr.AdvertisePath,
					Message: "advertiseAddress " + vagrantNAT + " is VirtualBox's NAT address, which every VM shares",
					Hint:    "use the host-only network's address, where other nodes can reach this API server"})
			}
			if v, i, ok := nr.KubeletArgs.Get("node-ip"); ok {
				for _, ip := range ips(v) {
					if ip.String() == vagrantNAT {
						p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
							Message: "node-ip " + vagrantNAT + " is VirtualBox's NAT address, which every VM shares",
							Hint:    "use the host-only network's address"})
					}
				}
			}
		}
	},
	Doc: doc(`
Under Vagrant with VirtualBox, the first NIC of every VM is a NAT interface with the address
10.0.2.15. It is the default route, so kubeadm and the kubelet pick it, and every node then
advertises the same address: Pods on different nodes cannot reach each other and flannel
chooses the wrong interface. Use the address of the host-only (private) network.`, `
localAPIEndpoint:
  advertiseAddress: 10.0.2.15`, `
localAPIEndpoint:
  advertiseAddress: 192.168.56.10
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.56.10`, `the kubeadm troubleshooting guide ("Default NIC when using flannel as the pod network in Vagrant"); kubernetes/kubernetes#69509.`),
}
