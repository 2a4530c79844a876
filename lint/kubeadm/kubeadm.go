// Package kubeadm knows the objects kubeadm keeps in a cluster and how the troubleshooting guide
// wants them: the ConfigMaps its configurations are stored in, the add-ons it installs, and the
// guide's fixes to them in the forms that apply them (the lists the webhook enforces, kubeadm
// patch files, and a MutatingAdmissionPolicy for clusters that want no webhook server). The
// webhook, the cluster audit, the rules and emit all read it, so that each fact has one home.
package kubeadm

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// Taint keys and names the fixes refer to.
const (
	TaintControlPlane  = "node-role.kubernetes.io/control-plane"
	TaintUninitialized = "node.cloudprovider.kubernetes.io/uninitialized"
	CriticalAddonsOnly = "CriticalAddonsOnly"

	KubeProxyName  = "kube-proxy"
	CoreDNSName    = "coredns"
	CoreDNSPodName = "coredns" // the container in kubeadm's CoreDNS Deployment
	Namespace      = "kube-system"

	// WebhookDomain ends the names of kubeadm-lint's webhooks: "kube-proxy.kubeadm-lint.dev"
	// keeps the kube-proxy fix, and the cluster audit looks for it by that name.
	WebhookDomain = "kubeadm-lint.dev"
)

// DefaultTolerations are the guide's kube-proxy tolerations: critical add-ons and control-plane
// nodes, but not the blanket "operator: Exists" kubeadm renders, so kube-proxy waits until the
// cloud-controller-manager has initialised a node (kubernetes/kubeadm#1027).
func DefaultTolerations() []corev1.Toleration {
	return []corev1.Toleration{
		{Key: CriticalAddonsOnly, Operator: corev1.TolerationOpExists},
		{Key: TaintControlPlane, Effect: corev1.TaintEffectNoSchedule},
	}
}

// Tolerations returns the kube-proxy list to enforce: custom, or the default when custom is
// empty, plus the uninitialized taint when keepUninitialized is set. A cloud-controller-manager
// that reaches the API server through the kubernetes Service IP needs kube-proxy before it can
// initialise the node, so it needs that toleration.
func Tolerations(custom []corev1.Toleration, keepUninitialized bool) []corev1.Toleration {
	ts := custom
	if len(ts) == 0 {
		ts = DefaultTolerations()
	}
	if keepUninitialized {
		ts = append(ts[:len(ts):len(ts)], corev1.Toleration{Key: TaintUninitialized, Value: "true", Effect: corev1.TaintEffectNoSchedule})
	}
	return ts
}

// CheckToleration applies the API server's own rules, so that a bad list fails when it is
// configured rather than on every kube-proxy write.
func CheckToleration(t corev1.Toleration) error {
	switch t.Operator {
	case corev1.TolerationOpExists:
		if t.Value != "" {
			return fmt.Errorf("operator Exists takes no value")
		}
	case corev1.TolerationOpEqual, "":
		if t.Key == "" {
			return fmt.Errorf("operator Equal needs a key")
		}
	default:
		return fmt.Errorf("unknown operator %q", t.Operator)
	}
	switch t.Effect {
	case "", corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
	default:
		return fmt.Errorf("unknown effect %q", t.Effect)
	}
	if t.TolerationSeconds != nil && t.Effect != corev1.TaintEffectNoExecute {
		return fmt.Errorf("tolerationSeconds needs effect NoExecute")
	}
	return nil
}

// ToleratesAll reports whether a list holds kubeadm's blanket toleration: one that matches every
// NoSchedule taint, the cloud provider's uninitialized taint included.
func ToleratesAll(ts []corev1.Toleration) bool {
	for _, t := range ts {
		if t.Key == "" && t.Operator == corev1.TolerationOpExists && (t.Effect == "" || t.Effect == corev1.TaintEffectNoSchedule) {
			return true
		}
	}
	return false
}

// SameTolerations compares as sets: the order of tolerations has no meaning to the scheduler.
func SameTolerations(a, b []corev1.Toleration) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && equalToleration(x, y) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}

// equalToleration treats an empty operator as Equal, as the API server does.
func equalToleration(a, b corev1.Toleration) bool {
	op := func(t corev1.Toleration) corev1.TolerationOperator {
		if t.Operator == "" {
			return corev1.TolerationOpEqual
		}
		return t.Operator
	}
	secs := func(t corev1.Toleration) int64 {
		if t.TolerationSeconds == nil {
			return -1
		}
		return *t.TolerationSeconds
	}
	return a.Key == b.Key && op(a) == op(b) && a.Value == b.Value && a.Effect == b.Effect && secs(a) == secs(b)
}
