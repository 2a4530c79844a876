package output

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

func TestCheckstyle(t *testing.T) {
	type errorAttrs struct {
		Line     string `xml:"line,attr"`
		Column   string `xml:"column,attr"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
	type fileElem struct {
		Name   string       `xml:"name,attr"`
		Errors []errorAttrs `xml:"error"`
	}
	tests := map[string]struct {
		report *Report
		want   []fileElem
	}{
		"every linted file is listed with its findings": {
			report: testReport(),
			want: []fileElem{
				{Name: "a.yaml", Errors: []errorAttrs{
					{Line: "3", Column: "1", Severity: "warning", Message: "no controlPlaneEndpoint", Source: "kubeadm-lint.KL203"},
					{Line: "6", Column: "3", Severity: "error", Message: `networking.podSubnet: Invalid value: "10.244.0.0/33"`, Source: "kubeadm-lint.KL008"},
				}},
				{Name: "b.yaml", Errors: []errorAttrs{{Line: "29", Column: "1", Severity: "info", Message: "serverTLSBootstrap is true", Source: "kubeadm-lint.KL305"}}},
				{Name: "c.yaml"},
			},
		},
		"a finding without a column leaves the attribute out": {
			report: &Report{Findings: []lint.Finding{{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "a.yaml", Line: 2}, Message: "a <b> & \"c\"\nd"}}},
			want:   []fileElem{{Name: "a.yaml", Errors: []errorAttrs{{Line: "2", Severity: "error", Message: "a <b> & \"c\"\nd", Source: "kubeadm-lint.KL008"}}}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Checkstyle(&b, tt.report, Options{}); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				XMLName xml.Name   `xml:"checkstyle"`
				Version string     `xml:"version,attr"`
				Files   []fileElem `xml:"file"`
			}
			if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, b.String())
			}
			if doc.Version != "4.3" {
				t.Errorf("version %q, want 4.3", doc.Version)
			}
			if !reflect.DeepEqual(doc.Files, tt.want) {
				t.Errorf("got:\n%+v\nwant:\n%+v", doc.Files, tt.want)
			}
		})
	}
}
