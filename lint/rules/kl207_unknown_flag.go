package rules

import (
	"fmt"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL207 = &lint.Rule{
	ID:       "KL207",
	Name:     "unknown-flag",
	Summary:  "an extraArgs flag the component does not have, so it exits at start",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster, lint.KindInit, lint.KindJoin},
	// KL308 held a hand-written list of removed kubelet flags.
	Replaces: []string{"KL308"},
	Run: func(p *lint.Pass) {
		for _, e := range flagEntries(p) {
			if e.flag != nil {
				continue
			}
			comp, h := what(e.comp, e.rel), e.history()
			switch s := e.comp.Suggest(e.arg.Name); {
			case h.last != "": // KL208
			case h.added != "":
				p.Reportf(e.at(), "%s has no flag --%s (%s adds it)", comp, e.arg.Name, h.added)
			case s != "":
				p.Report(p.Doc, lint.Finding{Path: e.at(),
					Message: fmt.Sprintf("%s has no flag --%s", comp, e.arg.Name),
					Hint:    fmt.Sprintf("did you mean --%s?", s)})
			default:
				p.Reportf(e.at(), "%s has no flag --%s", comp, e.arg.Name)
			}
		}
	},
	Doc: doc(`
kubeadm copies extraArgs and kubeletExtraArgs into the static Pod manifests and
/var/lib/kubelet/kubeadm-flags.env without checking them, and 'kubeadm config validate' accepts
any name. A flag the component does not have stops it at start with "unknown flag", and
'kubeadm init' waits minutes for a control plane that never comes up: the troubleshooting
guide's "kubeadm waits forever". The flags come from tables generated from each release's
source, one per component (kube-apiserver, kube-controller-manager, kube-scheduler, the kubelet
and the etcd that kubeadm deploys), so a misspelt name gets the nearest real one. Flags that a
newer release removed are KL208. Old configs still carry flags removed long ago, such as the
API server's --insecure-port (gone since v1.24).`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: insecure-port
    value: "0"
  - name: enable-admision-plugins
    value: NodeRestriction`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction`, `the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane"); generated from each release's component flag sets by hack/flags.`),
}
