package release

import (
	"slices"
	"strings"
	"testing"
)

func testComponent() *Component {
	gates := map[string]*Gate{}
	for _, g := range []*Gate{
		{Name: "AllAlpha", Stage: "ALPHA"},
		{Name: "AllBeta", Stage: "BETA"},
		{Name: "Alpha", Stage: "ALPHA"},
		{Name: "Beta", Stage: "BETA", Default: true},
		{Name: "Locked", Stage: "GA", Default: true, Locked: true},
		{Name: "Old", Stage: "DEPRECATED"},
		{Name: "Needy", Stage: "BETA", Requires: []string{"Alpha"}},
	} {
		gates[g.Name] = g
	}
	return &Component{Name: "test", gates: gates, flags: map[string]*Flag{}, normalize: wordSepNormalize}
}

func TestCheckGates(t *testing.T) {
	tests := map[string]struct {
		value string
		want  []GateProblem
	}{
		"known gates at any value pass":          {value: "Alpha=true,Beta=false"},
		"a locked gate at its default passes":    {value: "Locked=true"},
		"a locked gate set the other way fails":  {value: "Locked=false", want: []GateProblem{{Gate: "Locked", Kind: GateLocked}}},
		"an unknown gate fails":                  {value: "Nope=true,Old=true", want: []GateProblem{{Gate: "Nope", Kind: GateUnknown}, {Gate: "Old", Kind: GateDeprecated}}},
		"a deprecated gate warns":                {value: "Old=false", want: []GateProblem{{Gate: "Old", Kind: GateDeprecated}}},
		"an enabled gate needs its dependencies": {value: "Needy=true", want: []GateProblem{{Gate: "Needy", Kind: GateNeedsDisabled, Requires: []string{"Alpha"}}}},
		"dependencies met":                       {value: "Needy=true,Alpha=true"},
		"AllAlpha enables the alpha dependency":  {value: "Needy=true,AllAlpha=true"},
		"a setting beats AllAlpha":               {value: "Needy=true,AllAlpha=true,Alpha=false", want: []GateProblem{{Gate: "Needy", Kind: GateNeedsDisabled, Requires: []string{"Alpha"}}}},
		"AllBeta enables the beta gate":          {value: "AllBeta=true", want: []GateProblem{{Gate: "Needy", Kind: GateNeedsDisabled, Requires: []string{"Alpha"}}}},
		"the last setting of a name counts":      {value: "Locked=false,Locked=true"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			settings, err := ParseGates(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			got := testComponent().CheckGates(settings)
			if !slices.EqualFunc(got, tt.want, func(a, b GateProblem) bool {
				return a.Gate == b.Gate && a.Kind == b.Kind && slices.Equal(a.Requires, b.Requires)
			}) {
				t.Errorf("CheckGates(%q) = %+v, want %+v", tt.value, got, tt.want)
			}
		})
	}
}

func TestParseGates(t *testing.T) {
	tests := map[string]struct {
		value   string
		want    []GateSetting
		wantErr string
	}{
		"pairs with blanks":    {value: " A = true ,B=false,", want: []GateSetting{{Name: "A", Value: true}, {Name: "B"}}},
		"a pair without value": {value: "A", wantErr: "missing bool value for A"},
		"a value not a bool":   {value: "A=yes", wantErr: `invalid value of A=yes, err: strconv.ParseBool: parsing "yes": invalid syntax`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseGates(tt.value)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseGates(%q) error = %v, want %q", tt.value, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ParseGates(%q) = %v, %v; want %v", tt.value, got, err, tt.want)
			}
		})
	}
}

func TestSplitComponentGates(t *testing.T) {
	tests := map[string]struct {
		value, want, wantErr string
	}{
		"bare gates are the kube component's": {value: "A=true,B=false", want: "A=true,B=false"},
		"kube: prefixes are dropped":          {value: "kube:A=true, kube:B=false", want: "A=true,B=false"},
		"mixing is refused":                   {value: "kube:A=true,B=false", wantErr: "do not mix use"},
		"other components are not registered": {value: "wardle:A=true", wantErr: "component not registered: wardle"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, _, err := SplitComponentGates(tt.value)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("SplitComponentGates(%q) error = %v, want %q", tt.value, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("SplitComponentGates(%q) = %q, %v; want %q", tt.value, got, err, tt.want)
			}
		})
	}
}
