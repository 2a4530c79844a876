package lint

import "strings"

// BlockScalarLast returns the index of the last text line of a literal or folded scalar ("|" or
// ">") whose header ends line first-1, or first-1 when it has no text. The text is the lines
// that are blank or indented at least as far as the first text line, which must be indented more
// than parent, the indentation of the line holding the header. yaml.v3 gives no end position, so
// the suppression scanner and fix's text splicing both need this.
func BlockScalarLast(count int, line func(int) string, first, parent int) int {
	last, content := first-1, -1
	for i := first; i < count; i++ {
		text := line(i)
		if strings.TrimSpace(text) == "" {
			continue
		}
		ind := len(text) - len(strings.TrimLeft(text, " "))
		if content < 0 {
			if ind <= parent {
				break
			}
			content = ind
		}
		if ind < content {
			break
		}
		last = i
	}
	return last
}
