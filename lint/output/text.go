package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Text prints one finding per line, "file:line:col: severity KLnnn message", as compilers do, so
// that editors and terminals link the position. With ShowSource, the offending line, a caret and
// the hint follow, indented; without it, the output stays one line per finding, for grep and
// editors. The summary line comes last, where the eye lands when the command returns; it is left
// out when no file was read, as the errors on stderr then say everything.
func Text(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		pos, sev := Escape(f.Pos.String()), f.Severity.String()
		if opts.Color {
			pos, sev = paint(ansiBold, pos), paint(severityColor(f.Severity), sev)
		}
		fmt.Fprintf(bw, "%s: %s %s %s\n", pos, sev, f.Rule, Escape(f.Message))
		if opts.ShowSource {
			if line, ok := sourceLine(r.Sources[f.Pos.File], f.Pos.Line); ok {
				caret := "^"
				if opts.Color {
					caret = paint(ansiGreen, caret)
				}
				esc, col := escapeLine(line, f.Pos.Column)
				fmt.Fprintf(bw, "  %s\n  %s%s\n", esc, caretPad(esc, col), caret)
			}
			if f.Hint != "" {
				label := "hint:"
				if opts.Color {
					label = paint(ansiBold, label)
				}
				fmt.Fprintf(bw, "  %s %s\n", label, Escape(f.Hint))
			}
		}
	}
	if !opts.Quiet && !r.Summary.empty() {
		fmt.Fprintln(bw, summaryLine(r.Summary, opts.Color))
	}
	return bw.Flush()
}

// ANSI SGR sequences; every terminal that honours colour at all knows these.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[1;31m"
	ansiYellow  = "\x1b[1;33m"
	ansiCyan    = "\x1b[1;36m"
	ansiGreen   = "\x1b[32m"
	ansiDefault = ""
)

func paint(color, s string) string {
	if color == "" {
		return s
	}
	return color + s + ansiReset
}

func severityColor(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return ansiRed
	case lint.SeverityWarning:
		return ansiYellow
	case lint.SeverityInfo:
		return ansiCyan
	}
	return ansiDefault
}

func sourceLine(src []byte, line int) (string, bool) {
	if line < 1 {
		return "", false
	}
	for i := 1; len(src) > 0; i++ {
		l, rest, _ := bytes.Cut(src, []byte("\n"))
		if i == line {
			return strings.TrimRight(string(l), "\r"), true
		}
		src = rest
	}
	return "", false
}

// escapeLine escapes a source line and moves col, 1-based in bytes, to the same character of the
// escaped line.
func escapeLine(line string, col int) (string, int) {
	if col < 1 || col-1 > len(line) {
		return Escape(line), col
	}
	return Escape(line), len(Escape(line[:col-1])) + 1
}

// caretPad keeps tabs so that the caret lines up under the column in a terminal.
func caretPad(line string, col int) string {
	var b strings.Builder
	for i, r := range line {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}
