// Package output writes lint results in the formats the CLI offers, one file per format.
package output

import (
	"fmt"
	"io"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Report is everything a writer prints for one run.
type Report struct {
	Findings []lint.Finding // sorted
	Summary  Summary
	// Sources holds each file's text, for writers that quote the offending line.
	Sources map[string][]byte
	// Rules describes the rules that may appear in Findings, for formats that list them.
	Rules []*lint.Rule
}

// Summary counts what a run looked at and found.
type Summary struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Skipped   int `json:"skipped"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Infos     int `json:"infos"`
}

// Count adds findings to the severity counters.
func (s *Summary) Count(fs []lint.Finding) {
	for _, f := range fs {
		switch f.Severity {
		case lint.SeverityError:
			s.Errors++
		case lint.SeverityWarning:
			s.Warnings++
		case lint.SeverityInfo:
			s.Infos++
		}
	}
}

// Options tune a writer.
type Options struct {
	ShowSource bool // text: quote the source line with a caret under the column
}

// Writer prints a report.
type Writer func(w io.Writer, r *Report, opts Options) error

// FormatNames lists the formats, sorted.
func FormatNames() []string { return []string{"json", "text"} }

// Lookup returns the writer for a format name.
func Lookup(format string) (Writer, error) {
	switch format {
	case "text":
		return Text, nil
	case "json":
		return JSON, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %v)", format, FormatNames())
}
