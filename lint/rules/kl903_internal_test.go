package rules

import (
	"testing"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
)

// TestNodeCIDRMask covers the flag combinations the rule cases cannot, since every extraArgs list
// in testdata must have a recorded run of the real controller-manager.
func TestNodeCIDRMask(t *testing.T) {
	tests := []struct {
		name      string
		args      []kubeadmapi.Arg
		ipv6      bool
		dualStack bool
		wantMask  int
		wantFlag  string
		wantIndex int
		wantOK    bool
	}{
		{name: "IPv4 defaults to /24", wantMask: 24, wantFlag: "node-cidr-mask-size-ipv4", wantIndex: -1, wantOK: true},
		{name: "IPv6 defaults to /64", ipv6: true, wantMask: 64, wantFlag: "node-cidr-mask-size-ipv6", wantIndex: -1, wantOK: true},
		{name: "the single-stack flag wins over the family flag", args: []kubeadmapi.Arg{{Name: "node-cidr-mask-size-ipv4", Value: "23"}, {Name: "node-cidr-mask-size", Value: "26"}}, wantMask: 26, wantFlag: "node-cidr-mask-size", wantIndex: 1, wantOK: true},
		{name: "dual stack reads only the family flags", args: []kubeadmapi.Arg{{Name: "node-cidr-mask-size", Value: "26"}, {Name: "node-cidr-mask-size-ipv6", Value: "120"}}, ipv6: true, dualStack: true, wantMask: 120, wantFlag: "node-cidr-mask-size-ipv6", wantIndex: 1, wantOK: true},
		{name: "dual stack IPv4 keeps its default", args: []kubeadmapi.Arg{{Name: "node-cidr-mask-size", Value: "26"}}, dualStack: true, wantMask: 24, wantFlag: "node-cidr-mask-size-ipv4", wantIndex: -1, wantOK: true},
		{name: "a value that is no number", args: []kubeadmapi.Arg{{Name: "node-cidr-mask-size-ipv4", Value: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mask, flag, index, ok := nodeCIDRMask(args{Args: tt.args}, tt.ipv6, tt.dualStack)
			if ok != tt.wantOK || ok && (mask != tt.wantMask || flag != tt.wantFlag || index != tt.wantIndex) {
				t.Errorf("nodeCIDRMask() = %d, %q, %d, %t; want %d, %q, %d, %t", mask, flag, index, ok, tt.wantMask, tt.wantFlag, tt.wantIndex, tt.wantOK)
			}
		})
	}
}

func TestHostLocalAddresses(t *testing.T) {
	tests := []struct {
		name       string
		bits, mask int
		want       int
	}{
		{name: "an IPv4 /24 keeps the network, gateway and broadcast addresses", bits: 32, mask: 24, want: 253},
		{name: "an IPv4 /26", bits: 32, mask: 26, want: 61},
		{name: "an IPv4 /31 has none", bits: 32, mask: 31, want: 0},
		{name: "an IPv6 /120 has no broadcast address", bits: 128, mask: 120, want: 254},
		{name: "an IPv6 /64 is beyond any maxPods", bits: 128, mask: 64, want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hostLocalAddresses(tt.bits, tt.mask); got != tt.want {
				t.Errorf("hostLocalAddresses(%d, %d) = %d, want %d", tt.bits, tt.mask, got, tt.want)
			}
		})
	}
	if got := widestMask(128, 300); got != 119 {
		t.Errorf("widestMask(128, 300) = %d, want 119", got)
	}
}
