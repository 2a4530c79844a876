package rules

import (
	"strings"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL106 = &lint.Rule{
	ID:       "KL106",
	Name:     "node-ip-invalid",
	Summary:  "the kubelet's node-ip is not an IP address",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			v, i, ok := nr.KubeletArgs.Get("node-ip")
			if !ok {
				continue
			}
			parts := strings.Split(v, ",")
			for _, part := range parts {
				if netutils.ParseIPSloppy(strings.TrimSpace(part)) == nil {
					p.ReportIn(nr.Doc, nr.KubeletArgs.At(i), "node-ip %q is not an IP address (or two, one per family, separated by a comma); the kubelet will not start", v)
					break
				}
			}
			if len(parts) > 2 {
				p.ReportIn(nr.Doc, nr.KubeletArgs.At(i), "node-ip %q lists more than two addresses; the kubelet takes one per family", v)
			}
		}
	},
	Doc: doc(`
kubeadm passes kubeletExtraArgs to the kubelet without looking at them. A node-ip that is not an
address, often an unrendered template variable, stops the kubelet at start, and 'kubeadm init'
then waits for a control plane that never comes.`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: $(NODE_IP)`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.10.11`, `the kubeadm troubleshooting guide ("Non-public IP used for containers"); kubelet --node-ip.`),
}
