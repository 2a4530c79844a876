package audit

import (
	"context"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL604 = &lint.Rule{
	ID:       "KL604",
	Name:     "coredns-pending-without-network",
	Summary:  "coredns is Pending because no pod network add-on is installed",
	Check:    checkCoreDNS,
	Severity: lint.SeverityError,
	Doc: `kubeadm does not install a pod network. Until one is, the kubelets report
` + "`NetworkReady=false`" + `, the nodes stay NotReady and CoreDNS stays Pending: the cluster has no DNS.
This is expected right after ` + "`kubeadm init`" + `, and a fault if it lasts.

Bad: CoreDNS Pods Pending while a node says ` + "`cni plugin not initialized`" + `.

Good: install a pod network add-on whose Pod CIDR matches ` + "`networking.podSubnet`" + `, such as
Calico, Cilium or Flannel.

Source: the troubleshooting guide, "CoreDNS is stuck in the Pending state".`,
}

var KL605 = &lint.Rule{
	ID:       "KL605",
	Name:     "coredns-crash-loop",
	Summary:  "coredns is in CrashLoopBackOff",
	Check:    checkCoreDNS,
	Severity: lint.SeverityError,
	Doc: `A CoreDNS that restarts again and again leaves the cluster without DNS. The guide names two
causes:

- a forwarding loop: the node's ` + "`/etc/resolv.conf`" + ` points at a local resolver, such as
  systemd-resolved's 127.0.0.53, and CoreDNS forwards to itself; its ` + "`loop`" + ` plugin then stops it.
  Point the kubelet's ` + "`resolvConf`" + ` at the real file, ` + "`/run/systemd/resolve/resolv.conf`" + `;
- SELinux with Docker older than 1.13, which denies CoreDNS unless its container has
  ` + "`allowPrivilegeEscalation: true`" + ` (` + "`kubeadm-lint emit --coredns-allow-privilege-escalation`" + `
  writes the patch, which weakens CoreDNS's security).

Read the container's log first: ` + "`kubectl -n kube-system logs -l k8s-app=kube-dns --previous`" + `.

Bad: a node whose /etc/resolv.conf names 127.0.0.53, passed to CoreDNS as its upstream.

Good: the kubelet's ` + "`resolvConf`" + ` pointing at the real upstream file, such as
` + "`/run/systemd/resolve/resolv.conf`" + `.

Source: the troubleshooting guide, "CoreDNS Pods are in CrashLoopBackOff or Error state".`,
}

// coreDNSSelector selects the Pods of kubeadm's CoreDNS Deployment.
const coreDNSSelector = "k8s-app=kube-dns"

// coreDNS checks the CoreDNS Pods.
func (a *auditor) coreDNS(ctx context.Context) error {
	err := a.kubeSystemPods(ctx, coreDNSSelector, func(p *corev1.Pod) {
		a.rep.Checked++
		object := ref("Pod", p.Namespace, p.Name)
		for _, c := range p.Spec.Containers {
			if c.Name == "coredns" && a.coreDNSVersion == "" {
				a.coreDNSVersion = strings.TrimPrefix(tagOf(c.Image), "v")
			}
		}
		if p.Status.Phase == corev1.PodPending && a.nodeStats != nil && a.nodeStats.networkNotReady > 0 {
			a.reportf(KL604, object, "install a pod network add-on whose Pod CIDR matches networking.podSubnet",
				"the CoreDNS Pod %s is Pending while %d node(s) have no pod network", p.Name, a.nodeStats.networkNotReady)
		}
		for _, c := range p.Status.ContainerStatuses {
			if w := c.State.Waiting; w != nil && w.Reason == "CrashLoopBackOff" {
				a.reportf(KL605, object, "read its log (kubectl -n kube-system logs "+p.Name+" --previous); the usual causes are a resolv.conf that loops back to a local resolver, and SELinux denying it",
					"the CoreDNS Pod %s is in CrashLoopBackOff after %d restarts", p.Name, c.RestartCount)
				break
			}
		}
	})
	if a.forbidden(err, "list", "pods", metav1.NamespaceSystem, "the CoreDNS checks") {
		return nil
	}
	return err
}
