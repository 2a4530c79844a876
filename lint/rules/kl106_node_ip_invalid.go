package rules

import (
	"fmt"
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
					p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
						Message: fmt.Sprintf("node-ip %q is not an IP address", v),
						Hint:    "give one IP address, or one of each family separated by a comma, or the kubelet does not start"})
					break
				}
			}
			if len(parts) > 2 {
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
					Message: fmt.Sprintf("node-ip %q lists more than two addresses", v),
					Hint:    "give at most one address of each family"})
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
