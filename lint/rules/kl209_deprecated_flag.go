package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL209 = &lint.Rule{
	ID:       "KL209",
	Name:     "deprecated-flag",
	Summary:  "an extraArgs flag the component has deprecated, with upstream's own text",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster, lint.KindInit, lint.KindJoin},
	Run: func(p *lint.Pass) {
		for _, l := range flagLists(p) {
			if l.Doc != p.Doc {
				continue
			}
			for i, arg := range l.Args {
				if f := l.comp.Flag(arg.Name); f != nil && f.Deprecated != "" {
					p.Reportf(l.At(i), "--%s is deprecated in %s: %s", f.Name, what(l.comp, l.rel), f.Deprecated)
				}
			}
		}
	},
	Doc: doc(`
A deprecated flag still works, with a warning in the component's log that nobody reads on a
static Pod, and a later release removes it: then the component exits at start after an upgrade
(KL208). The message quotes the deprecation text the component itself registers, which usually
names the replacement, often a field of the component's configuration file.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
  - name: cgroup-driver
    value: systemd`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd`, `generated from each release's component flag sets by hack/flags.`),
}
