package lint

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/version"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
)

// The kubelet's defaulting and validation, and kube-proxy's validation, each copy Kubernetes'
// feature-gate registry (utilfeature.DefaultMutableFeatureGate: every gate of every component,
// several hundred) and set the document's gates on the copy. Three copies per document cost more
// than all the rest of linting it. The copies answer only for the document's gates, so one copy
// per distinct set of gates can serve every document that sets them: shareGates puts a registry
// whose DeepCopy is copy-on-write in the place of the default one, once per process, because
// those packages read the variables at each call and cannot be handed a registry otherwise.
var shareGates = sync.OnceFunc(func() {
	r := &sharedRegistry{MutableVersionedFeatureGate: utilfeature.DefaultMutableFeatureGate, sets: map[string]*gateSet{}}
	utilfeature.DefaultMutableFeatureGate = r
	utilfeature.DefaultFeatureGate = r
})

// maxGateSets bounds the copies kept, a few hundred kilobytes each, whatever the inputs.
const maxGateSets = 32

// sharedRegistry is the default registry, for everything but DeepCopy.
type sharedRegistry struct {
	featuregate.MutableVersionedFeatureGate
	mu   sync.Mutex
	sets map[string]*gateSet
}

// gateSet is a copy of the registry with gates set, shared read-only.
type gateSet struct {
	gate featuregate.MutableVersionedFeatureGate
	err  error
	// validate is the copy's Validate, which copies the registry once more, answered once.
	validate func() []error
}

// DeepCopy returns a copy that costs nothing until it is changed.
func (r *sharedRegistry) DeepCopy() featuregate.MutableVersionedFeatureGate {
	return &lazyCopy{MutableVersionedFeatureGate: r.MutableVersionedFeatureGate, registry: r}
}

// set returns the copy of the registry with gates set, making it the first time.
func (r *sharedRegistry) set(gates map[string]bool) *gateSet {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(gates)) {
		b.WriteString(name + "=" + strconv.FormatBool(gates[name]) + ",")
	}
	key := b.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.sets[key]
	if !ok {
		if len(r.sets) >= maxGateSets {
			clear(r.sets)
		}
		s = &gateSet{gate: r.MutableVersionedFeatureGate.DeepCopy()}
		s.err = s.gate.SetFromMap(gates)
		s.validate = sync.OnceValue(s.gate.Validate)
		r.sets[key] = s
	}
	return s
}

// lazyCopy stands for a copy of the registry. It reads through to the registry until its first
// SetFromMap, then to the shared copy with those gates set; any other change first makes a
// private copy, so nothing shared is ever changed.
type lazyCopy struct {
	featuregate.MutableVersionedFeatureGate
	registry *sharedRegistry
	shared   *gateSet // reads go to it, until private
	private  bool     // the embedded gate is this copy's own
}

func (c *lazyCopy) Validate() []error {
	if c.shared != nil && !c.private {
		return c.shared.validate()
	}
	return c.MutableVersionedFeatureGate.Validate()
}

func (c *lazyCopy) own() featuregate.MutableVersionedFeatureGate {
	if !c.private {
		c.MutableVersionedFeatureGate, c.private = c.MutableVersionedFeatureGate.DeepCopy(), true
	}
	return c.MutableVersionedFeatureGate
}

func (c *lazyCopy) SetFromMap(m map[string]bool) error {
	if c.private || c.shared != nil {
		return c.own().SetFromMap(m)
	}
	s := c.registry.set(m)
	c.MutableVersionedFeatureGate, c.shared = s.gate, s
	return s.err
}

// The other changes, each on a private copy. TestLazyCopyOverridesEveryChange keeps this list
// complete as featuregate grows.

func (c *lazyCopy) AddFlag(fs *pflag.FlagSet) { c.own().AddFlag(fs) }
func (c *lazyCopy) Close()                    { c.own().Close() }
func (c *lazyCopy) Set(value string) error    { return c.own().Set(value) }
func (c *lazyCopy) AddMetrics()               { c.own().AddMetrics() }
func (c *lazyCopy) Add(f map[featuregate.Feature]featuregate.FeatureSpec) error {
	return c.own().Add(f)
}
func (c *lazyCopy) OverrideDefault(name featuregate.Feature, override bool) error {
	return c.own().OverrideDefault(name, override)
}
func (c *lazyCopy) SetEmulationVersion(v *version.Version) error {
	return c.own().SetEmulationVersion(v)
}
func (c *lazyCopy) SetEmulationVersionAndMinCompatibilityVersion(v, min *version.Version) error {
	return c.own().SetEmulationVersionAndMinCompatibilityVersion(v, min)
}
func (c *lazyCopy) AddVersioned(f map[featuregate.Feature]featuregate.VersionedSpecs) error {
	return c.own().AddVersioned(f)
}
func (c *lazyCopy) AddDependencies(f map[featuregate.Feature][]featuregate.Feature) error {
	return c.own().AddDependencies(f)
}
func (c *lazyCopy) OverrideDefaultAtVersion(name featuregate.Feature, override bool, v *version.Version) error {
	return c.own().OverrideDefaultAtVersion(name, override, v)
}
func (c *lazyCopy) ResetFeatureValueToDefault(name featuregate.Feature) error {
	return c.own().ResetFeatureValueToDefault(name)
}
