package rules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL212 = &lint.Rule{
	ID:       "KL212",
	Name:     "deprecated-feature-gate",
	Summary:  "a feature gate that the release deprecated and a later one removes",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		for _, pr := range gateProblems(p) {
			if pr.Kind == release.GateDeprecated {
				p.Report(pr.Doc, lint.Finding{Path: pr.at(pr.Gate),
					Message: fmt.Sprintf("feature gate %s is deprecated in %s", pr.Gate, what(pr.comp, pr.rel)),
					Hint:    "stop setting it, as a later release removes it and the component then exits at start"})
			}
		}
		c, doc := clusterConfig(p.File)
		if c == nil {
			return
		}
		kubeadm := p.Options.Release().Component(release.Kubeadm)
		for _, name := range slices.Sorted(maps.Keys(c.FeatureGates)) {
			if g := kubeadm.Gate(name); g != nil && g.Deprecation != "" {
				p.Report(doc, lint.Finding{
					Path:    "featureGates." + name,
					Message: fmt.Sprintf("kubeadm feature gate %s is deprecated in %s", name, p.Options.Release().Name()),
					Hint:    upstreamNote("kubeadm", g.Deprecation),
				})
			}
		}
	},
	Doc: doc(`
A deprecated feature gate still works, with a warning in a log nobody reads on a static Pod,
and a later release removes it; from then on the component refuses to start (KL211). This
covers the feature-gates flags of extraArgs, the featureGates of KubeletConfiguration and
KubeProxyConfiguration, and kubeadm's own featureGates, with kubeadm's deprecation message.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  DisableCPUQuotaWithExclusiveCPUs: true`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration`, `generated from each release's feature gate registries by hack/flags.`),
}
