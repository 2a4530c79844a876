package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL208 = &lint.Rule{
	ID:       "KL208",
	Name:     "removed-flag",
	Summary:  "an extraArgs flag that an earlier release had and the target release removed",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster, lint.KindInit, lint.KindJoin},
	Run: func(p *lint.Pass) {
		for _, e := range flagEntries(p) {
			if e.flag != nil {
				continue
			}
			if h := e.history(); h.last != "" {
				p.Reportf(e.at(), "--%s was removed in %s %s (%s has it)", e.arg.Name, e.comp.Name, h.removed, h.last)
			}
		}
	},
	Doc: doc(`
A flag that the previous release still had, often deprecated there, is gone in the target
release, and the component exits at start with "unknown flag". This is what breaks a
'kubeadm upgrade' of a cluster whose ClusterConfiguration carries the flag: the new static Pod
never becomes ready. The kubelet's --pod-infra-container-image went this way in v1.35, and many
--experimental-* flags of etcd in 3.7. The finding names the last release that had the flag.
The tables go back to v1.34; a flag removed before that, such as --insecure-port (v1.24), is
KL207's.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
  - name: concurrent-service-syncs
    value: "5"`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
  - name: concurrent-service-endpoint-syncs
    value: "5"`, `generated from each release's component flag sets by hack/flags; kubernetes/kubeadm#3281.`),
}
