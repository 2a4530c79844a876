package release

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// GateSetting is one "Name=bool" of a feature-gates value, or one key of a featureGates map.
type GateSetting struct {
	Name  string
	Value bool
}

// ParseGates reads a --feature-gates value as component-base's featureGate.Set does: comma
// separated Name=bool pairs, blanks around names and values ignored, the last setting of a
// name winning.
func ParseGates(value string) ([]GateSetting, error) {
	var out []GateSetting
	for _, s := range strings.Split(value, ",") {
		if s == "" {
			continue
		}
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok {
			return nil, fmt.Errorf("missing bool value for %s", k)
		}
		v = strings.TrimSpace(v)
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("invalid value of %s=%s, err: %v", k, v, err)
		}
		out = append(out, GateSetting{Name: k, Value: b})
	}
	return out, nil
}

// SplitComponentGates separates the "component:" prefixes that kube-apiserver,
// kube-controller-manager and kube-scheduler accept in --feature-gates since they version their
// gates per component (component-base's ComponentGlobalsRegistry). It returns the gates of the
// "kube" component, the one kubeadm's control plane registers, as one featureGate.Set value, and
// whether they were written with the "kube:" prefix, without, or not at all ("").
func SplitComponentGates(value string) (kube string, style GateStyle, err error) {
	var gates []string
	for _, pair := range strings.Split(value, ",") {
		if pair == "" {
			continue
		}
		this := Bare
		comp, v, ok := strings.Cut(pair, ":")
		if ok {
			if comp = strings.TrimSpace(comp); comp != "kube" {
				return "", "", fmt.Errorf("component not registered: %s", comp)
			}
			this, pair = Prefixed, v
		}
		if style, err = style.Join(this); err != nil {
			return "", "", err
		}
		gates = append(gates, strings.TrimSpace(pair))
	}
	return strings.Join(gates, ","), style, nil
}

// GateStyle is how control-plane feature gates name their component.
type GateStyle string

const (
	Bare     GateStyle = "bare"  // Name=bool
	Prefixed GateStyle = "kube:" // kube:Name=bool
)

// Join adds the style of more gates, which the component refuses to mix, even across repeated
// --feature-gates flags.
func (s GateStyle) Join(other GateStyle) (GateStyle, error) {
	switch {
	case s == "":
		return other, nil
	case other == "" || other == s:
		return s, nil
	}
	return s, errors.New("set kube feature gates with default empty prefix or kube: prefix consistently, do not mix use")
}

// GateProblem is what is wrong with setting a gate.
type GateProblem struct {
	Gate string
	Kind GateProblemKind
	// Requires names the disabled gates a GateNeedsDisabled gate depends on.
	Requires []string
}

// GateProblemKind says what a GateProblem is.
type GateProblemKind int

const (
	// GateUnknown: the component does not have the gate and refuses to start.
	GateUnknown GateProblemKind = iota + 1
	// GateLocked: the gate is locked to its default and set to the other value; refused.
	GateLocked
	// GateNeedsDisabled: the gate ends up enabled while a gate it depends on does not; refused.
	GateNeedsDisabled
	// GateDeprecated: accepted with a warning; the gate goes in a later release.
	GateDeprecated
)

// CheckGates does what featureGate.SetFromMap checks at start, for every setting at once, where
// the component stops at its first unknown gate. Settings of one name count once, the last.
func (c *Component) CheckGates(settings []GateSetting) []GateProblem {
	var out []GateProblem
	set := map[string]bool{}
	for _, s := range settings {
		set[s.Name] = s.Value
	}
	unknown := false
	for _, name := range slices.Sorted(maps.Keys(set)) {
		g := c.gates[name]
		switch {
		case g == nil:
			out = append(out, GateProblem{Gate: name, Kind: GateUnknown})
			unknown = true
		case g.Locked && g.Default != set[name]:
			out = append(out, GateProblem{Gate: name, Kind: GateLocked})
		case g.Stage == "DEPRECATED":
			out = append(out, GateProblem{Gate: name, Kind: GateDeprecated})
		}
	}
	if unknown {
		return out // the component stops before it looks at dependencies
	}
	enabled := c.enabled(set)
	for _, g := range c.dependent() {
		if !enabled(g.Name) {
			continue
		}
		var off []string
		for _, d := range g.Requires {
			if !enabled(d) {
				off = append(off, d)
			}
		}
		if len(off) > 0 {
			out = append(out, GateProblem{Gate: g.Name, Kind: GateNeedsDisabled, Requires: off})
		}
	}
	return out
}

// enabled returns whether a gate is on once set is applied: a setting wins, then AllAlpha or
// AllBeta for gates of that stage, then the default. A gate the table lacks is one that is not
// available at this version yet, which featureGate treats as off.
func (c *Component) enabled(set map[string]bool) func(string) bool {
	return func(name string) bool {
		if v, ok := set[name]; ok {
			return v
		}
		g := c.gates[name]
		if g == nil {
			return false
		}
		if v, ok := set["AllAlpha"]; ok && g.Stage == "ALPHA" {
			return v
		}
		if v, ok := set["AllBeta"]; ok && g.Stage == "BETA" {
			return v
		}
		return g.Default
	}
}

// dependent returns the gates that depend on others, sorted by name; CheckGates runs for every
// set of gates a file gives, so they are found once per component.
func (c *Component) dependent() []*Gate {
	c.dependentOnce.Do(func() {
		for _, g := range c.Gates() {
			if len(g.Requires) > 0 {
				c.dependents = append(c.dependents, g)
			}
		}
	})
	return c.dependents
}
