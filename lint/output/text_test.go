package output

import (
	"bytes"
	"testing"
)

func TestText(t *testing.T) {
	const (
		warning = "a.yaml:3:1: warning KL203 no controlPlaneEndpoint\n"
		errLine = "a.yaml:6:3: error KL008 networking.podSubnet: Invalid value: \"10.244.0.0/33\"\n"
		info    = "b.yaml:29:1: info KL305 serverTLSBootstrap is true\n"
		summary = "1 error, 1 warning, 1 info in 3 files (4 documents, 0 skipped)\n"
	)
	clean := &Report{Summary: Summary{Files: 1, Documents: 2}}
	tests := map[string]struct {
		report *Report
		opts   Options
		want   string
	}{
		"findings come first and the summary last": {report: testReport(), want: warning + errLine + info + summary},
		"quiet prints only the findings":           {report: testReport(), opts: Options{Quiet: true}, want: warning + errLine + info},
		"a clean run still says what it read":      {report: clean, want: "0 errors, 0 warnings, 0 infos in 1 file (2 documents, 0 skipped)\n"},
		"quiet prints nothing for a clean run":     {report: clean, opts: Options{Quiet: true}, want: ""},
		"no summary when no file could be read":    {report: &Report{}, want: ""},
		"colour marks positions, severities and non-zero counts": {
			report: &Report{
				Findings: testReport().Findings[1:2],
				Summary:  Summary{Files: 1, Documents: 1, Errors: 1},
			},
			opts: Options{Color: true},
			want: "\x1b[1ma.yaml:6:3\x1b[0m: \x1b[1;31merror\x1b[0m KL008 networking.podSubnet: Invalid value: \"10.244.0.0/33\"\n" +
				"\x1b[1;31m1 error\x1b[0m, 0 warnings, 0 infos in 1 file (1 document, 0 skipped)\n",
		},
		"source lines get a caret under the column": {
			report: &Report{
				Findings: testReport().Findings[1:2],
				Sources:  map[string][]byte{"a.yaml": []byte("a: 1\nb: 2\nc: 3\nd: 4\nnetworking:\n  podSubnet: 10.244.0.0/33\n")},
			},
			opts: Options{ShowSource: true},
			want: errLine + "    podSubnet: 10.244.0.0/33\n    ^\n",
		},
		"the hint follows the source line": {
			report: &Report{
				Findings: testReport().Findings[:1],
				Sources:  map[string][]byte{"a.yaml": []byte("a: 1\nb: 2\nkind: ClusterConfiguration\n")},
			},
			opts: Options{ShowSource: true},
			want: warning + "  kind: ClusterConfiguration\n  ^\n  hint: set a DNS name now\n",
		},
		"the hint shows without a source line": {
			report: &Report{Findings: testReport().Findings[:1]},
			opts:   Options{ShowSource: true, Color: true},
			want:   "\x1b[1ma.yaml:3:1\x1b[0m: \x1b[1;33mwarning\x1b[0m KL203 no controlPlaneEndpoint\n  \x1b[1mhint:\x1b[0m set a DNS name now\n",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Text(&b, tt.report, tt.opts); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", b.String(), tt.want)
			}
		})
	}
}
