package output

import (
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// testRules and testReport are a small run over three files: a.yaml with a warning that has a
// hint and an error, b.yaml with an info, and c.yaml without findings.
func testRules() []*lint.Rule {
	return []*lint.Rule{
		{ID: "KL008", Name: "kubeadm-validation", Summary: "kubeadm's own validation rejects a value", Severity: lint.SeverityError,
			Doc: "kubeadm validates the configuration\nafter decoding it.\n\nBad:\n\n```yaml\nnetworking:\n  podSubnet: 10.244.0.0/33\n```\n"},
		{ID: "KL203", Name: "control-plane-endpoint", Summary: "no controlPlaneEndpoint", Severity: lint.SeverityWarning, Doc: "Set one early."},
		{ID: "KL305", Name: "server-tls-bootstrap", Summary: "serving certificates need an approver", Severity: lint.SeverityInfo},
	}
}

func testReport() *Report {
	return &Report{
		Findings: []lint.Finding{
			{Rule: "KL203", Severity: lint.SeverityWarning, Pos: lint.Position{File: "a.yaml", Line: 3, Column: 1}, Message: "no controlPlaneEndpoint", Hint: "set a DNS name now"},
			{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "a.yaml", Line: 6, Column: 3}, Message: `networking.podSubnet: Invalid value: "10.244.0.0/33"`},
			{Rule: "KL305", Severity: lint.SeverityInfo, Pos: lint.Position{File: "b.yaml", Line: 29, Column: 1}, Message: "serverTLSBootstrap is true"},
		},
		Summary: Summary{Files: 3, Documents: 4, Errors: 1, Warnings: 1, Infos: 1},
		Sources: map[string][]byte{"a.yaml": nil, "b.yaml": nil, "c.yaml": nil},
		Rules:   testRules(),
	}
}

func TestLookup(t *testing.T) {
	tests := map[string]struct {
		format  string
		wantErr string
	}{
		"text is a format":               {format: "text"},
		"json is a format":               {format: "json"},
		"sarif is a format":              {format: "sarif"},
		"github is a format":             {format: "github"},
		"junit is a format":              {format: "junit"},
		"checkstyle is a format":         {format: "checkstyle"},
		"an unknown format lists them":   {format: "xml", wantErr: "want one of [checkstyle github json junit sarif text]"},
		"names are matched exactly":      {format: "SARIF", wantErr: "unknown format"},
		"an empty name is not a default": {format: "", wantErr: "unknown format"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			w, err := Lookup(tt.format)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || w == nil {
				t.Fatalf("Lookup(%q) = %v, %v", tt.format, w, err)
			}
		})
	}
	// Every listed name must resolve, so that help, completion and Lookup agree.
	for _, name := range FormatNames() {
		if _, err := Lookup(name); err != nil {
			t.Errorf("FormatNames lists %q but Lookup rejects it: %v", name, err)
		}
	}
}

func TestRelPath(t *testing.T) {
	tests := map[string]struct {
		workDir, name, want string
	}{
		"a relative name stays":                           {workDir: "/repo", name: "configs/a.yaml", want: "configs/a.yaml"},
		"an absolute name below the dir is made relative": {workDir: "/repo", name: "/repo/configs/a.yaml", want: "configs/a.yaml"},
		"an absolute name elsewhere stays":                {workDir: "/repo", name: "/etc/kubeadm.yaml", want: "/etc/kubeadm.yaml"},
		"a sibling with a common prefix stays":            {workDir: "/repo", name: "/repo2/a.yaml", want: "/repo2/a.yaml"},
		"without a dir nothing changes":                   {name: "/repo/a.yaml", want: "/repo/a.yaml"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := (Options{WorkDir: tt.workDir}).relPath(tt.name); got != tt.want {
				t.Errorf("relPath(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}
