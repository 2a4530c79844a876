package rules

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/version"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL204 = &lint.Rule{
	ID:       "KL204",
	Name:     "version-skew",
	Summary:  "kubernetesVersion is newer than the target kubeadm, or a join uses a newer kubeadm than the cluster",
	Severity: lint.SeverityError,
	Also:     []lint.Severity{lint.SeverityWarning},
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		// An upgrade sets kubernetesVersion to its target: the file's own is the release before.
		if c == nil || !cdoc.Has("kubernetesVersion") || p.Options.Upgrading {
			return
		}
		v, err := version.ParseGeneric(strings.TrimPrefix(c.KubernetesVersion, "v"))
		if err != nil {
			return // a label or KL009's business
		}
		target := p.Options.Target()
		tm, vm := int(target.Minor()), int(v.Minor())
		switch {
		case vm > tm+1:
			p.Report(cdoc, lint.Finding{Path: "kubernetesVersion",
				Message: fmt.Sprintf("kubernetesVersion %s is %d minor releases newer than kubeadm v1.%d", c.KubernetesVersion, vm-tm, tm),
				Hint:    fmt.Sprintf("use kubeadm v1.%d, as kubeadm deploys at most one release newer than its own", vm)})
		case vm == tm+1:
			p.Report(cdoc, lint.Finding{Path: "kubernetesVersion", Severity: lint.SeverityWarning,
				Message: "kubernetesVersion " + c.KubernetesVersion + " is newer than kubeadm v1." + strconv.Itoa(tm),
				Hint:    "use kubeadm v1." + strconv.Itoa(vm) + ", as this kubeadm may not know the settings its control plane needs"})
		case p.File.Doc(lint.KindJoin) != nil && vm < tm && !p.Options.TargetAssumed:
			// Without --kubernetes-version the kubeadm that joins is unknown, and a file that
			// names its cluster's release is most likely joined with that release's kubeadm.
			p.Report(p.File.Doc(lint.KindJoin), lint.Finding{Path: "kind", Severity: lint.SeverityWarning,
				Message: "this node joins a v1." + strconv.Itoa(vm) + " cluster with kubeadm v1." + strconv.Itoa(tm),
				Hint:    "join with kubeadm v1." + strconv.Itoa(vm) + ", as a newer kubeadm may need RBAC rules and configuration the cluster lacks"})
		}
	},
	Doc: doc(`
kubeadm supports one minor release of skew. kubeadm v1.N deploys control planes of v1.(N-1) to
v1.N (older ones are KL009) and warns on v1.(N+1). Joining a node with a kubeadm newer than the
cluster is how the guide's "v1.18 node cannot join a v1.17 cluster" failure happens: the new
kubeadm needs RBAC rules that only its own release's 'init' or 'upgrade' creates. The target
kubeadm release is --kubernetes-version; the join is checked only when it is given, since a file
that names its cluster's release is otherwise most likely joined with that release's kubeadm.`, `
# kubeadm-lint --kubernetes-version v1.37
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.39.0`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2`, `the kubeadm troubleshooting guide ("Failed to join a v1.18 Node to a v1.17 cluster due to missing RBAC"); kubeadm's version skew policy.`),
}
