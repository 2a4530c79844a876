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
		check := func(doc *lint.Document, a args) {
			if doc.Version == "v1beta3" {
				return // a map: duplicates are KL006
			}
			first := map[string]int{}
			for i, arg := range a.Args {
				j, seen := first[arg.Name]
				if !seen {
					first[arg.Name] = i
					continue
				}
				if accumulatingFlags[arg.Name] {
					continue
				}
				p.ReportIn(doc, a.At(i), "%s is given again (first at %s): the component sees only %q; join the values into one entry", arg.Name, a.At(j), arg.Value)
			}
		}
		if c, doc := clusterConfig(p.File); c != nil {
			for _, a := range controlPlaneArgs(c) {
				check(doc, a)
			}
		}
		for _, nr := range nodeRegistrations(p.File) {
			check(nr.Doc, nr.KubeletArgs)
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
