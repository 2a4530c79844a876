package rules

import (
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL312 = &lint.Rule{
	ID:       "KL312",
	Name:     "event-record-qps-zero",
	Summary:  "eventRecordQPS: 0 means no limit from v1.37",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindKubelet},
	Run: func(p *lint.Pass) {
		kc, ok := object[*kubeletv1beta1.KubeletConfiguration](p)
		if !ok || kc.EventRecordQPS == nil || *kc.EventRecordQPS != 0 || p.Options.TargetMinor() < 37 {
			return
		}
		p.Report(p.Doc, lint.Finding{Path: "eventRecordQPS",
			Message: "eventRecordQPS is 0, which from v1.37 lifts the limit on events",
			Hint:    "set a limit such as 50, the default, or remove the field, unless unlimited events are meant"})
	},
	Doc: doc(`
Before v1.37 the kubelet handed eventRecordQPS: 0 to client-go, which reads a QPS of 0 as its
default of 5 per second. From v1.37 the kubelet turns 0 into no limit at all
(cmd/kubelet/app/server.go, "If the value of EventRecordQPS is 0, there is no limit enforced";
kubernetes/kubernetes#117119, an Urgent Upgrade Note). A config that set 0 to mean "the default"
now lets a crash-looping pod flood the API server with events. Unset, the field defaults to 50.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
eventRecordQPS: 0`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
eventRecordQPS: 50`, `kubernetes/kubernetes#117119; cmd/kubelet/app/server.go of v1.37.2 and v1.36.3.`),
}
