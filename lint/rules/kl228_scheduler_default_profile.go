package rules

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	schedulerconfig "k8s.io/kubernetes/pkg/scheduler/apis/config"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL228 = &lint.Rule{
	ID:       "KL228",
	Name:     "scheduler-default-profile-missing",
	Summary:  "a KubeSchedulerConfiguration has no default-scheduler profile, so the Pods that name no scheduler, CoreDNS among them, stay Pending",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindScheduler},
	Run: func(p *lint.Pass) {
		c, ok := object[*schedulerconfig.KubeSchedulerConfiguration](p)
		if !ok || len(c.Profiles) == 0 {
			return // defaulting gives the one profile, default-scheduler
		}
		var names []string
		for _, prof := range c.Profiles {
			if prof.SchedulerName == "" || prof.SchedulerName == corev1.DefaultSchedulerName {
				return
			}
			names = append(names, prof.SchedulerName)
		}
		p.Report(p.Doc, lint.Finding{Path: "profiles",
			Message: fmt.Sprintf("no profile is named %s (the profiles are %s)", corev1.DefaultSchedulerName, strings.Join(names, ", ")),
			Hint: fmt.Sprintf("name one profile %s if kubeadm's scheduler reads this file: every Pod that names no scheduler, CoreDNS and kube-proxy's included, waits for it",
				corev1.DefaultSchedulerName)})
	},
	Doc: doc(`
A Pod that sets no spec.schedulerName gets default-scheduler, and only a scheduler profile of that
name places it. kube-scheduler starts with any set of profile names, so a configuration whose
profiles were all renamed (bin-packing, gpu) passes every check and kubeadm init completes; then
CoreDNS, and every Deployment after it, stays Pending for good, and 'kubeadm join' seems to hang
on networking. A second scheduler that runs beside the default one has no default-scheduler
profile on purpose: suppress the finding for its file. The name is core/v1's DefaultSchedulerName.`, `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: /etc/kubernetes/scheduler.conf
profiles:
- schedulerName: bin-packing`, `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: /etc/kubernetes/scheduler.conf
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packing`, `k8s.io/api core/v1 (DefaultSchedulerName); k8s.io/kubernetes pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_KubeSchedulerConfiguration) and pkg/scheduler/scheduler.go (the profile a Pod's schedulerName selects).`),
}
