package lint

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/component-base/featuregate"
)

// kubelet holds what validating KubeletConfigurations needs, built once per Linter: building the
// scheme costs more than linting a file.
type kubelet struct {
	scheme *runtime.Scheme
	gates  *kubeletGates
}

// kubeletGates hands the kubelet's validation its feature gates already set. The validation
// copies the whole registry of Kubernetes' feature gates and sets the document's gates on the
// copy, which cost more than all the rest of linting a typical file. Files set the same few gates
// or none, so the copy for each distinct set is made once and then shared, read-only.
type kubeletGates struct {
	base featuregate.FeatureGate
	mu   sync.Mutex
	sets map[string]*presetGate
}

// maxGateSets bounds the copies kept, a few hundred kilobytes each, whatever the inputs.
const maxGateSets = 32

func newKubeletGates(base featuregate.FeatureGate) *kubeletGates {
	return &kubeletGates{base: base, sets: map[string]*presetGate{}}
}

// forValidation returns the FeatureGate to pass to ValidateKubeletConfiguration for a
// configuration that sets gates.
func (k *kubeletGates) forValidation(gates map[string]bool) featuregate.FeatureGate {
	key := gateKey(gates)
	k.mu.Lock()
	p, ok := k.sets[key]
	k.mu.Unlock()
	if !ok {
		c := k.base.DeepCopy()
		p = &presetGate{MutableVersionedFeatureGate: c, gates: maps.Clone(gates), base: k.base}
		p.err = c.SetFromMap(gates)
		k.mu.Lock()
		if len(k.sets) >= maxGateSets {
			clear(k.sets)
		}
		k.sets[key] = p
		k.mu.Unlock()
	}
	return copyless{FeatureGate: k.base, preset: p}
}

func gateKey(gates map[string]bool) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(gates)) {
		b.WriteString(name + "=" + strconv.FormatBool(gates[name]) + ",")
	}
	return b.String()
}

// copyless is the registry whose DeepCopy is the preset copy, instead of a new one.
type copyless struct {
	featuregate.FeatureGate
	preset *presetGate
}

func (c copyless) DeepCopy() featuregate.MutableVersionedFeatureGate { return c.preset.fresh() }

// presetGate is a copy of the registry with gates set. Setting the same gates again, as the
// validation does first thing, changes nothing; setting others makes a private copy.
type presetGate struct {
	featuregate.MutableVersionedFeatureGate
	gates map[string]bool
	err   error
	base  featuregate.FeatureGate
}

// fresh returns a view of p for one validation, so that one that sets other gates does not
// change p for the next.
func (p *presetGate) fresh() *presetGate { v := *p; return &v }

func (p *presetGate) SetFromMap(m map[string]bool) error {
	if maps.Equal(m, p.gates) {
		return p.err
	}
	c := p.base.DeepCopy()
	p.MutableVersionedFeatureGate, p.gates = c, maps.Clone(m)
	p.err = c.SetFromMap(m)
	return p.err
}
