package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL209 = &lint.Rule{
	ID:       "KL209",
	Name:     "deprecated-flag",
	Summary:  "an extraArgs flag the component has deprecated, with upstream's own text",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster, lint.KindInit, lint.KindJoin},
	Run: func(p *lint.Pass) {
		for _, e := range flagEntries(p) {
			if e.flag != nil && e.flag.Deprecated != "" {
				p.Report(p.Doc, lint.Finding{
					Path:    e.at(),
					Message: fmt.Sprintf("--%s is deprecated in %s", e.flag.Name, what(e.comp, e.rel)),
					Hint:    upstreamNote(e.comp.Name, e.flag.Deprecated),
				})
			}
		}
	},
	Doc: doc(`
A deprecated flag still works, with a warning in the component's log that nobody reads on a
static Pod, and a later release removes it: then the component exits at start after an upgrade
(KL208). The hint quotes the deprecation text the component itself registers, which usually
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

// upstreamNote quotes the deprecation text a component registers, which usually names the
// replacement, as a hint: it is the component's own words, often more than one sentence.
func upstreamNote(component, text string) string {
	return fmt.Sprintf("%s's own note: %q", component, strings.TrimSuffix(strings.TrimSpace(text), "."))
}
