package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Text prints one finding per line, "file:line:col: severity KLnnn message", as compilers do, so
// that editors and terminals link the position.
func Text(w io.Writer, r *Report, opts Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "%s: %s %s %s\n", f.Pos, f.Severity, f.Rule, f.Message)
		if opts.ShowSource {
			if line, ok := sourceLine(r.Sources[f.Pos.File], f.Pos.Line); ok {
				fmt.Fprintf(bw, "  %s\n  %s^\n", line, caretPad(line, f.Pos.Column))
			}
		}
	}
	if len(r.Findings) > 0 {
		s := r.Summary
		fmt.Fprintf(bw, "%s, %s, %s in %s (%s, %d skipped)\n",
			plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"),
			plural(s.Files, "file"), plural(s.Documents, "document"), s.Skipped)
	}
	return bw.Flush()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
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
