package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// accumulatingFlags may be given more than once; the component collects every value.
var accumulatingFlags = map[string]bool{
	"service-account-issuer":   true,
	"tls-sni-cert-key":         true,
	"service-account-key-file": true,
}

var KL202 = &lint.Rule{
	ID:       "KL202",
	Name:     "duplicate-extra-arg",
	Summary:  "a flag appears twice in a v1beta4 extraArgs list, and the later value silently wins",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		for _, l := range allArgs(p.File) {
			if l.Doc.Version == "v1beta3" {
				continue // a map: duplicates are KL006
			}
			first := map[string]int{}
			for i, arg := range l.Args {
				j, seen := first[arg.Name]
				if !seen {
					first[arg.Name] = i
					continue
				}
				if accumulatingFlags[arg.Name] {
					continue
				}
				p.ReportIn(l.Doc, l.At(i), "%s is given again (first at %s): the component sees only %q; join the values into one entry", arg.Name, l.At(j), arg.Value)
			}
		}
	},
	Doc: doc(`
v1beta4 turned extraArgs into a list so that flags which accumulate, such as
--service-account-issuer, can be repeated. Most flags do not accumulate: the later entry replaces
the earlier one, and a second 'enable-admission-plugins' entry quietly drops the plugins of the
first.`, `
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction
  - name: enable-admission-plugins
    value: PodSecurity`, `
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction,PodSecurity`, `kubeadm v1beta4 documentation (structured extraArgs); the kubeadm troubleshooting guide on comma-separated values.`),
}
