package audit

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/version"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL606 = &lint.Rule{
	ID:       "KL606",
	Name:     "node-internal-ip-shared",
	Summary:  "several nodes register the same InternalIP",
	Check:    checkNodes,
	Severity: lint.SeverityError,
	Doc: `Each node must have an InternalIP of its own: the API server reaches the kubelet there
(` + "`kubectl logs`" + `, ` + "`exec`" + `, metrics) and the pod network routes to it. Nodes that share one
answer for each other, and most requests end up on the wrong machine.

It happens when every machine picks the address of the same interface, most often Vagrant's NAT
interface, 10.0.2.15 on every VM.

Bad: ` + "`cp-1`" + ` and ` + "`worker-1`" + ` both with InternalIP 10.0.2.15.

Good: give each kubelet the address of the network the nodes share, in the
` + "`nodeRegistration.kubeletExtraArgs`" + ` of its Init- or JoinConfiguration:

    kubeletExtraArgs:
    - name: node-ip
      value: 192.168.56.11

Source: the troubleshooting guide, "Vagrant: the NAT address is used as the node IP".`,
}

var KL607 = &lint.Rule{
	ID:       "KL607",
	Name:     "node-internal-ip-vagrant-nat",
	Summary:  "a node's InternalIP is Vagrant's NAT address 10.0.2.15",
	Check:    checkNodes,
	Severity: lint.SeverityWarning,
	Doc: `VirtualBox gives every Vagrant VM the same NAT address, 10.0.2.15, on its first interface,
and the kubelet picks that interface's address by default. Other nodes cannot reach it: the
API server's requests to the kubelet and the pod network's routes go to the VM itself.

Bad: a node with InternalIP 10.0.2.15.

Good: the host-only network's address, given to the kubelet as ` + "`node-ip`" + ` in
` + "`nodeRegistration.kubeletExtraArgs`" + `.

Source: the troubleshooting guide, "Vagrant: the NAT address is used as the node IP".`,
}

var KL608 = &lint.Rule{
	ID:       "KL608",
	Name:     "component-version-skew",
	Summary:  "a kubelet or kube-proxy is newer than the API server, or too far behind it",
	Check:    checkNodes,
	Severity: lint.SeverityError,
	Doc: `The version skew policy lets a kubelet or kube-proxy be up to three minor releases older than
the API server, and never newer (kubeadm's ` + "`MinimumKubeletVersion`" + ` is its release minus three).
Outside that range the API they are built against is not the one the server serves, and
` + "`kubeadm upgrade`" + ` refuses to go on.

The control plane's version is the API server's, or the ClusterConfiguration's
` + "`kubernetesVersion`" + ` for an API server built without one; kube-proxy's is its image tag.

Bad: a v1.38 kubelet joined to a v1.37 control plane; a v1.33 kubelet under v1.37.

Good: upgrade the control plane first, then the kubelets, one minor release at a time.

Source: https://kubernetes.io/releases/version-skew-policy/`,
}

var KL609 = &lint.Rule{
	ID:       "KL609",
	Name:     "node-not-ready",
	Summary:  "a node is not Ready",
	Check:    checkNodes,
	Severity: lint.SeverityWarning,
	Doc: `A node whose Ready condition is not True runs no new Pods. The finding quotes the kubelet's
reason. The usual ones after ` + "`kubeadm init`" + ` or ` + "`join`" + `: no pod network add-on yet
(` + "`NetworkReady=false`" + `), a kubelet that cannot reach the API server, or a container runtime
that is down.

Bad: ` + "`container runtime network not ready: NetworkReady=false ... cni plugin not initialized`" + `.

Good: install a pod network add-on; check ` + "`journalctl -u kubelet`" + ` on the node.

Source: the troubleshooting guide, "CoreDNS is stuck in Pending".`,
}

// maxKubeletSkew is how many minor releases a kubelet or kube-proxy may be behind the API server.
const maxKubeletSkew = 3

// nodeSummary is what the node pass keeps for the checks after it: counts, not nodes.
type nodeSummary struct {
	// uninitialized counts nodes with the cloud provider's uninitialized taint.
	uninitialized int
	// networkNotReady counts nodes whose kubelet says the pod network is not ready.
	networkNotReady int
}

// natIP is the address VirtualBox's NAT gives every Vagrant VM.
const natIP = "10.0.2.15"

