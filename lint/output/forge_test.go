package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestForgedLines: a file name, a message (which quotes keys and values from the input) or a
// source line that holds a newline, a carriage return or an ANSI escape must not start a line
// of its own, such as a GitHub Actions workflow command, nor reach the terminal raw.
func TestForgedLines(t *testing.T) {
	const forged = "\n::error file=ci.yaml,line=1::forged"
	tests := []struct {
		name    string
		finding lint.Finding
		source  string
	}{
		{name: "a file name with a newline and a workflow command",
			finding: lint.Finding{Pos: lint.Position{File: "a.yaml" + forged, Line: 1, Column: 1}, Message: "no controlPlaneEndpoint"}},
		{name: "an extraArgs name with a newline and a workflow command",
			finding: lint.Finding{Pos: lint.Position{File: "a.yaml", Line: 1, Column: 1}, Message: `unknown flag "x` + forged + `"`, Hint: "see" + forged}},
		{name: "a carriage return that overwrites the line",
			finding: lint.Finding{Pos: lint.Position{File: "a.yaml\r::error::forged", Line: 1, Column: 1}, Message: "value \"\r::error::forged\""}},
		{name: "ANSI escapes in a file name and a message",
			finding: lint.Finding{Pos: lint.Position{File: "\x1b[2J\x1b[1;1Ha.yaml", Line: 1, Column: 1}, Message: "value \"\x1b]8;;http://x\x07y\x1b[0m\""}},
		{name: "a source line with an ANSI escape and a bidirectional override",
			finding: lint.Finding{Pos: lint.Position{File: "a.yaml", Line: 1, Column: 12}, Message: "bad value"},
			source:  "clusterName: \"\x1b[31mred\u202e\"\n"},
	}
	for _, tt := range tests {
		f := tt.finding
		f.Rule, f.Severity = "KL203", lint.SeverityError
		r := &Report{Findings: []lint.Finding{f}, Sources: map[string][]byte{f.Pos.File: []byte(tt.source)}}
		for _, format := range []struct {
			name  string
			write func(*bytes.Buffer) error
			lines int
		}{
			{name: "text", write: func(b *bytes.Buffer) error { return Text(b, r, Options{Quiet: true}) }, lines: 1},
			{name: "text with source", write: func(b *bytes.Buffer) error { return Text(b, r, Options{Quiet: true, ShowSource: true}) }, lines: 1},
			{name: "github", write: func(b *bytes.Buffer) error { return GitHub(b, r, Options{Quiet: true}) }, lines: 1},
		} {
			var b bytes.Buffer
			if err := format.write(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			want := format.lines
			if format.name == "text with source" {
				want = 1
				if tt.source != "" {
					want += 2 // the source line and its caret
				}
				if f.Hint != "" {
					want++
				}
			}
			if len(lines) != want || strings.ContainsAny(out, "\r\x1b\x07\u202e") {
				t.Errorf("%s, %s: %d lines, want %d, or a raw control character:\n%q", tt.name, format.name, len(lines), want, out)
			}
			for i, l := range lines {
				if i > 0 && strings.HasPrefix(l, "::") {
					t.Errorf("%s, %s: line %d is a workflow command: %q", tt.name, format.name, i+1, l)
				}
			}
		}
	}
}

func TestEscapeKeepsTheCaretUnderItsCharacter(t *testing.T) {
	r := &Report{
		Findings: []lint.Finding{{Rule: "KL203", Severity: lint.SeverityError, Pos: lint.Position{File: "a.yaml", Line: 1, Column: 5}, Message: "m"}},
		Sources:  map[string][]byte{"a.yaml": []byte("a: \x1bx\n")},
	}
	var b bytes.Buffer
	if err := Text(&b, r, Options{Quiet: true, ShowSource: true}); err != nil {
		t.Fatal(err)
	}
	want := "a.yaml:1:5: error KL203 m\n  a: \\x1bx\n         ^\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestFileURI(t *testing.T) {
	for name, want := range map[string]string{
		"a:b.yaml":          "./a:b.yaml",
		"dir/a:b.yaml":      "dir/a:b.yaml",
		"/etc/kubeadm.yaml": "file:///etc/kubeadm.yaml",
		`C:\configs\a.yaml`: "file:///C:%5Cconfigs%5Ca.yaml",
		"C:/configs/a.yaml": "file:///C:/configs/a.yaml",
		"with space/a.yaml": "with%20space/a.yaml",
	} {
		if got := fileURI(name); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", name, got, want)
		}
	}
}
