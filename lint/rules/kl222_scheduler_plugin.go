package rules

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL222 = &lint.Rule{
	ID:       "KL222",
	Name:     "scheduler-plugin-unknown",
	Summary:  "a KubeSchedulerConfiguration names a plugin that kube-scheduler's in-tree registry lacks",
	Severity: lint.SeverityError,
	Also:     []lint.Severity{lint.SeverityWarning},
	Kinds:    []string{lint.KindScheduler},
	Run: func(p *lint.Pass) {
		if p.Doc.Object == nil {
			return
		}
		rel := p.Options.Release().Name()
		known := lint.SchedulerPlugins(rel)
		report := func(path, name string, sev lint.Severity, what, effect string) {
			if name == "" || slices.Contains(known, name) {
				return
			}
			hint := "correct the name, as " + effect
			if s := release.Nearest(name, known); s != "" {
				hint = fmt.Sprintf("did you mean %q? %s", s, hint)
			}
			p.Report(p.Doc, lint.Finding{Path: path, Severity: sev,
				Message: fmt.Sprintf("%s %q is not in kube-scheduler %s's in-tree registry", what, name, rel), Hint: hint})
		}
		profiles := seq(p.Doc.Lookup("profiles"))
		for i := range profiles {
			prof := lint.PathIndex("profiles", i)
			if points := p.Doc.Lookup(prof + ".plugins"); points != nil && points.Kind == yaml.MappingNode {
				for k := 0; k+1 < len(points.Content); k += 2 {
					point := prof + ".plugins." + points.Content[k].Value
					for j, e := range seq(p.Doc.Lookup(point + ".enabled")) {
						path, name := lint.PathIndex(point+".enabled", j)+".name", scalar(e, "name")
						report(path, name, lint.SeverityError, "enabled plugin",
							"kube-scheduler exits at start when an enabled plugin does not exist")
						if slices.Contains(known, name) {
							extends(p, path, name, points.Content[k].Value)
						}
					}
					for j, e := range seq(p.Doc.Lookup(point + ".disabled")) {
						if name := scalar(e, "name"); name != "*" {
							report(lint.PathIndex(point+".disabled", j)+".name", name, lint.SeverityWarning, "disabled plugin",
								"disabling a name that is no plugin leaves the plugin meant enabled")
						}
					}
				}
			}
			for j, e := range seq(p.Doc.Lookup(prof + ".pluginConfig")) {
				report(lint.PathIndex(prof+".pluginConfig", j)+".name", scalar(e, "name"), lint.SeverityWarning, "configured plugin",
					"kube-scheduler ignores the arguments of a plugin it does not run")
			}
		}
	},
	Doc: doc(`
kube-scheduler builds each profile's framework from its in-tree registry: a plugin enabled at any
extension point (or at multiPoint) that the registry lacks stops it at start with "... \"NAME\" does
not exist", and kubeadm then waits for a scheduler that never comes up. A disabled name that is no
plugin, and the arguments of a plugin the registry lacks, are ignored without a word: the plugin
meant stays enabled, or keeps its default arguments; those are warnings. A plugin that exists
but is enabled at an extension point whose interface it does not implement (ImageLocality under
filter) stops kube-scheduler too: "plugin ... does not extend FilterPlugin plugin". Under
multiPoint a plugin is enabled at exactly the points it implements.

The registry's names are generated per release from kube-scheduler's source (NewInTreeRegistry,
hack/componentfacts), and each plugin's extension points from the release's own framework
(hack/flags); the target release's are used. A scheduler built with out-of-tree
plugins reads the same kind: disable the rule for its configuration, or suppress the finding.`, `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      enabled:
      - name: NodeResourceFit
        weight: 2`, `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      enabled:
      - name: NodeResourcesFit
        weight: 2`, `k8s.io/kubernetes pkg/scheduler/framework/plugins/registry.go (NewInTreeRegistry) and pkg/scheduler/framework/runtime/framework.go (updatePluginList, expandMultiPointPlugins).`),
}

// extends reports a plugin enabled at an extension point whose interface it does not implement:
// the framework refuses it ("plugin %q does not extend %s plugin"), where multiPoint would enable
// it at exactly the points it implements. The points of each in-tree plugin are read per release
// from its framework (hack/flags/dump/cmd/kube-scheduler).
func extends(p *lint.Pass, path, name, point string) {
	sched := p.Options.Release().Component(release.Scheduler)
	implementers := sched.Values("extension-point/" + point)
	if point == "multiPoint" || implementers == nil || slices.Contains(implementers, name) {
		return
	}
	var at []string
	for _, other := range sched.Values("extension-points") {
		if slices.Contains(sched.Values("extension-point/"+other), name) {
			at = append(at, other)
		}
	}
	p.Report(p.Doc, lint.Finding{Path: path,
		Message: fmt.Sprintf("plugin %q does not extend the %s extension point", name, point),
		Hint:    fmt.Sprintf("enable it under multiPoint or at a point it implements (%s); kube-scheduler exits at start", strings.Join(at, ", "))})
}

// seq returns a list's items, or nil for anything else.
func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// scalar returns the scalar value of key in a mapping, or "".
func scalar(m *yaml.Node, key string) string {
	for m != nil && m.Kind == yaml.AliasNode {
		m = m.Alias
	}
	if m == nil || m.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.ScalarNode {
			return m.Content[i+1].Value
		}
	}
	return ""
}