// nodes checks every node in one paginated pass.
func (a *auditor) nodes(ctx context.Context) error {
	cp, _ := version.ParseGeneric(a.controlPlaneVersion())
	target, err := a.upgradeTarget()
	if err != nil {
		return err
	}
	sum := &nodeSummary{}
	firstWithIP := map[string]string{} // InternalIP to the first node that has it
	sharedReported := map[string]bool{}
	err = list(ctx, a.cfg.PageSize, func(ctx context.Context, o metav1.ListOptions) (page[corev1.Node], error) {
		l, err := a.cfg.Client.CoreV1().Nodes().List(ctx, o)
		if err != nil {
			return page[corev1.Node]{}, err
		}
		return page[corev1.Node]{l.Items, l.Continue}, nil
	}, func(n *corev1.Node) {
		a.rep.Checked++
		object := ref("Node", "", n.Name)
		for _, t := range n.Spec.Taints {
			if t.Key == kubeadm.TaintUninitialized {
				sum.uninitialized++
				break
			}
		}
		for _, addr := range n.Status.Addresses {
			if addr.Type != corev1.NodeInternalIP {
				continue
			}
			if addr.Address == natIP {
				a.reportf(KL607, object, "set the kubelet's node-ip to the address of the network the nodes share, in nodeRegistration.kubeletExtraArgs",
					"node %s has Vagrant's NAT address %s as its InternalIP", n.Name, natIP)
			}
			first, seen := firstWithIP[addr.Address]
			if !seen {
				firstWithIP[addr.Address] = n.Name
				continue
			}
			hint := "give each kubelet its own node-ip in nodeRegistration.kubeletExtraArgs"
			if !sharedReported[addr.Address] {
				sharedReported[addr.Address] = true
				a.reportf(KL606, ref("Node", "", first), hint, "node %s shares its InternalIP %s with node %s", first, addr.Address, n.Name)
			}
			a.reportf(KL606, object, hint, "node %s shares its InternalIP %s with node %s", n.Name, addr.Address, first)
		}
		if cp != nil {
			a.skew(object, "the kubelet of node "+n.Name, n.Status.NodeInfo.KubeletVersion, cp)
		}
		if target != nil {
			a.upgradeSkew(object, n.Name, n.Status.NodeInfo.KubeletVersion, target)
		}
		ready := condition(n, corev1.NodeReady)
		if ready == nil || ready.Status != corev1.ConditionTrue {
			reason := "it has no Ready condition"
			if ready != nil {
				reason = fmt.Sprintf("%s: %s", ready.Reason, clip(ready.Message, 100))
				if networkNotReady(ready.Message) {
					sum.networkNotReady++
				}
			}
			a.reportf(KL609, object, "read the kubelet's log on the node: journalctl -u kubelet", "node %s is not Ready (%s)", n.Name, reason)
		}
	})
	if a.forbidden(err, "list", "nodes", "", "the node checks") {
		return nil
	}
	a.nodeStats = sum
	return err
}

// skew reports a component version outside the skew policy against the control plane's.
func (a *auditor) skew(object, who, v string, cp *version.Version) {
	parsed, err := version.ParseGeneric(v)
	if err != nil || parsed.Major() != 1 {
		return // a build without a version (v0.0.0-master+$Format:%H$) says nothing about its skew
	}
	switch {
	case parsed.Major() != cp.Major() || parsed.Minor() > cp.Minor():
		a.reportf(KL608, object, "upgrade the control plane before the nodes", "%s is %s, newer than the control plane's %s", who, v, a.controlPlaneVersion())
	case cp.Minor()-parsed.Minor() > maxKubeletSkew:
		a.reportf(KL608, object, "upgrade it one minor release at a time until it is at most 3 behind", "%s is %s, more than %d minor releases behind the control plane's %s", who, v, maxKubeletSkew, a.controlPlaneVersion())
	}
}

// upgradeTarget is the upgrade's last release, nil when no upgrade is checked.
func (a *auditor) upgradeTarget() (*release.Upgrade, error) {
	if len(a.cfg.Upgrade) == 0 {
		return nil, nil
	}
	return release.LoadUpgrade(a.cfg.Upgrade[len(a.cfg.Upgrade)-1])
}

// upgradeSkew reports a kubelet further behind the upgrade's target than its kubeadm supports.
func (a *auditor) upgradeSkew(object, node, v string, to *release.Upgrade) {
	parsed, err := version.ParseGeneric(v)
	if err != nil || parsed.Major() != 1 {
		return
	}
	if behind := to.Minor - int(parsed.Minor()); behind > to.KubeletSkew {
		a.reportf(KL617, object, fmt.Sprintf("upgrade the kubelet of node %s to v1.%d or later before the control plane goes to v1.%d", node, to.Minor-to.KubeletSkew, to.Minor),
			"the kubelet of node %s is %s, %d minor releases behind the upgrade's target v1.%d, whose kubeadm supports %d", node, v, behind, to.Minor, to.KubeletSkew)
	}
}

func condition(n *corev1.Node, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == t {
			return &n.Status.Conditions[i]
		}
	}
	return nil
}

// networkNotReady reports whether a kubelet's Ready message says that no pod network is set up,
// as the container runtime reports it through the kubelet.
func networkNotReady(msg string) bool {
	return strings.Contains(msg, "NetworkReady=false") || strings.Contains(msg, "cni plugin not initialized")
}

// clip shortens s to n bytes at most, for messages that quote what the API returned.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}
