// Package wantcomment reads the expectations the rule cases under testdata write in their
// comments, for the file rules' harness (lint/linttest) and the cluster rules'
// (audit/audittest):
//
//	# options: key=value ...                                first line only
//	# want KL123 "regexp" [on "regexp"] [hint "regexp"]     several to a comment
//
// A regexp's only escape is \"; other backslashes belong to the regexp.
package wantcomment

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	wantComment = regexp.MustCompile(`#\s*want\s+(.*)$`)
	wantItem    = regexp.MustCompile(`(KL\d{3})\s+("(?:[^"\\]|\\.)*")(?:\s+on\s+("(?:[^"\\]|\\.)*"))?(?:\s+hint\s+("(?:[^"\\]|\\.)*"))?`)
	optionsLine = regexp.MustCompile(`^#\s*options:\s*(.*)$`)
)

// Want is one finding a case expects.
type Want struct {
	Line    int // the comment's line, 1-based
	Rule    string
	Message *regexp.Regexp
	On      *regexp.Regexp // nil: anywhere
	Hint    *regexp.Regexp // nil: any hint
}

func (w Want) String() string {
	s := fmt.Sprintf("%q", w.Message)
	if w.On != nil {
		s += fmt.Sprintf(" on %q", w.On)
	}
	if w.Hint != nil {
		s += fmt.Sprintf(" with hint %q", w.Hint)
	}
	return s
}

// Parse returns the first line's options, "" when it has none, and the wants in line order.
func Parse(src string) (options string, wants []Want, err error) {
	for i, line := range strings.Split(src, "\n") {
		if i == 0 {
			if m := optionsLine.FindStringSubmatch(line); m != nil {
				options = m[1]
				continue
			}
		}
		m := wantComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		items := wantItem.FindAllStringSubmatch(m[1], -1)
		// Text no item takes is a want written wrong (an unclosed quote, "on" after "hint"),
		// which would otherwise be dropped and its finding go unchecked.
		if len(items) == 0 || strings.TrimSpace(wantItem.ReplaceAllString(m[1], "")) != "" {
			return "", nil, fmt.Errorf("line %d: malformed want comment %q", i+1, m[0])
		}
		for _, it := range items {
			w := Want{Line: i + 1, Rule: it[1]}
			for _, field := range []struct {
				re   **regexp.Regexp
				text string
			}{{&w.Message, it[2]}, {&w.On, it[3]}, {&w.Hint, it[4]}} {
				if field.text == "" {
					continue
				}
				if *field.re, err = regexp.Compile(strings.ReplaceAll(field.text[1:len(field.text)-1], `\"`, `"`)); err != nil {
					return "", nil, fmt.Errorf("line %d: %v", i+1, err)
				}
			}
			wants = append(wants, w)
		}
	}
	return options, wants, nil
}
