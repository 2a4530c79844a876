package output

import (
	"encoding/xml"
	"io"
)

type (
	checkstyleReport struct {
		XMLName xml.Name         `xml:"checkstyle"`
		Version string           `xml:"version,attr"`
		Files   []checkstyleFile `xml:"file"`
	}
	checkstyleFile struct {
		Name   string            `xml:"name,attr"`
		Errors []checkstyleError `xml:"error"`
	}
	checkstyleError struct {
		Line     int    `xml:"line,attr"`
		Column   int    `xml:"column,attr,omitempty"`
		Severity string `xml:"severity,attr"`
		Message  string `xml:"message,attr"`
		Source   string `xml:"source,attr"`
	}
)

// Checkstyle prints checkstyle XML (version 4.3, the form reviewdog, Jenkins' warnings-ng and
// most CI dashboards read). Every linted file is listed, with or without findings, as checkstyle
// itself does; a column of 0 (none) is left out, as checkstyle leaves it out. Hints are left out
// too: the format has no field for a remedy, and its readers show the message as one line.
func Checkstyle(w io.Writer, r *Report, _ Options) error {
	byFile := map[string][]checkstyleError{}
	for _, f := range r.Findings {
		byFile[f.Pos.File] = append(byFile[f.Pos.File], checkstyleError{
			Line: f.Pos.Line, Column: f.Pos.Column, Severity: f.Severity.String(),
			Message: f.Message, Source: toolName + "." + f.Rule,
		})
	}
	doc := checkstyleReport{Version: "4.3"}
	for _, name := range r.files() {
		doc.Files = append(doc.Files, checkstyleFile{Name: name, Errors: byFile[name]})
	}
	// An unreadable input is an error entry of its file, so that the report fails as the run does.
	for _, e := range r.inputErrors() {
		doc.Files = append(doc.Files, checkstyleFile{Name: e.File, Errors: []checkstyleError{
			{Line: e.Line, Severity: "error", Message: e.Message, Source: toolName + ".input"},
		}})
	}
	return writeXML(w, doc)
}
