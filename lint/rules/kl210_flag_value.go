package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL210 = &lint.Rule{
	ID:       "KL210",
	Name:     "invalid-flag-value",
	Summary:  "an extraArgs value the flag's type cannot parse, so the component exits at start",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster, lint.KindInit, lint.KindJoin},
	Run: func(p *lint.Pass) {
		for _, e := range flagEntries(p) {
			if e.valueErr != nil {
				p.Reportf(e.valueAt(), "invalid value %q for --%s (%s): %v", e.arg.Value, e.flag.Name, e.flag.Type, e.valueErr)
			}
		}
	},
	Doc: doc(`
kubeadm passes each extraArgs entry as --name=value. The component parses it with the flag's
own type when it starts, and a value that does not parse stops it: "invalid argument "maybe"
for "--profiling" flag". The linter parses the value with the same flag types (booleans,
integers, durations, IP addresses and CIDRs, port ranges, lists and maps, etcd's URL lists and
enumerations), so the component's own message is the finding's, and runs the checks a component
makes right after its flags parse: the kubelet's --node-labels, and the compatibility
registry's --emulated-version and --min-compatibility-version (MAJOR.MINOR, a component it has).
Feature gates are parsed here and judged by KL211.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: profiling
    value: maybe
  - name: audit-log-maxage
    value: thirty`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: profiling
    value: "false"
  - name: audit-log-maxage
    value: "30"`, `generated from each release's component flag sets by hack/flags; the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane").`),
}
