package rules

import (
	"net"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// args is one extraArgs list with its field path. Internal kubeadm types hold v1beta3 maps and
// v1beta4 lists alike as []Arg, in the order of the migrated document, so an index into Args is
// an index into the path.
type args struct {
	Path string
	Args []kubeadmapi.Arg
	// Component is the program that receives the flags, as release names it.
	Component string
}

// Get returns the value of the last entry named name, which is the one the component sees.
func (a args) Get(name string) (value string, index int, ok bool) {
	index = -1
	for i, arg := range a.Args {
		if arg.Name == name {
			value, index, ok = arg.Value, i, true
		}
	}
	return value, index, ok
}

// At returns the field path of entry i.
func (a args) At(i int) string { return lint.PathIndex(a.Path, i) }

// controlPlaneArgs lists the extraArgs of the control-plane components of a ClusterConfiguration.
func controlPlaneArgs(c *kubeadmapi.ClusterConfiguration) []args {
	out := []args{
		{Path: "apiServer.extraArgs", Args: c.APIServer.ExtraArgs, Component: release.APIServer},
		{Path: "controllerManager.extraArgs", Args: c.ControllerManager.ExtraArgs, Component: release.ControllerManager},
		{Path: "scheduler.extraArgs", Args: c.Scheduler.ExtraArgs, Component: release.Scheduler},
	}
	if c.Etcd.Local != nil {
		out = append(out, args{Path: "etcd.local.extraArgs", Args: c.Etcd.Local.ExtraArgs, Component: release.Etcd})
	}
	return out
}

// extraVolumes returns the extraVolumes a ClusterConfiguration gives a control-plane component.
func extraVolumes(c *kubeadmapi.ClusterConfiguration, component string) []kubeadmapi.HostPathMount {
	switch component {
	case release.APIServer:
		return c.APIServer.ExtraVolumes
	case release.ControllerManager:
		return c.ControllerManager.ExtraVolumes
	case release.Scheduler:
		return c.Scheduler.ExtraVolumes
	}
	return nil
}

// docArgs is an extraArgs list with the document that holds it.
type docArgs struct {
	Doc *lint.Document
	args
}

// allArgs lists every extraArgs and kubeletExtraArgs list of a file.
func allArgs(f *lint.File) []docArgs {
	var out []docArgs
	if c, doc := clusterConfig(f); c != nil {
		for _, a := range controlPlaneArgs(c) {
			out = append(out, docArgs{Doc: doc, args: a})
		}
	}
	for _, nr := range nodeRegistrations(f) {
		out = append(out, docArgs{Doc: nr.Doc, args: nr.KubeletArgs})
	}
	return out
}

// nodeRegistration is the node registration of an Init or Join document.
type nodeRegistration struct {
	Doc          *lint.Document
	NRO          *kubeadmapi.NodeRegistrationOptions
	KubeletArgs  args
	ControlPlane bool
	// AdvertiseAddress and its path, when the node runs an API server.
	AdvertiseAddress, AdvertisePath string
}

// nodeRegistrations returns the node registrations a file holds.
func nodeRegistrations(f *lint.File) []nodeRegistration {
	var out []nodeRegistration
	kubeletArgs := func(nro *kubeadmapi.NodeRegistrationOptions) args {
		return args{Path: "nodeRegistration.kubeletExtraArgs", Args: nro.KubeletExtraArgs, Component: release.Kubelet}
	}
	if d := f.Doc(lint.KindInit); d != nil {
		if c, ok := d.Object.(*kubeadmapi.InitConfiguration); ok {
			out = append(out, nodeRegistration{Doc: d, NRO: &c.NodeRegistration, KubeletArgs: kubeletArgs(&c.NodeRegistration),
				ControlPlane: true, AdvertiseAddress: c.LocalAPIEndpoint.AdvertiseAddress, AdvertisePath: "localAPIEndpoint.advertiseAddress"})
		}
	}
	if d := f.Doc(lint.KindJoin); d != nil {
		if c, ok := d.Object.(*kubeadmapi.JoinConfiguration); ok {
			nr := nodeRegistration{Doc: d, NRO: &c.NodeRegistration, KubeletArgs: kubeletArgs(&c.NodeRegistration)}
			if c.ControlPlane != nil {
				nr.ControlPlane = true
				nr.AdvertiseAddress, nr.AdvertisePath = c.ControlPlane.LocalAPIEndpoint.AdvertiseAddress, "controlPlane.localAPIEndpoint.advertiseAddress"
			}
			out = append(out, nr)
		}
	}
	return out
}

// ignoredOnJoin reports whether the file is read by 'kubeadm join' alone, which ignores every
// document but the JoinConfiguration (KL901).
func ignoredOnJoin(f *lint.File) bool {
	return f.Doc(lint.KindJoin) != nil && f.Doc(lint.KindInit) == nil
}

// clusterConfig returns the file's ClusterConfiguration and the document to report on, or nil.
func clusterConfig(f *lint.File) (*kubeadmapi.ClusterConfiguration, *lint.Document) {
	if c := f.Cluster(); c != nil {
		return c, f.Doc(lint.KindCluster)
	}
	return nil, nil
}

// subnets parses a comma-separated list of CIDRs, skipping what does not parse (KL008 reports it).
func subnets(s string) []*net.IPNet {
	var out []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		if _, n, err := netutils.ParseCIDRSloppy(strings.TrimSpace(part)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// ips parses a comma-separated list of IP addresses, skipping what does not parse.
func ips(s string) []net.IP {
	var out []net.IP
	for _, part := range strings.Split(s, ",") {
		if ip := netutils.ParseIPSloppy(strings.TrimSpace(part)); ip != nil {
			out = append(out, ip)
		}
	}
	return out
}

func overlaps(a, b *net.IPNet) bool { return a.Contains(b.IP) || b.Contains(a.IP) }

// md wraps a YAML example for a rule's Doc.
func md(yaml string) string { return "```yaml\n" + strings.TrimSpace(yaml) + "\n```" }

// doc assembles a rule's documentation from its parts.
func doc(rationale, bad, good, source string) string {
	return strings.TrimSpace(rationale) + "\n\nBad:\n\n" + md(bad) + "\n\nGood:\n\n" + md(good) + "\n\nSource: " + strings.TrimSpace(source)
}

// object returns the pass's document as T, or false when it did not decode.
func object[T any](p *lint.Pass) (T, bool) {
	o, ok := p.Doc.Object.(T)
	return o, ok
}
