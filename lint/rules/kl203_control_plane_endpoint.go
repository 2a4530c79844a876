package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL203 = &lint.Rule{
	ID:       "KL203",
	Name:     "control-plane-endpoint",
	Summary:  "no controlPlaneEndpoint, so control-plane nodes can never be added",
	Severity: lint.SeverityWarning,
	Also:     []lint.Severity{lint.SeverityError},
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c != nil && c.ControlPlaneEndpoint == "" && p.File.Doc(lint.KindJoin) == nil {
			p.Report(cdoc, lint.Finding{
				Path:    "controlPlaneEndpoint",
				Message: "no controlPlaneEndpoint",
				Hint:    "set a DNS name or load-balancer address now, as no other control-plane node can join without one and adding it later means re-issuing certificates",
			})
		}
		if j := p.File.Join(); j == nil || j.ControlPlane == nil || c == nil || c.ControlPlaneEndpoint != "" {
			return
		}
		p.Report(p.File.Doc(lint.KindJoin), lint.Finding{
			Path:     "controlPlane",
			Severity: lint.SeverityError,
			Message:  "control-plane join to a cluster without controlPlaneEndpoint",
			Hint:     "give the ClusterConfiguration a controlPlaneEndpoint, as kubeadm adds no control-plane node without one",
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
