package rules

import (
	"fmt"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL101 = &lint.Rule{
	ID:       "KL101",
	Name:     "pod-service-subnet-overlap",
	Summary:  "podSubnet overlaps serviceSubnet",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		svcWritten := p.Doc.Has("networking.serviceSubnet")
		for _, pod := range subnets(c.Networking.PodSubnet) {
			for _, svc := range subnets(c.Networking.ServiceSubnet) {
				if !overlaps(pod, svc) {
					continue
				}
				f := lint.Finding{Path: "networking.podSubnet",
					Message: fmt.Sprintf("podSubnet %s overlaps serviceSubnet %s", pod, svc),
					Hint:    "move one of the subnets so that Service IPs and Pod IPs cannot collide"}
				if !svcWritten {
					f.Message = fmt.Sprintf("podSubnet %s overlaps kubeadm's default serviceSubnet %s", pod, svc)
					f.Hint = "choose another podSubnet, or set a serviceSubnet outside it"
				}
				p.Report(p.Doc, f)
			}
		}
	},
	Doc: doc(`
kubeadm does not check that the Pod and Service ranges are disjoint (kubernetes/kubeadm#3312).
When they overlap, a Service ClusterIP can equal a Pod IP, and traffic to one reaches the other or
nothing. The usual cause is a wide podSubnet such as 10.0.0.0/8 (Cilium's default) that swallows
kubeadm's default serviceSubnet 10.96.0.0/12. kubeadm's own validation already rejects a
serviceSubnet larger than it can allocate (KL008).`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.0.0.0/8`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.0.0.0/16
  serviceSubnet: 10.96.0.0/12`, `kubernetes/kubeadm#3312.`),
}
