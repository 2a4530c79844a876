package output

import (
	"bytes"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

func TestGitHub(t *testing.T) {
	one := func(f lint.Finding) *Report { return &Report{Findings: []lint.Finding{f}} }
	tests := map[string]struct {
		report *Report
		opts   Options
		want   string
	}{
		"an error carries file, line, column and rule": {
			report: one(lint.Finding{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "a.yaml", Line: 6, Column: 3}, Message: "bad subnet"}),
			want:   "::error file=a.yaml,line=6,col=3,title=KL008::bad subnet\n",
		},
		"a warning is a warning": {
			report: one(lint.Finding{Rule: "KL203", Severity: lint.SeverityWarning, Pos: lint.Position{File: "a.yaml", Line: 3, Column: 1}, Message: "m"}),
			want:   "::warning file=a.yaml,line=3,col=1,title=KL203::m\n",
		},
		"an info is a notice": {
			report: one(lint.Finding{Rule: "KL305", Severity: lint.SeverityInfo, Pos: lint.Position{File: "a.yaml", Line: 29, Column: 1}, Message: "m"}),
			want:   "::notice file=a.yaml,line=29,col=1,title=KL305::m\n",
		},
		"a hint is the annotation's second line": {
			report: one(lint.Finding{Rule: "KL203", Severity: lint.SeverityWarning, Pos: lint.Position{File: "a.yaml", Line: 3, Column: 1}, Message: "m", Hint: "do 100%"}),
			want:   "::warning file=a.yaml,line=3,col=1,title=KL203::m%0Ahint: do 100%25\n",
		},
		"a finding without a line annotates the whole file": {
			report: one(lint.Finding{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "a.yaml"}, Message: "m"}),
			want:   "::error file=a.yaml,title=KL008::m\n",
		},
		"percent signs and line breaks in the message are escaped": {
			report: one(lint.Finding{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "a.yaml", Line: 1, Column: 1}, Message: "100% wrong\r\nsecond line: a, b ::x"}),
			want:   "::error file=a.yaml,line=1,col=1,title=KL008::100%25 wrong%0D%0Asecond line: a, b ::x\n",
		},
		"commas and colons in a file name are escaped": {
			report: one(lint.Finding{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "c:d,e%.yaml", Line: 1, Column: 1}, Message: "m"}),
			want:   "::error file=c%3Ad%2Ce%25.yaml,line=1,col=1,title=KL008::m\n",
		},
		"absolute paths below the work dir become relative": {
			report: one(lint.Finding{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{File: "/repo/configs/a.yaml", Line: 1, Column: 1}, Message: "m"}),
			opts:   Options{WorkDir: "/repo"},
			want:   "::error file=configs/a.yaml,line=1,col=1,title=KL008::m\n",
		},
		"the summary follows as a plain log line": {
			report: &Report{Findings: testReport().Findings[:1], Summary: Summary{Files: 1, Documents: 1, Warnings: 1}},
			want:   "::warning file=a.yaml,line=3,col=1,title=KL203::no controlPlaneEndpoint%0Ahint: set a DNS name now\n0 errors, 1 warning, 0 infos in 1 file (1 document, 0 skipped)\n",
		},
		"quiet leaves out the summary": {
			report: &Report{Findings: testReport().Findings[:1], Summary: Summary{Files: 1, Documents: 1, Warnings: 1}},
			opts:   Options{Quiet: true},
			want:   "::warning file=a.yaml,line=3,col=1,title=KL203::no controlPlaneEndpoint%0Ahint: set a DNS name now\n",
		},
		"colour never reaches the log": {
			report: &Report{Summary: Summary{Files: 1, Documents: 1, Errors: 2}},
			opts:   Options{Color: true},
			want:   "2 errors, 0 warnings, 0 infos in 1 file (1 document, 0 skipped)\n",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := GitHub(&b, tt.report, tt.opts); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", b.String(), tt.want)
			}
		})
	}
}
