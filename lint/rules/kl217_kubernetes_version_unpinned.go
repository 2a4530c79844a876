package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// releaseLabel is kubeadm's kubeReleaseLabelRegex (cmd/kubeadm/app/util/version.go), after the
// "release/" or "ci/" bucket prefix that splitVersion removes.
var releaseLabel = regexp.MustCompile(`^((latest|stable)+(-[1-9](\.[1-9](\d)?)?)?)$`)

var KL217 = &lint.Rule{
	ID:       "KL217",
	Name:     "kubernetes-version-unpinned",
	Summary:  "kubernetesVersion is unset or a label such as stable-1, which kubeadm resolves over the network when it runs",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c == nil || p.File.Doc(lint.KindJoin) != nil {
			return // a join takes the cluster's version
		}
		hint := fmt.Sprintf("pin a release such as v1.%d.0, as the label gives the newest patch on the day kubeadm runs, or kubeadm's own version offline", p.Options.TargetMinor())
		if !cdoc.Has("kubernetesVersion") {
			p.Report(cdoc, lint.Finding{Path: "kubernetesVersion",
				Message: "kubernetesVersion is unset, so kubeadm resolves stable-1 over the network",
				Hint:    hint})
			return
		}
		v := c.KubernetesVersion
		label := v
		for _, bucket := range []string{"release/", "ci/"} {
			label = strings.TrimPrefix(label, bucket)
		}
		if releaseLabel.MatchString(label) {
			p.Report(cdoc, lint.Finding{Path: "kubernetesVersion",
				Message: fmt.Sprintf("kubernetesVersion %q is a label that kubeadm resolves over the network", v),
				Hint:    hint})
		}
	},
	Doc: doc(`
kubeadm defaults kubernetesVersion to the label stable-1 and resolves every label (stable,
stable-1, stable-1.37, latest, ci/latest) when it runs, by fetching
https://dl.k8s.io/release/<label>.txt (KubernetesReleaseVersion in cmd/kubeadm/app/util/version.go).
The control plane's version then depends on the day: the newest patch release published then,
capped at kubeadm's own minor release, and a latest label can pick a release candidate. Without
network access kubeadm warns and falls back to its own version. Two nodes set up from the same
file a week apart, or a CI job and an air-gapped install, get different images; the image
pre-pull ('kubeadm config images pull') may not match what init deploys. KL009 checks the
versions kubeadm cannot deploy and KL204 the skew; this rule asks for a pinned version.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: stable-1`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2`, `kubeadm's KubernetesReleaseVersion and the v1beta4 DefaultKubernetesVersion "stable-1".`),
}
