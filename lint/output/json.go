package output

import (
	"encoding/json"
	"io"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// jsonFinding is the stable wire form of a finding; other tools parse it.
type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file,omitempty"`
	Object   string `json:"object,omitempty"` // in a cluster audit, instead of file
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
	// References are the benchmark controls of a profile's rule: [{"standard":"cis-1.12","id":"1.2.15"}].
	References []lint.Reference `json:"references,omitempty"`
}

type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Summary  Summary       `json:"summary"`
	// Errors are the inputs that could not be read; the run failed with exit code 2.
	Errors []jsonError `json:"errors,omitempty"`
}

type jsonError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// JSON prints the versioned envelope {"version":1,"findings":[...],"summary":{...}}, with
// "errors":[...] when inputs could not be read.
func JSON(w io.Writer, r *Report, _ Options) error {
	out := jsonReport{Version: 1, Findings: make([]jsonFinding, 0, len(r.Findings)), Summary: r.Summary}
	for _, e := range r.inputErrors() {
		out.Errors = append(out.Errors, jsonError(e))
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Rule: f.Rule, Severity: f.Severity.String(), File: f.Pos.File,
			Line: f.Pos.Line, Column: f.Pos.Column, Path: f.Path, Message: f.Message, Hint: f.Hint,
			References: f.References,
		}
		if r.Cluster {
			jf.File, jf.Object = "", f.Pos.File
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // messages quote values such as ">= 1.36.0" for people and tools, not HTML
	return enc.Encode(out)
}
