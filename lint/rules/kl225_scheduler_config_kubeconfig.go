package rules

import (
	"fmt"

	schedulerconfig "k8s.io/kubernetes/pkg/scheduler/apis/config"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL225 = &lint.Rule{
	ID:       "KL225",
	Name:     "scheduler-config-kubeconfig",
	Summary:  "a KubeSchedulerConfiguration sets no clientConnection.kubeconfig, which kubeadm's scheduler needs when it reads the file",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindScheduler},
	Run: func(p *lint.Pass) {
		c, ok := object[*schedulerconfig.KubeSchedulerConfiguration](p)
		if !ok || c.ClientConnection.Kubeconfig != "" {
			return
		}
		kubeconfig := "/etc/kubernetes/scheduler.conf"
		for _, a := range p.Options.Release().StaticPods().Args(release.Scheduler) {
			if a.Name == "kubeconfig" {
				kubeconfig = a.Value
			}
		}
		path := "clientConnection"
		if !p.Doc.Has(path) {
			path = "kind"
		}
		p.Report(p.Doc, lint.Finding{Path: path,
			Message: "clientConnection.kubeconfig is unset, so kube-scheduler looks for in-cluster credentials",
			Hint:    fmt.Sprintf("set clientConnection.kubeconfig to %s if kubeadm's scheduler reads this file: with --config, kube-scheduler ignores kubeadm's --kubeconfig flag, and its static Pod has no in-cluster credentials", kubeconfig)})
	},
	Doc: doc(`
kubeadm starts kube-scheduler with --kubeconfig pointing at its own kubeconfig
(/etc/kubernetes/scheduler.conf). Once the scheduler's extraArgs give it a --config file, it takes
its client connection from that file alone: --kubeconfig is one of the deprecated flags it applies
only without --config (cmd/kube-scheduler/app/options, ApplyTo). A configuration without
clientConnection.kubeconfig then falls back to in-cluster credentials, which a static Pod on the
host network does not have, and the scheduler cannot reach the API server. A second scheduler
that runs as a Deployment may rely on in-cluster credentials on purpose: suppress the finding for
its file. The path in the hint is kubeadm's own, from the target release's static Pod.`, `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler`, `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: /etc/kubernetes/scheduler.conf
profiles:
- schedulerName: default-scheduler`, `k8s.io/kubernetes cmd/kube-scheduler/app/options/options.go (ApplyTo, ApplyDeprecated); kubeadm's controlplane/manifests.go (getSchedulerCommand).`),
}
