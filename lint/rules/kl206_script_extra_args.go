package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// extraArgsFlags maps kubeadm's --*-extra-args flags to the ClusterConfiguration field that
// replaces them.
var extraArgsFlags = map[string]string{
	"--apiserver-extra-args":          "apiServer",
	"--controller-manager-extra-args": "controllerManager",
	"--scheduler-extra-args":          "scheduler",
}

var KL206 = &lint.Rule{
	ID:       "KL206",
	Name:     "script-extra-args-comma",
	Summary:  "a kubeadm command line in a shell script passes a comma-separated value through --*-extra-args",
	Severity: lint.SeverityError,
	Scripts:  true,
	Run: func(p *lint.Pass) {
		for _, cmd := range lint.ShellCommands(p.File.Name, p.Script) {
			if !isKubeadmInitOrJoin(cmd) {
				continue
			}
			for i, w := range cmd {
				flag, value, hasValue := strings.Cut(w.Text, "=")
				field, ok := extraArgsFlags[flag]
				if !ok {
					continue
				}
				pos := w.Pos
				if !hasValue && i+1 < len(cmd) {
					value, pos = cmd[i+1].Text, cmd[i+1].Pos
				}
				if key, list, bad := commaValue(value); bad {
					p.Report(nil, lint.Finding{Pos: pos, Path: flag,
						Message: fmt.Sprintf("%s %q carries a comma-separated value", flag, value),
						Hint:    fmt.Sprintf("use a config file with %s.extraArgs: [{name: %s, value: %q}], as kubeadm splits the flag at every comma", field, key, list)})
				}
			}
		}
	},
	Doc: doc(`
kubeadm's --apiserver-extra-args, --controller-manager-extra-args and --scheduler-extra-args take
key=value pairs separated by commas. A flag value that itself holds commas cannot be written
there: 'enable-admission-plugins=LimitRanger,NamespaceExists' fails with "malformed pair, expect
string=string", and the workaround of repeating the key keeps only the last value. The rule reads
shell scripts (files ending in .sh, or any file with --scripts), finds 'kubeadm init' and
'kubeadm join' command lines, and suggests the configuration-file form, where the list is one
value.`, `
# install.sh
kubeadm init --apiserver-extra-args "enable-admission-plugins=LimitRanger,NamespaceExists"`, `
# kubeadm init --config kubeadm.yaml, with:
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: LimitRanger,NamespaceExists`, `the kubeadm troubleshooting guide ("Not possible to pass a comma separated list of values to arguments inside a --component-extra-args flag"); kubernetes/kubeadm#1413.`),
}

func isKubeadmInitOrJoin(cmd []lint.ShellWord) bool {
	for i := 0; i+1 < len(cmd); i++ {
		if strings.HasSuffix(cmd[i].Text, "kubeadm") && (cmd[i+1].Text == "init" || cmd[i+1].Text == "join") {
			return true
		}
	}
	return false
}

// commaValue reports whether a --*-extra-args value holds a comma inside a flag's value: a piece
// without '=', or a key given twice. It returns the flag and its intended list.
func commaValue(v string) (key, list string, bad bool) {
	var values []string
	for _, piece := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(piece, "=")
		switch {
		case !ok && key != "":
			values = append(values, piece)
			bad = true
		case ok && k == key:
			values = append(values, val)
			bad = true
		case ok && !bad:
			key, values = k, []string{val}
		}
	}
	return key, strings.Join(values, ","), bad
}
