package output

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestJSON(t *testing.T) {
	tests := map[string]struct {
		finding  int // index into testReport().Findings
		wantHint any // nil: no hint field at all
	}{
		"a hint is a field of its own":               {finding: 0, wantHint: "set a DNS name now"},
		"a finding without a hint has no hint field": {finding: 2},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := testReport()
			r.Findings = r.Findings[tt.finding : tt.finding+1]
			var b bytes.Buffer
			if err := JSON(&b, r, Options{}); err != nil {
				t.Fatal(err)
			}
			var out struct{ Findings []map[string]any }
			if err := json.Unmarshal(b.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			hint, ok := out.Findings[0]["hint"]
			if (tt.wantHint == nil) == ok || hint != tt.wantHint {
				t.Errorf("hint = %#v (present %t), want %#v\n%s", hint, ok, tt.wantHint, b.String())
			}
			if out.Findings[0]["message"] != r.Findings[0].Message {
				t.Errorf("message = %#v, want %q", out.Findings[0]["message"], r.Findings[0].Message)
			}
		})
	}
}

// TestJSONNoHTMLEscaping keeps messages readable in the raw output: kubeadm's "version >= 1.36.0"
// stays as written, not "\u003e=".
func TestJSONNoHTMLEscaping(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer) error{
		"json":  func(b *bytes.Buffer) error { return JSON(b, withMessage(">= 1.36.0 & <x>"), Options{}) },
		"sarif": func(b *bytes.Buffer) error { return SARIF(b, withMessage(">= 1.36.0 & <x>"), Options{}) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b.Bytes(), []byte(">= 1.36.0 & <x>")) {
				t.Errorf("the message is escaped:\n%s", b.String())
			}
		})
	}
}

func withMessage(m string) *Report {
	r := testReport()
	r.Findings = r.Findings[:1]
	r.Findings[0].Message = m
	return r
}
