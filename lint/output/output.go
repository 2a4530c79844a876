// Package output writes lint results in the formats the CLI offers, one file per format.
package output

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Report is everything a writer prints for one run.
type Report struct {
	Findings []lint.Finding // sorted
	Summary  Summary
	// Files names every file linted, for formats that list files without findings too.
	Files []string
	// Sources holds each file's text, for writers that quote the offending line; it may be
	// empty when none is asked to.
	Sources map[string][]byte
	// Rules describes the rules that may appear in Findings, for formats that list them.
	Rules []*lint.Rule
	// Errors are the inputs that could not be read. They fail the run (exit 2), so every
	// machine-readable format carries them: a report must fail when the run does.
	Errors []error
	// Cluster is set for an audit of a cluster: each finding's Pos.File then names an object,
	// "node/cp-1" or "configmap/kube-system/kubeadm-config[ClusterConfiguration]", not a file,
	// and has a line only inside a ConfigMap key.
	Cluster bool
}

// inputError is an unreadable input as the formats report it.
type inputError struct {
	File    string // empty when the error is about no one file
	Line    int    // 0 when it has none
	Message string
}

// inputErrors returns r.Errors with the file and line of each, where the error has them.
func (r *Report) inputErrors() []inputError {
	out := make([]inputError, 0, len(r.Errors))
	for _, err := range r.Errors {
		var ie *lint.InputError
		if errors.As(err, &ie) {
			out = append(out, inputError{File: ie.File, Line: ie.Line, Message: ie.Err.Error()})
			continue
		}
		out = append(out, inputError{Message: err.Error()})
	}
	return out
}

// Summary counts what a run looked at and found.
type Summary struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Skipped   int `json:"skipped"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Infos     int `json:"infos"`
	// NotRegular counts the FIFOs, sockets and devices that a directory walk skipped.
	NotRegular int `json:"notRegular,omitempty"`
	// Objects counts what a cluster audit read: ConfigMaps, nodes, Pods and the rest.
	Objects int `json:"objects,omitempty"`
}

// empty reports whether the run looked at nothing, when a summary line would say nothing the
// errors on stderr do not.
func (s Summary) empty() bool { return s.Files == 0 && s.Objects == 0 }

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

// Options tune a writer. The zero value is a valid, plain configuration.
type Options struct {
	ShowSource bool // text: quote the source line with a caret under the column, then the hint
	// Color adds ANSI colours to text output. The caller decides: only for a terminal, and never
	// when NO_COLOR is set.
	Color bool
	// Quiet leaves out everything but the findings: no summary line, and no output at all when
	// there is nothing to report. Text and github only; the other formats are documents.
	Quiet bool
	// FailOn is the lowest severity that fails the run (--fail-on); junit reports findings at or
	// above it as failures, so that the test report agrees with the exit code. Zero means error.
	FailOn lint.Severity
	// ToolVersion names the linter's version in formats that record it (sarif).
	ToolVersion string
	// WorkDir, when set, turns absolute file names below it into relative ones in the formats that
	// GitHub reads (sarif, github): GitHub resolves them against the repository root.
	WorkDir string
}

func (o Options) failOn() lint.Severity {
	if o.FailOn == 0 {
		return lint.SeverityError
	}
	return o.FailOn
}

// Writer prints a report.
type Writer func(w io.Writer, r *Report, opts Options) error

// FormatNames lists the formats, sorted.
func FormatNames() []string {
	return []string{"checkstyle", "github", "json", "junit", "sarif", "text"}
}

// Lookup returns the writer for a format name.
func Lookup(format string) (Writer, error) {
	switch format {
	case "text":
		return Text, nil
	case "json":
		return JSON, nil
	case "sarif":
		return SARIF, nil
	case "github":
		return GitHub, nil
	case "junit":
		return JUnit, nil
	case "checkstyle":
		return Checkstyle, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %v)", format, FormatNames())
}

// files lists every linted file, sorted. Sources has one entry per linted file, findings or not;
// findings are added in case a caller filled Sources only partly.
func (r *Report) files() []string {
	names := slices.Clone(r.Files)
	for name := range r.Sources {
		names = append(names, name)
	}
	for _, f := range r.Findings {
		names = append(names, f.Pos.File)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// relPath gives a file name as GitHub wants it: relative to WorkDir when below it, with forward
// slashes on every OS.
func (o Options) relPath(name string) string {
	if o.WorkDir != "" && filepath.IsAbs(name) {
		if rel, err := filepath.Rel(o.WorkDir, name); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			name = rel
		}
	}
	return filepath.ToSlash(name)
}

// summaryLine counts what a run looked at, for humans reading a terminal or a CI log. With color,
// non-zero counts take their severity's colour.
func summaryLine(s Summary, color bool) string {
	count := func(n int, sev lint.Severity) string {
		text := plural(n, sev.String())
		if color && n > 0 {
			return paint(severityColor(sev), text)
		}
		return text
	}
	counts := fmt.Sprintf("%s, %s, %s", count(s.Errors, lint.SeverityError), count(s.Warnings, lint.SeverityWarning), count(s.Infos, lint.SeverityInfo))
	if s.Files == 0 && s.Objects > 0 {
		return fmt.Sprintf("%s in %s", counts, plural(s.Objects, "object"))
	}
	line := fmt.Sprintf("%s in %s (%s, %d skipped)", counts, plural(s.Files, "file"), plural(s.Documents, "document"), s.Skipped)
	if s.NotRegular > 0 {
		line += fmt.Sprintf("; %s skipped (FIFOs, sockets or devices)", plural(s.NotRegular, "special file"))
	}
	return line
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
