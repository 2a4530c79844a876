package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL901 = &lint.Rule{
	ID:       "KL901",
	Name:     "ignored-on-join",
	Summary:  "a join file carries cluster-wide configuration that kubeadm join ignores",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		if !ignoredOnJoin(p.File) {
			return
		}
		for _, d := range p.File.Docs {
			switch d.Kind {
			case lint.KindCluster, lint.KindKubelet, lint.KindKubeProxy:
				p.Report(d, lint.Finding{Path: "kind",
					Message: d.Kind + " in a file whose only kubeadm kind is JoinConfiguration",
					Hint:    "change the cluster's kubeadm-config, kubelet-config or kube-proxy ConfigMap instead, as 'kubeadm join' ignores this document"})
			}
		}
	},
	Doc: doc(`
'kubeadm join' reads only the JoinConfiguration. The ClusterConfiguration, KubeletConfiguration and
KubeProxyConfiguration come from the cluster, from the ConfigMaps 'kubeadm init' uploaded. Settings
put next to a JoinConfiguration, such as a different cgroupDriver for a worker, are silently
dropped. Per-node kubelet settings go in nodeRegistration.kubeletExtraArgs or in --patches.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  file:
    kubeConfigPath: /etc/kubernetes/discovery.conf
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPods: 250`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  file:
    kubeConfigPath: /etc/kubernetes/discovery.conf
nodeRegistration:
  kubeletExtraArgs:
  - name: max-pods
    value: "250"`, `kubeadm join documentation; kubeadm's documentMapToJoinConfiguration ("Ignored configuration document").`),
}
