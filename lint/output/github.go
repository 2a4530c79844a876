package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// GitHub prints GitHub Actions workflow commands, "::error file=…,line=…,col=…,title=KLnnn::message",
// which the runner turns into annotations on the pull request's diff. A hint goes on the
// annotation's second line, "hint: …", as annotations show every line of their message. The
// summary line follows as plain text, which the runner leaves in the job log.
func GitHub(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		props := []string{"file=" + escapeProperty(opts.relPath(f.Pos.File))}
		msg := f.Message
		if r.Cluster {
			// An object is no file of the repository: the annotation names it in its text.
			props, msg = nil, Escape(f.Pos.String())+": "+msg
		}
		// A position of 0 means none: the annotation then belongs to the whole file.
		if f.Pos.Line > 0 && !r.Cluster {
			props = append(props, fmt.Sprintf("line=%d", f.Pos.Line))
			if f.Pos.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Pos.Column))
			}
		}
		props = append(props, "title="+escapeProperty(f.Rule))
		if f.Hint != "" {
			msg += "\nhint: " + f.Hint
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", githubCommand(f.Severity), strings.Join(props, ","), escapeData(msg))
	}
	// An unreadable input fails the job; its annotation says which and why.
	for _, e := range r.inputErrors() {
		props := []string{"title=" + escapeProperty(toolName+": unreadable input")}
		if e.File != "" {
			props = append([]string{"file=" + escapeProperty(opts.relPath(e.File))}, props...)
			if e.Line > 0 {
				props = append(props[:1], append([]string{fmt.Sprintf("line=%d", e.Line)}, props[1:]...)...)
			}
		}
		fmt.Fprintf(bw, "::error %s::%s\n", strings.Join(props, ","), escapeData(e.Message))
	}
	if !opts.Quiet && !r.Summary.empty() {
		fmt.Fprintln(bw, summaryLine(r.Summary, false))
	}
	return bw.Flush()
}

func githubCommand(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "error"
	case lint.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// A command ends at a newline, and its properties end at "::" and split at ","; the runner
// decodes the same percent escapes that @actions/core's command.ts writes.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData keeps line breaks, as %0D and %0A, which an annotation shows as such, and
// escapes every other control character (Escape).
func escapeData(s string) string { return dataEscaper.Replace(escape(s, true)) }

// escapeProperty also escapes control characters (Escape): a runner shows a file name with an
// ANSI sequence raw.
func escapeProperty(s string) string { return propertyEscaper.Replace(Escape(s)) }
