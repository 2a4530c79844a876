package rules

import (
	"fmt"
	"strconv"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// defaultMaxPods is the kubelet's maxPods default (KubeletConfiguration v1beta1 SetDefaults).
const defaultMaxPods = 110

var KL903 = &lint.Rule{
	ID:       "KL903",
	Name:     "max-pods-node-cidr",
	Summary:  "the kubelet's maxPods is larger than the pod addresses of the node CIDR the controller-manager gives each node",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		if p.Options.CNI == "calico" || p.Options.CNI == "cilium" {
			return // their own IPAM ignores the node's podCIDR by default
		}
		c, cdoc := clusterConfig(p.File)
		if c == nil {
			return
		}
		cm := args{Path: "controllerManager.extraArgs", Args: c.ControllerManager.ExtraArgs}
		if v, _, ok := cm.Get("allocate-node-cidrs"); ok && v != "true" {
			return
		}
		cidrs := c.Networking.PodSubnet
		if v, _, ok := cm.Get("cluster-cidr"); ok {
			cidrs = v
		}
		nets := subnets(cidrs)
		if len(nets) == 0 {
			return // kubeadm lets the controller-manager allocate node CIDRs only with a podSubnet
		}
		maxPods, kc, kdoc := defaultMaxPods, p.File.Kubelet(), p.File.Doc(lint.KindKubelet)
		setMaxPods := kc != nil && kdoc.Has("maxPods")
		if setMaxPods {
			maxPods = int(kc.MaxPods)
			if maxPods <= 0 {
				return // a value that did not decode (KL007) or the kubelet refuses (KL010)
			}
		}
		for _, n := range nets {
			mask, flag, index, ok := nodeCIDRMask(cm, netutils.IsIPv6CIDR(n), len(nets) > 1)
			if !ok {
				continue
			}
			bits := 32
			if netutils.IsIPv6CIDR(n) {
				bits = 128
			}
			usable := hostLocalAddresses(bits, mask)
			if usable < 0 || maxPods <= usable {
				continue
			}
			hint := fmt.Sprintf("lower maxPods to %d", usable)
			if m := widestMask(bits, maxPods); m >= 0 {
				ones, _ := n.Mask.Size()
				if m > ones {
					hint += fmt.Sprintf(", or set the controller-manager's %s to %d", flag, m)
				} else {
					hint += fmt.Sprintf(", or widen podSubnet and set the controller-manager's %s to %d", flag, m)
				}
			}
			hint += ", as the Pods beyond the node's addresses stay in ContainerCreating"
			msg := fmt.Sprintf("maxPods %d is more than the %d pod addresses of a /%d node CIDR", maxPods, usable, mask)
			switch {
			case setMaxPods:
				p.Report(kdoc, lint.Finding{Path: "maxPods", Message: msg, Hint: hint})
			case index >= 0:
				p.Report(cdoc, lint.Finding{Path: cm.At(index), Message: fmt.Sprintf("the kubelet's default maxPods %d is more than the %d pod addresses of a /%d node CIDR", maxPods, usable, mask), Hint: hint})
			}
		}
	},
	Doc: doc(`
kube-controller-manager gives each node one podCIDR of node-cidr-mask-size bits out of podSubnet:
/24 for IPv4 and /64 for IPv6 unless controllerManager.extraArgs sets node-cidr-mask-size (single
stack) or node-cidr-mask-size-ipv4/-ipv6; kubeadm leaves these flags alone. A CNI that allocates
from the node's podCIDR with host-local IPAM (Flannel, the bridge plugin) hands out the addresses
after the network address, skipping the gateway (.1) and, for IPv4, the broadcast address: 253 for
a /24, 61 for a /26. The kubelet's maxPods (default 110) admits Pods regardless, so with maxPods
above that number the extra Pods stay in ContainerCreating with "no IP addresses available in
range set". The rule reads the ClusterConfiguration and the KubeletConfiguration of one file. It
does not run with --cni calico or cilium, whose own IPAM ignores the node's podCIDR by default.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPods: 300`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
controllerManager:
  extraArgs:
  - name: node-cidr-mask-size-ipv4
    value: "23"
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPods: 300`, `kube-controller-manager setNodeCIDRMaskSizes (cmd/kube-controller-manager/app/core.go); the CNI host-local plugin's range defaults; kubernetes/kubernetes#88278.`),
}

// nodeCIDRMask returns the node CIDR mask size kube-controller-manager uses for one family, as
// setNodeCIDRMaskSizes does, with the flag that sets it and its index (-1 for the default). It
// returns false for a value that is no number, which KL210 reports.
func nodeCIDRMask(cm args, ipv6, dualStack bool) (mask int, flag string, index int, ok bool) {
	mask, flag = 24, "node-cidr-mask-size-ipv4"
	if ipv6 {
		mask, flag = 64, "node-cidr-mask-size-ipv6"
	}
	names := []string{flag}
	if !dualStack {
		// The single-stack flag wins; the controller-manager refuses it beside the family flags.
		names = []string{"node-cidr-mask-size", flag}
	}
	for _, name := range names {
		if v, i, set := cm.Get(name); set {
			m, err := strconv.Atoi(v)
			if err != nil {
				return 0, "", 0, false
			}
			if name == "node-cidr-mask-size" {
				flag = name
			}
			return m, flag, i, true
		}
	}
	return mask, flag, -1, true
}

// hostLocalAddresses counts the addresses host-local IPAM hands out from a subnet of the given
// mask: all but the network address and the gateway, and for IPv4 the broadcast address too. It
// returns -1 when the count does not fit an int, which no maxPods reaches.
func hostLocalAddresses(bits, mask int) int {
	host := bits - mask
	if host < 0 || host > 30 {
		return -1
	}
	n := 1<<host - 2
	if bits == 32 {
		n--
	}
	return max(n, 0)
}

// widestMask is the longest node CIDR mask whose host-local addresses hold maxPods, or -1.
func widestMask(bits, maxPods int) int {
	for m := bits; m >= bits-30; m-- {
		if hostLocalAddresses(bits, m) >= maxPods {
			return m
		}
	}
	return -1
}
