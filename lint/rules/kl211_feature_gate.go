package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL211 = &lint.Rule{
	ID:       "KL211",
	Name:     "invalid-feature-gate",
	Summary:  "a feature gate the component does not have, or cannot set, so it exits at start",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		for _, pr := range gateProblems(p) {
			comp, at := what(pr.comp, pr.rel), pr.at(pr.Gate)
			switch pr.Kind {
			case release.GateUnknown:
				has := func(c *release.Component) bool { return c.Gate(pr.Gate) != nil }
				switch h := lookBack(pr.rel, pr.comp.Name, has); {
				case h.last != "":
					p.ReportIn(pr.Doc, at, "feature gate %s was removed in %s %s (%s has it)", pr.Gate, pr.comp.Name, h.removed, h.last)
				case h.added != "":
					p.ReportIn(pr.Doc, at, "%s has no feature gate %s (%s adds it)", comp, pr.Gate, h.added)
				default:
					p.ReportIn(pr.Doc, at, "%s has no feature gate %s", comp, pr.Gate)
				}
			case release.GateLocked:
				p.Report(pr.Doc, lint.Finding{Path: at,
					Message: fmt.Sprintf("feature gate %s is locked to %t in %s", pr.Gate, pr.comp.Gate(pr.Gate).Default, comp),
					Hint:    "remove the setting"})
			case release.GateNeedsDisabled:
				verb := "is"
				if len(pr.Requires) > 1 {
					verb = "are"
				}
				needs := strings.Join(pr.Requires, " and ")
				p.Report(pr.Doc, lint.Finding{Path: at,
					Message: fmt.Sprintf("feature gate %s is enabled in %s but needs %s, which %s disabled", pr.Gate, comp, needs, verb),
					Hint:    fmt.Sprintf("enable %s as well, or disable %s", needs, pr.Gate)})
			}
		}
	},
	Doc: doc(`
A component checks its feature gates when it starts and exits on a gate it does not know
("unrecognized feature gate"), on a gate locked to its default but set to the other value, and
on an enabled gate whose dependencies are disabled. Gates graduate to GA, get locked, and are
removed a few releases later, so a gate copied from an old guide, or kept through upgrades,
eventually stops the component. This checks the feature-gates flag of every extraArgs list and
the featureGates of KubeletConfiguration and KubeProxyConfiguration, against the gates each
component registers in the release (generated from its source), and names the last release
that had a removed gate. Deprecated gates are KL212.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: feature-gates
    value: NoSuchGate=true
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  NoSuchGate: true`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration`, `generated from each release's feature gate registries by hack/flags; the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane").`),
}
