package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL216 = &lint.Rule{
	ID:       "KL216",
	Name:     "event-rate-limit-config",
	Summary:  "the EventRateLimit admission plugin is enabled without admission-control-config-file",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c := p.File.Cluster()
		if c == nil {
			return
		}
		for _, a := range controlPlaneArgs(c) {
			if a.Component != release.APIServer {
				continue
			}
			v, i, ok := a.Get("enable-admission-plugins")
			if !ok || !contains(listed(v), "EventRateLimit") {
				return
			}
			if f, _, ok := a.Get("admission-control-config-file"); ok && f != "" {
				return
			}
			p.Report(p.Doc, lint.Finding{Path: a.At(i),
				Message: "EventRateLimit is enabled without admission-control-config-file",
				Hint:    "set admission-control-config-file to an AdmissionConfiguration with the EventRateLimit limits, mounted through extraVolumes, or kube-apiserver exits at start"})
		}
	},
	Doc: doc(`
The EventRateLimit admission plugin (CIS 1.2.9) takes its limits from the AdmissionConfiguration
that admission-control-config-file names, and has no defaults: without the file the plugin gets
no configuration and kube-apiserver fails at start (plugin/pkg/admission/eventratelimit builds its
limit enforcers from a nil configuration). The file must also be mounted into the static Pod
(KL215).`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction,EventRateLimit`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction,EventRateLimit
  - name: admission-control-config-file
    value: /etc/kubernetes/admission/config.yaml
  extraVolumes:
  - name: admission
    hostPath: /etc/kubernetes/admission
    mountPath: /etc/kubernetes/admission
    readOnly: true`, `CIS Kubernetes Benchmark v1.12 control 1.2.9; kubernetes/kubernetes plugin/pkg/admission/eventratelimit/admission.go.`),
}
