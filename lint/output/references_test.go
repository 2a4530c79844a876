package output

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestReferences holds JSON and SARIF to carrying a profile rule's benchmark controls, so that
// results line up with what kube-bench reports later.
func TestReferences(t *testing.T) {
	refs := []lint.Reference{{Standard: "cis-1.12", ID: "1.2.15"}}
	r := &Report{
		Findings: []lint.Finding{
			{Rule: "KL715", Severity: lint.SeverityWarning, Pos: lint.Position{File: "a.yaml", Line: 4, Column: 1}, Message: "kube-apiserver profiling is unset and defaults to true", References: refs},
			{Rule: "KL203", Severity: lint.SeverityWarning, Pos: lint.Position{File: "a.yaml", Line: 9, Column: 1}, Message: "no controlPlaneEndpoint"},
		},
		Rules: []*lint.Rule{
			{ID: "KL715", Name: "cis-apiserver-profiling", Summary: "the API server serves profiling data", Severity: lint.SeverityWarning, Profile: "cis", References: refs},
			{ID: "KL203", Name: "control-plane-endpoint", Summary: "no controlPlaneEndpoint", Severity: lint.SeverityWarning},
		},
	}

	var buf bytes.Buffer
	if err := JSON(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Findings []struct {
			Rule       string           `json:"rule"`
			References []lint.Reference `json:"references"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Findings) != 2 || len(j.Findings[0].References) != 1 || j.Findings[0].References[0] != refs[0] || j.Findings[1].References != nil {
		t.Errorf("JSON findings %+v: want the CIS finding with references [cis-1.12 1.2.15] and the other without\n%s", j.Findings, buf.Bytes())
	}

	buf.Reset()
	if err := SARIF(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var s struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string `json:"id"`
						Properties *struct {
							Tags []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID     string `json:"ruleId"`
				Properties *struct {
					References []lint.Reference `json:"references"`
				} `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	run := s.Runs[0]
	for _, res := range run.Results {
		has := res.Properties != nil && len(res.Properties.References) == 1 && res.Properties.References[0] == refs[0]
		if has != (res.RuleID == "KL715") {
			t.Errorf("SARIF result %s: properties %+v", res.RuleID, res.Properties)
		}
	}
	for _, rule := range run.Tool.Driver.Rules {
		tagged := rule.Properties != nil && len(rule.Properties.Tags) == 2 && rule.Properties.Tags[1] == "cis-1.12:1.2.15"
		if tagged != (rule.ID == "KL715") {
			t.Errorf("SARIF rule %s: properties %+v", rule.ID, rule.Properties)
		}
	}
}
