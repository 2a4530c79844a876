package lint

import (
	"reflect"
	"slices"
	"testing"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
)

// TestLazyCopyChangesNothingShared: a copy that sets gates other than a shared set's, or changes
// itself otherwise, gets a private copy, and the shared set stays as it was.
func TestLazyCopyChangesNothingShared(t *testing.T) {
	shareGates()
	const gate = "CustomCPUCFSQuotaPeriod" // GA, on by default, not locked
	const other = "APIServingWithRoutine"  // alpha, off by default, no dependencies
	off := map[string]bool{gate: false}
	for name, change := range map[string]func(featuregate.MutableVersionedFeatureGate) error{
		"SetFromMap twice": func(g featuregate.MutableVersionedFeatureGate) error {
			// A second SetFromMap adds to the first, as on a real copy.
			if err := g.SetFromMap(map[string]bool{other: true}); err != nil || g.Enabled(gate) || !g.Enabled(other) {
				t.Errorf("SetFromMap twice: %s on %v, %s on %v, %v", gate, g.Enabled(gate), other, g.Enabled(other), err)
			}
			return g.SetFromMap(map[string]bool{gate: true})
		},
		"Set": func(g featuregate.MutableVersionedFeatureGate) error { return g.Set(gate + "=true") },
	} {
		g := utilfeature.DefaultMutableFeatureGate.DeepCopy()
		if err := g.SetFromMap(off); err != nil {
			t.Fatal(err)
		}
		if err := change(g); err != nil {
			t.Fatal(err)
		}
		if !g.Enabled(gate) {
			t.Errorf("%s: %s is off after turning it on", name, gate)
		}
		again := utilfeature.DefaultMutableFeatureGate.DeepCopy()
		if err := again.SetFromMap(off); err != nil {
			t.Fatal(err)
		}
		if again.Enabled(gate) {
			t.Errorf("%s: the shared set changed: %s is on", name, gate)
		}
		if !utilfeature.DefaultFeatureGate.Enabled(gate) {
			t.Errorf("%s: the registry changed: %s is off", name, gate)
		}
	}
}

// TestLazyCopyOverridesEveryChange: every method of the featuregate interface that changes a
// gate must make lazyCopy's private copy first. A method that featuregate adds must be sorted
// into one list or the other, and a change overridden in gates.go.
func TestLazyCopyOverridesEveryChange(t *testing.T) {
	reads := []string{"DeepCopy", "DeepCopyAndReset", "Dependencies", "EmulationVersion", "Enabled", "ExplicitlySet",
		"GetAll", "GetAllVersioned", "KnownFeatures", "MinCompatibilityVersion", "Validate"}
	changes := []string{"Add", "AddDependencies", "AddFlag", "AddMetrics", "AddVersioned", "Close", "OverrideDefault",
		"OverrideDefaultAtVersion", "ResetFeatureValueToDefault", "Set", "SetEmulationVersion",
		"SetEmulationVersionAndMinCompatibilityVersion", "SetFromMap"}
	iface := reflect.TypeFor[featuregate.MutableVersionedFeatureGate]()
	for i := range iface.NumMethod() {
		if m := iface.Method(i).Name; !slices.Contains(reads, m) && !slices.Contains(changes, m) {
			t.Errorf("featuregate has a new method %s: does it change the gate? Sort it here, and override a change in gates.go", m)
		}
	}
}
