package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string         `xml:"name,attr"`
		ClassName string         `xml:"classname,attr"`
		Failures  []junitFailure `xml:"failure"`
		Errors    []junitFailure `xml:"error"`
		SystemOut string         `xml:"system-out,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// JUnit prints a JUnit XML report for CI systems that show test results (GitLab, Jenkins, Azure
// Pipelines): one testsuite, one testcase per linted file named by its path, and one <failure>
// per finding at or above --fail-on (errors by default), so that the report fails exactly when
// the exit code does. Findings below that severity go to the testcase's <system-out>: they are
// worth reading but must not turn the file red, and "skipped" would wrongly say it was not
// linted. The failures counters count failing files, as JUnit counts failing tests. A hint
// follows its finding's line in the failure body or system-out; the failure's message attribute,
// which CI systems show as the headline, keeps the message alone.
func JUnit(w io.Writer, r *Report, opts Options) error {
	byFile := map[string][]int{}
	for i, f := range r.Findings {
		byFile[f.Pos.File] = append(byFile[f.Pos.File], i)
	}
	suite := junitSuite{Name: toolName}
	for _, name := range r.files() {
		tc := junitCase{Name: name, ClassName: toolName}
		var out strings.Builder
		for _, i := range byFile[name] {
			f := r.Findings[i]
			line := fmt.Sprintf("%s: %s %s %s", f.Pos, f.Severity, f.Rule, f.Message)
			if f.Hint != "" {
				line += "\n  hint: " + f.Hint
			}
			if f.Severity >= opts.failOn() {
				tc.Failures = append(tc.Failures, junitFailure{Message: f.Rule + ": " + f.Message, Type: f.Rule, Text: line})
			} else {
				out.WriteString(line + "\n")
			}
		}
		tc.SystemOut = strings.TrimSuffix(out.String(), "\n")
		if len(tc.Failures) > 0 {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	// An unreadable input is a test that could not run: an <error>, counted in errors.
	for _, e := range r.inputErrors() {
		name := e.File
		if name == "" {
			name = "inputs"
		}
		text := e.Message
		switch {
		case e.Line > 0:
			text = fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
		case e.File != "":
			text = e.File + ": " + e.Message
		}
		suite.Cases = append(suite.Cases, junitCase{Name: name, ClassName: toolName, Errors: []junitFailure{{Message: e.Message, Type: "input", Text: text}}})
		suite.Errors++
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: toolName, Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Suites: []junitSuite{suite}}
	return writeXML(w, doc)
}

// writeXML prints v as an indented XML document. encoding/xml escapes markup characters and
// replaces characters XML cannot carry, so any message is safe.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
