package output

import (
	"fmt"
	"strings"
)

// Escape writes the control characters of s as Go escapes (\n, \r, \x1b, \u0085), so that a
// file name, a key or a value from the input cannot end a line of the output and forge the next
// one (a GitHub Actions workflow command, a finding), move the cursor or recolour a terminal.
// Tabs stay: they are how a quoted source line keeps its caret aligned. The line and paragraph
// separators and the bidirectional overrides are escaped too, as they reorder what is shown.
func Escape(s string) string { return escape(s, false) }

// escape is Escape, leaving line breaks alone when keepBreaks is set, for a writer that encodes
// them its own way (GitHub's %0A).
func escape(s string, keepBreaks bool) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isControl(r), keepBreaks && (r == '\n' || r == '\r'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
