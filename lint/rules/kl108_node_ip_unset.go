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
	Summary:  "the kubelet's node-ip is unset on a host with several network interfaces",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		// A file does not say how many interfaces its machine has, and on a machine with one
		// (most cloud VMs) the kubelet's default address is the right one: only --host knows.
		h := p.Options.Host
		if h == nil || len(h.NICs) < 2 {
			return
		}
		for _, nr := range nodeRegistrations(p.File) {
			if _, _, ok := nr.KubeletArgs.Get("node-ip"); ok {
				continue
			}
			f := lint.Finding{Path: "nodeRegistration",
				Message: fmt.Sprintf("this host has %d network interfaces (%s) and node-ip is unset", len(h.NICs), strings.Join(h.NICs, ", ")),
				Hint:    "set node-ip in kubeletExtraArgs, or the kubelet registers the default route's address, which may be on the wrong network"}
			if adv := concreteAdvertiseAddress(p.Options, nr); adv != "" {
				f.Hint = fmt.Sprintf("add node-ip %s, the advertiseAddress, to kubeletExtraArgs, or the kubelet registers the default route's address, which may differ", adv)
			}
			p.Report(nr.Doc, f)
		}
	},
	Doc: doc(`
Without --node-ip the kubelet registers the address of the interface that holds the default route.
On hosts with several NICs, such as a cloud VM with a public and a private network or a VM with a
NAT and a host-only interface, that is often not the network the nodes share, and 'kubectl logs',
'exec' and the CNI break for that node. A control plane that sets advertiseAddress says which
network it means; the kubelet should use the same one.

The rule needs --host: a file does not say how many interfaces its machine has, and on a machine
with one, which most cloud VMs are, the kubelet's default is right. Without --host it reports
nothing; KL107 still reports the best-known case, Vagrant's NAT address.`, `
# kubeadm-lint --host, on a machine with eth0 and eth1
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

// concreteAdvertiseAddress returns the advertiseAddress a control-plane node sets, or "" when it
// sets none, or sets a wildcard, which asks kubeadm to detect the address, or kubeadm's placeholder
// (KL014): neither is an address to copy or compare with.
func concreteAdvertiseAddress(o *lint.Options, nr nodeRegistration) string {
	if !nr.ControlPlane || !nr.Doc.Has(nr.AdvertisePath) {
		return ""
	}
	ip := netutils.ParseIPSloppy(nr.AdvertiseAddress)
	if ip == nil || ip.IsUnspecified() || nr.AdvertiseAddress == placeholders(o)["AdvertiseAddress"] {
		return ""
	}
	return nr.AdvertiseAddress
}
