package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL203 = &lint.Rule{
	ID:       "KL203",
	Name:     "control-plane-endpoint",
	Summary:  "no controlPlaneEndpoint, so control-plane nodes can never be added",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c != nil && c.ControlPlaneEndpoint == "" && p.File.Doc(lint.KindJoin) == nil {
			p.ReportIn(cdoc, "controlPlaneEndpoint", "no controlPlaneEndpoint: the cluster is tied to this node's address and 'kubeadm join --control-plane' will refuse to add more control-plane nodes; set a DNS name or a load balancer address now, as it cannot be added later without re-issuing certificates")
		}
		if j := p.File.Join(); j == nil || j.ControlPlane == nil || c == nil || c.ControlPlaneEndpoint != "" {
			return
		}
		p.Report(p.File.Doc(lint.KindJoin), lint.Finding{
			Path:     "controlPlane",
			Severity: lint.SeverityError,
			Message:  "this control-plane join belongs to a cluster without controlPlaneEndpoint (see its ClusterConfiguration): kubeadm refuses to add a control-plane node to it",
		})
	},
	Doc: doc(`
kubeadm can add control-plane nodes only to a cluster that was created with a controlPlaneEndpoint,
a stable DNS name or load-balancer address that every kubeconfig and certificate uses. Without
one, the first node's address is baked in, and 'kubeadm join --control-plane' fails with "unable to
add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint
address". Adding it later means new certificates and kubeconfigs on every node. A control-plane
JoinConfiguration next to a ClusterConfiguration without the endpoint is an error.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2
controlPlaneEndpoint: k8s-api.example.com:6443`, `kubeadm HA documentation; kubernetes/kubeadm#1868.`),
}
