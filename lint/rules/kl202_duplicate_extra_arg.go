package rules

import (
	"fmt"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

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
			comp := componentRelease(p, l.Component).Component(l.Component)
			first := map[string]int{}
			for i, arg := range l.Args {
				f, name := comp.Flag(arg.Name), arg.Name
				if f != nil {
					name = f.Name // "audit_log_path" is the same flag
				}
				j, seen := first[name]
				if !seen {
					first[name] = i
					continue
				}
				if f != nil && f.Repeats() {
					continue // a list or map flag collects every value
				}
				p.Report(l.Doc, lint.Finding{Path: l.At(i),
					Message: fmt.Sprintf("%s is given again (first at %s)", arg.Name, l.At(j)),
					Hint:    fmt.Sprintf("join the values into one entry, as the component sees only %q", arg.Value)})
			}
		}
	},
	Doc: doc(`
v1beta4 turned extraArgs into a list so that flags which accumulate, such as
--service-account-issuer, can be repeated, and kubeadm v1.36 and later keep the list's order.
Only list and map flags accumulate (the flag's type, from the release's tables, says which): for
the others the later entry replaces the earlier one, and a second 'audit-log-path' entry
quietly moves the audit log. A repeated 'enable-admission-plugins' is fine: it is a list, and
the API server enables the plugins of both entries.`, `
apiServer:
  extraArgs:
  - name: audit-log-path
    value: /var/log/kubernetes/audit.log
  - name: audit-log-path
    value: /var/log/audit.log`, `
apiServer:
  extraArgs:
  - name: audit-log-path
    value: /var/log/kubernetes/audit.log`, `kubeadm v1beta4 documentation (structured extraArgs); the kubeadm troubleshooting guide on comma-separated values.`),
}
