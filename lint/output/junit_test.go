package output

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// junitDoc reads a report back with its own tags, so that a typo in the writer's tags shows.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			ClassName string `xml:"classname,attr"`
			Failures  []struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	evil := "<a href=\"x\">&'</a> ]]> \x01 done"
	tests := map[string]struct {
		report   *Report
		opts     Options
		cases    []string            // testcase names, in order
		failures map[string][]string // testcase -> failure types
		out      map[string]string   // testcase -> system-out
		failed   int                 // failing testcases
	}{
		"errors fail their file and the rest goes to system-out": {
			report:   testReport(),
			cases:    []string{"a.yaml", "b.yaml", "c.yaml"},
			failures: map[string][]string{"a.yaml": {"KL008"}},
			out: map[string]string{
				"a.yaml": "a.yaml:3:1: warning KL203 no controlPlaneEndpoint\n  hint: set a DNS name now",
				"b.yaml": "b.yaml:29:1: info KL305 serverTLSBootstrap is true",
			},
			failed: 1,
		},
		"fail-on warning makes warnings failures too": {
			report:   testReport(),
			opts:     Options{FailOn: lint.SeverityWarning},
			cases:    []string{"a.yaml", "b.yaml", "c.yaml"},
			failures: map[string][]string{"a.yaml": {"KL203", "KL008"}},
			out:      map[string]string{"b.yaml": "b.yaml:29:1: info KL305 serverTLSBootstrap is true"},
			failed:   1,
		},
		"a run without findings has passing testcases": {
			report: &Report{Sources: map[string][]byte{"z.yaml": nil, "a.yaml": nil}},
			cases:  []string{"a.yaml", "z.yaml"},
		},
		"markup and control characters in a message stay well-formed": {
			report: &Report{Findings: []lint.Finding{{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "a&b.yaml", Line: 1, Column: 2}, Message: evil}}},
			cases:  []string{"a&b.yaml"}, failures: map[string][]string{"a&b.yaml": {"KL008"}}, failed: 1,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := JUnit(&b, tt.report, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(b.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("no XML declaration:\n%s", b.String())
			}
			var doc junitDoc
			if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("not well-formed XML: %v\n%s", err, b.String())
			}
			if len(doc.Suites) != 1 {
				t.Fatalf("%d testsuites, want 1", len(doc.Suites))
			}
			suite := doc.Suites[0]
			var names []string
			for _, tc := range suite.Cases {
				names = append(names, tc.Name)
				if tc.ClassName == "" {
					t.Errorf("%s: no classname (Jenkins needs one)", tc.Name)
				}
				var types []string
				for _, f := range tc.Failures {
					types = append(types, f.Type)
					if !strings.HasPrefix(f.Message, f.Type+": ") || !strings.HasPrefix(f.Text, tc.Name+":") {
						t.Errorf("%s: failure %+v lacks the rule or the position", tc.Name, f)
					}
					for _, fd := range tt.report.Findings {
						if fd.Pos.File == tc.Name && fd.Rule == f.Type && fd.Hint != "" &&
							(!strings.HasSuffix(f.Text, "\n  hint: "+fd.Hint) || strings.Contains(f.Message, fd.Hint)) {
							t.Errorf("%s: failure %+v: want the hint in the body only", tc.Name, f)
						}
					}
				}
				if !slices.Equal(types, tt.failures[tc.Name]) {
					t.Errorf("%s: failures %v, want %v", tc.Name, types, tt.failures[tc.Name])
				}
				if tc.SystemOut != tt.out[tc.Name] {
					t.Errorf("%s: system-out %q, want %q", tc.Name, tc.SystemOut, tt.out[tc.Name])
				}
			}
			if !slices.Equal(names, tt.cases) {
				t.Errorf("testcases %v, want %v", names, tt.cases)
			}
			if doc.Tests != len(tt.cases) || suite.Tests != len(tt.cases) || doc.Failures != tt.failed || suite.Failures != tt.failed {
				t.Errorf("counters tests=%d/%d failures=%d/%d, want %d and %d", doc.Tests, suite.Tests, doc.Failures, suite.Failures, len(tt.cases), tt.failed)
			}
			if strings.Contains(name, "markup") {
				want := "KL008: " + strings.ReplaceAll(evil, "\x01", "\uFFFD")
				if got := suite.Cases[0].Failures[0].Message; got != want {
					t.Errorf("message read back as %q, want %q", got, want)
				}
			}
		})
	}
}
