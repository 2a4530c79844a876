package rules

import (
	"regexp"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// commaFlag finds the broken workaround ",flag-name=" inside a value.
var commaFlag = regexp.MustCompile(`,([a-z][a-z0-9-]*)=`)

var KL201 = &lint.Rule{
	ID:       "KL201",
	Name:     "extra-args-comma-workaround",
	Summary:  "an extraArgs value carries ',flag-name=', the broken workaround for comma-separated flag values",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		for _, l := range allArgs(p.File) {
			for i, arg := range l.Args {
				m := commaFlag.FindStringSubmatch(arg.Value)
				if m == nil || m[1] != arg.Name {
					continue
				}
				joined := strings.ReplaceAll(arg.Value, ","+arg.Name+"=", ",")
				p.Report(l.Doc, lint.Finding{
					Path:    l.At(i),
					Message: "value " + quote(arg.Value) + " repeats " + quote(arg.Name+"="),
					Hint:    "write the list as one value, " + quote(joined) + ", as the flag takes the repeated name literally",
					Fixes: []lint.Fix{{
						Message: "join the values into one entry",
						Edits:   []lint.Edit{{Path: l.At(i) + ".value", Value: joined}},
					}},
				})
			}
		}
	},
	Doc: doc(`
On the command line, --apiserver-extra-args takes key=value pairs separated by commas, so a value
that itself holds commas cannot be written there. The old workaround of repeating the flag name,
'enable-admission-plugins=LimitRanger,enable-admission-plugins=NamespaceExists', does not work:
the component receives the whole text as one value and fails or ignores the plugins. In a
configuration file the list is simply one value.`, `
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: LimitRanger,enable-admission-plugins=NamespaceExists`, `
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: LimitRanger,NamespaceExists`, `the kubeadm troubleshooting guide ("Not possible to pass a comma separated list of values to arguments inside a --component-extra-args flag"); kubernetes/kubeadm#1413.`),
}

func quote(s string) string { return `"` + s + `"` }
