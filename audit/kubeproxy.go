package audit

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/version"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

var KL603 = &lint.Rule{
	ID:       "KL603",
	Name:     "kube-proxy-before-cloud-provider",
	Summary:  "kube-proxy runs on nodes the cloud-controller-manager has not initialised",
	Check:    checkKubeProxy,
	Severity: lint.SeverityError,
	Doc: `With an external cloud provider, the kubelet registers its node with the
` + "`node.cloudprovider.kubernetes.io/uninitialized`" + ` taint, and the cloud-controller-manager removes it
once it has set the node's addresses. kubeadm renders kube-proxy with ` + "`operator: Exists`" + `, which
tolerates that taint too: kube-proxy starts before the node has its addresses and keeps the wrong
ones until it restarts. ` + "`kubeadm upgrade`" + ` renders the DaemonSet again, so a fix by hand is lost.

The check runs when a node carries the taint or the ClusterConfiguration runs a control-plane
component with ` + "`cloud-provider: external`" + `. Its hint says whether the kubeadm-lint webhook or the
MutatingAdmissionPolicy of ` + "`kubeadm-lint emit`" + ` is installed to keep the fix across upgrades.

Bad:

    tolerations:
    - operator: Exists

Good, the guide's list:

    tolerations:
    - key: CriticalAddonsOnly
      operator: Exists
    - key: node-role.kubernetes.io/control-plane
      effect: NoSchedule

Source: the troubleshooting guide, "kube-proxy scheduled before the node is initialized by the
cloud-controller-manager"; kubernetes/kubeadm#1027.`,
}

// kubeProxy checks the kube-proxy DaemonSet's tolerations and version.
func (a *auditor) kubeProxy(ctx context.Context) error {
	// No kube-proxy is no finding: the add-on phase is skipped for a CNI that replaces it.
	ds, ok, err := get(ctx, a, a.cfg.Client.AppsV1().DaemonSets(metav1.NamespaceSystem).Get, kubeadm.KubeProxyName, "daemonsets", metav1.NamespaceSystem, "the kube-proxy checks", nil)
	if !ok {
		return err
	}
	object := ref("DaemonSet", metav1.NamespaceSystem, ds.Name)
	cloud := a.cluster.externalCloud || a.nodeStats != nil && a.nodeStats.uninitialized > 0
	if cloud && kubeadm.ToleratesAll(ds.Spec.Template.Spec.Tolerations) {
		a.reportf(KL603, object, a.kubeProxyHint(), "kube-proxy tolerates every taint, so it starts before the cloud-controller-manager initialises a node")
	}
	if cp, err := version.ParseGeneric(a.controlPlaneVersion()); err == nil {
		if tag := imageTag(ds, kubeadm.KubeProxyName); tag != "" {
			a.skew(object, "kube-proxy", tag, cp)
		}
	}
	return nil
}

// kubeProxyHint says how to fix the tolerations and what keeps the fix, from what is installed.
func (a *auditor) kubeProxyHint() string {
	switch {
	case a.webhookStats.kubeProxyWebhook:
		return "the kubeadm-lint webhook is installed and fixes the DaemonSet on its next write; check its logs if it did not on the last one"
	case a.webhookStats.kubeProxyPolicy:
		return "the MutatingAdmissionPolicy " + kubeadm.PolicyName + " is installed and fixes the DaemonSet on its next write; check that its binding exists"
	}
	return "neither the kubeadm-lint webhook nor its MutatingAdmissionPolicy is installed to keep the guide's tolerations: install one (kubeadm-lint emit writes the policy), then re-apply the DaemonSet"
}

// imageTag is the tag of the named container's image, without a digest; "" when it has none.
func imageTag(ds *appsv1.DaemonSet, container string) string {
	for _, c := range ds.Spec.Template.Spec.Containers {
		if c.Name == container {
			return tagOf(c.Image)
		}
	}
	return ""
}
