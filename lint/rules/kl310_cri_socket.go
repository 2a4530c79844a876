package rules

import (
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL310 = &lint.Rule{
	ID:       "KL310",
	Name:     "cri-socket",
	Summary:  "criSocket lacks the unix:// scheme, or names dockershim, which is gone",
	Severity: lint.SeverityWarning,
	Also:     []lint.Severity{lint.SeverityError},
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			node := nr.Doc.Lookup("nodeRegistration.criSocket")
			if node == nil {
				continue
			}
			socket := node.Value
			switch {
			case strings.Contains(socket, "dockershim.sock"):
				p.Report(nr.Doc, lint.Finding{Path: "nodeRegistration.criSocket", Severity: lint.SeverityError,
					Message: "criSocket " + quote(socket) + " is dockershim, removed in v1.24",
					Hint:    "use containerd, CRI-O or cri-dockerd (unix:///var/run/cri-dockerd.sock)"})
			case socket != "" && !strings.Contains(socket, "://"):
				p.Report(nr.Doc, lint.Finding{Path: "nodeRegistration.criSocket",
					Message: "criSocket " + quote(socket) + " has no URL scheme",
					Hint:    "write " + quote("unix://"+socket) + ", as kubeadm prepends unix:// with a deprecation warning",
					Fixes:   []lint.Fix{{Message: "add the unix:// scheme", Edits: []lint.Edit{{Path: "nodeRegistration.criSocket", Value: "unix://" + socket}}}}})
			}
		}
	},
	Doc: doc(`
kubeadm expects criSocket as a URL. A bare path still works, with a warning, because kubeadm
prepends unix://, but the kubelet is headed for rejecting it. The dockershim socket stopped working
in v1.24, when the kubelet dropped dockershim; Docker needs cri-dockerd since.`, `
nodeRegistration:
  criSocket: /run/containerd/containerd.sock`, `
nodeRegistration:
  criSocket: unix:///run/containerd/containerd.sock`, `kubernetes/kubernetes#107295; kubernetes/kubeadm#2426.`),
}
