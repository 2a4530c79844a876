package lint

import (
	"testing"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
)

// TestPresetGateCopiesOnOtherGates: a validation that sets gates other than the preset ones gets
// a private copy, and the shared preset stays as it was.
func TestPresetGateCopiesOnOtherGates(t *testing.T) {
	const gate = "CustomCPUCFSQuotaPeriod" // GA, on by default, not locked
	k := newKubeletGates(utilfeature.DefaultFeatureGate)
	preset := map[string]bool{gate: false}
	g := k.forValidation(preset).DeepCopy()
	if err := g.SetFromMap(map[string]bool{gate: true}); err != nil {
		t.Fatal(err)
	}
	if !g.Enabled(gate) {
		t.Errorf("%s is off after setting it on", gate)
	}
	again := k.forValidation(preset).DeepCopy()
	if err := again.SetFromMap(preset); err != nil {
		t.Fatal(err)
	}
	if again.Enabled(gate) {
		t.Errorf("the shared preset changed: %s is on", gate)
	}
}
