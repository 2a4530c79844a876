package rules

import (
	"fmt"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// cniDefaults are the pod ranges the CNIs' stock manifests assume.
var cniDefaults = map[string]string{
	"flannel": "10.244.0.0/16",
	"calico":  "192.168.0.0/16",
	"cilium":  "10.0.0.0/8",
}

var KL105 = &lint.Rule{
	ID:       "KL105",
	Name:     "cni-pod-subnet",
	Summary:  "podSubnet differs from the default of the CNI given with --cni",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		want := cniDefaults[p.Options.CNI]
		if !ok || want == "" {
			return
		}
		nets := subnets(c.Networking.PodSubnet)
		if len(nets) == 0 {
			p.Report(p.Doc, lint.Finding{Path: "networking",
				Message: "no podSubnet",
				Hint:    fmt.Sprintf("set podSubnet to %s, the range %s's stock manifest expects", want, p.Options.CNI)})
			return
		}
		if nets[0].String() != want {
			hint := "change the CNI's manifest to match, or podSubnet"
			if p.Options.CNI == "cilium" {
				hint += " (Cilium's default contains kubeadm's default serviceSubnet 10.96.0.0/12)"
			}
			p.Report(p.Doc, lint.Finding{Path: "networking.podSubnet",
				Message: fmt.Sprintf("podSubnet %s differs from %s's default %s", nets[0], p.Options.CNI, want),
				Hint:    hint})
		}
	},
	Doc: doc(`
Every CNI's stock manifest assumes a Pod range: Flannel 10.244.0.0/16, Calico 192.168.0.0/16,
Cilium 10.0.0.0/8 (which contains kubeadm's default serviceSubnet, see KL101). When podSubnet and the
CNI disagree, nodes get podCIDRs the CNI does not route, and Pods stay in ContainerCreating or
cannot reach each other. The rule runs only with --cni flannel|calico|cilium.`, `
# kubeadm-lint --cni flannel
networking:
  podSubnet: 192.168.0.0/16`, `
# kubeadm-lint --cni flannel
networking:
  podSubnet: 10.244.0.0/16`, `the kubeadm troubleshooting guide ("coredns is stuck in the Pending state"); the CNIs' install guides.`),
}
