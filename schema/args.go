package schema

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// argComponents names the component whose flags each extraArgs field passes.
var argComponents = map[string]string{
	"ClusterConfiguration.apiServer.extraArgs":            release.APIServer,
	"ClusterConfiguration.controllerManager.extraArgs":    release.ControllerManager,
	"ClusterConfiguration.scheduler.extraArgs":            release.Scheduler,
	"ClusterConfiguration.etcd.local.extraArgs":           release.Etcd,
	"InitConfiguration.nodeRegistration.kubeletExtraArgs": release.Kubelet,
	"JoinConfiguration.nodeRegistration.kubeletExtraArgs": release.Kubelet,
}

// gateComponents names the component whose feature gates each featureGates map sets.
var gateComponents = map[string]string{
	"ClusterConfiguration.featureGates":   release.Kubeadm,
	"KubeletConfiguration.featureGates":   release.Kubelet,
	"KubeProxyConfiguration.featureGates": release.KubeProxy,
}

// override is the schema of the fields whose names come from the release's tables, not from
// the Go types: extraArgs entries name a component's flags, featureGates maps its gates.
func (g *Generator) override(path string) Schema {
	if c, ok := strings.CutSuffix(path, "[]"); ok {
		if comp := g.rel.Component(argComponents[c]); comp != nil {
			return g.arg(comp)
		}
	}
	if comp := g.rel.Component(gateComponents[path]); comp != nil {
		return g.gates(comp)
	}
	return nil
}

// arg is an extraArgs entry of v1beta4, {name, value}. Its name completes to the component's
// flags of the release; a name the table lacks is left to the linter, which says what is wrong
// with it (a typo, a removed flag) better than a schema can.
func (g *Generator) arg(comp *release.Component) Schema {
	var names []any
	var descs []any
	for _, f := range comp.Flags() {
		if f.Hidden {
			continue
		}
		names = append(names, f.Name)
		d := fmt.Sprintf("`--%s` of %s %s (%s)", f.Name, comp.Name, g.rel.Name(), f.Type)
		if len(f.Values) > 0 {
			d += ": one of " + strings.Join(f.Values, ", ")
		}
		if f.Deprecated != "" {
			d += ". Deprecated: " + f.Deprecated
		}
		descs = append(descs, d)
	}
	return Schema{
		"type": []string{"object", "null"},
		"properties": Schema{
			"name": Schema{
				"description": fmt.Sprintf("The name of a %s flag, without the leading dashes.", comp.Name),
				"anyOf": []any{
					Schema{"enum": names, "markdownEnumDescriptions": descs},
					Schema{"type": "string"},
				},
			},
			"value": Schema{"type": []string{"string", "null"}, "description": "The flag's value."},
		},
		"additionalProperties": false,
	}
}

// gates is a featureGates map: the release's gates of the component, each a boolean.
func (g *Generator) gates(comp *release.Component) Schema {
	props := Schema{}
	for _, gate := range comp.Gates() {
		d := fmt.Sprintf("%s feature gate of %s %s, default %t", gate.Stage, comp.Name, g.rel.Name(), gate.Default)
		if gate.Locked {
			d += ", locked to its default"
		}
		if gate.Deprecation != "" {
			d += ". " + gate.Deprecation
		}
		props[gate.Name] = Schema{"type": "boolean", "description": d + "."}
	}
	// A gate the table lacks is left to the linter, which names the release that removed it.
	return Schema{"type": []string{"object", "null"}, "properties": props, "additionalProperties": Schema{"type": "boolean"}}
}
