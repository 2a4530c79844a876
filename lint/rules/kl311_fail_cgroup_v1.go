package rules

import (
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL311 = &lint.Rule{
	ID:       "KL311",
	Name:     "fail-cgroup-v1-off",
	Summary:  "failCgroupV1: false keeps the kubelet running on cgroup v1, whose support is going away",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindKubelet},
	Run: func(p *lint.Pass) {
		kc, ok := object[*kubeletv1beta1.KubeletConfiguration](p)
		if !ok || kc.FailCgroupV1 == nil || *kc.FailCgroupV1 || p.Options.TargetMinor() < 35 {
			return
		}
		p.Report(p.Doc, lint.Finding{Path: "failCgroupV1",
			Message: "failCgroupV1 is false",
			Hint:    "move the nodes to cgroup v2, as cgroup v1 support is deprecated and the opt-out is to be removed"})
	},
	Doc: doc(`
From v1.35 the kubelet refuses to start on a cgroup v1 host unless failCgroupV1: false says
otherwise: its v1beta1 default turned from false to true (pkg/kubelet/apis/config/v1beta1/defaults.go,
kubernetes/kubernetes#134298, KEP-5573). The opt-out keeps old nodes running for now; cgroup v1
support is deprecated and the field is to go, so the nodes need cgroup v2.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# on cgroup v2 hosts, failCgroupV1 keeps its default, true`, `kubernetes/kubernetes#134298 (KEP-5573); the kubelet's v1beta1 defaults of v1.35.4.`),
}
