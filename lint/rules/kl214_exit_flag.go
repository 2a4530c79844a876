package rules

import (
	"fmt"
	"strconv"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL214 = &lint.Rule{
	ID:       "KL214",
	Name:     "exit-flag",
	Summary:  "an extraArgs flag makes the component print something and exit, so its Pod restarts forever",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster, lint.KindInit, lint.KindJoin},
	Run: func(p *lint.Pass) {
		for _, e := range flagEntries(p) {
			if e.flag == nil || e.valueErr != nil {
				continue // KL207, KL210
			}
			// --version=v1.2.3 only sets the version the component reports; it runs on.
			switch on, _ := strconv.ParseBool(e.arg.Value); {
			case e.flag.Name == "version" && (on || e.arg.Value == "raw"):
				p.Report(p.Doc, lint.Finding{Path: e.valueAt(),
					Message: fmt.Sprintf("--version=%s makes %s print its version and exit", e.arg.Value, e.comp.Name),
					Hint:    "remove the flag, or the static Pod restarts forever"})
			case e.flag.Name == "help" && on:
				p.Report(p.Doc, lint.Finding{Path: e.valueAt(),
					Message: fmt.Sprintf("--help=%s makes %s print its usage and exit", e.arg.Value, e.comp.Name),
					Hint:    "remove the flag, or the static Pod restarts forever"})
			}
		}
	},
	Doc: doc(`
A component given --version or --help prints and exits with status 0. As a static Pod it is
restarted at once, prints again, and never serves; 'kubeadm init' waits for it until it times
out, and the kubelet, which reads kubeletExtraArgs, never registers the node. The flags parse,
so nothing else reports them.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: version
    value: "true"`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: v
    value: "2"`, `the components' --version and --help flags (component-base verflag, cobra); the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane").`),
}
