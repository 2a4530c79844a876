package lint

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/internal/yamltext"
)

// Suppression comments:
//
//	# kubeadm-lint:ignore KL101[,KL203...] reason
//	# kubeadm-lint:ignore-file KL101[,KL203...] reason
//
// An ignore at the end of a line covers that line. An ignore on a line of its own covers the next
// line that is not a comment. Either way, when the covered line starts a YAML key or list item, or
// a shell command, the ignore covers all of it: a key's whole block, a command's continuation
// lines. An ignore-file covers the whole file.

// IDs of the rules about suppression comments. The Linter runs them after every other rule, on
// the IgnoreProblems that suppressing the others' findings recorded, because only then is it
// known which comments suppressed something.
const (
	RuleIgnoreWithoutReason = "KL011"
	RuleInvalidIgnore       = "KL012"
	RuleUnusedIgnore        = "KL013"
)

func isIgnoreRule(id string) bool {
	return id == RuleIgnoreWithoutReason || id == RuleInvalidIgnore || id == RuleUnusedIgnore
}

const directivePrefix = "kubeadm-lint:"

// ignore is one suppression comment.
type ignore struct {
	pos       Position // the comment's '#'
	wholeFile bool
	// first and last are the lines a line ignore covers; 0 when it covers none.
	first, last int
	rules       []string // as written
	used        []bool   // per rule
	reason      string
	// invalid says why the comment is not a valid directive, and invalidHint how to write it.
	invalid, invalidHint string
}

func (ig *ignore) covers(line int) bool {
	return ig.wholeFile || ig.first > 0 && ig.first <= line && line <= ig.last
}

// comment is a comment in a source: the text after '#', and where the '#' is.
type comment struct {
	line, col int    // 1-based; col counts characters, as yaml.v3 does
	text      string //
	trailing  bool   // code comes before it on its line
}

// IgnoreProblem is what is wrong with a suppression comment, for the rule that reports it.
type IgnoreProblem struct {
	Rule          string // KL011, KL012 or KL013
	Pos           Position
	Message, Hint string
}

// suppress drops the findings that suppression comments cover, and returns the rest with the
// comments' own problems. nodes are the source's YAML documents; nil for a script.
func (l *Linter) suppress(src Source, nodes []*yaml.Node, findings []Finding) ([]Finding, []IgnoreProblem) {
	// Most files have no suppression comment; reading comments costs a pass over the text.
	if !bytes.Contains(src.Data, []byte(directivePrefix)) {
		return findings, nil
	}
	lines := splitLines(src.Data)
	var comments []comment
	var spans map[int]int
	if src.Script {
		comments, spans = shellComments(src.Name, src.Data, lines)
	} else {
		comments, spans = yamlComments(src.Data, nodes)
	}
	ignores := parseIgnores(src.Name, comments, lines, spans)
	if len(ignores) == 0 {
		return findings, nil
	}
	for _, ig := range ignores {
		for i, id := range ig.rules {
			if now, ok := l.replaced[strings.ToUpper(id)]; ok {
				ig.rules[i] = now
			}
		}
	}

	kept := findings[:0]
	for _, f := range findings {
		suppressed := false
		for _, ig := range ignores {
			if !ig.covers(f.Pos.Line) {
				continue
			}
			for i, id := range ig.rules {
				if strings.EqualFold(id, f.Rule) {
					ig.used[i], suppressed = true, true
				}
			}
		}
		if !suppressed {
			kept = append(kept, f)
		}
	}

	var problems []IgnoreProblem
	report := func(id string, pos Position, msg, hint string) {
		problems = append(problems, IgnoreProblem{Rule: id, Pos: pos, Message: msg, Hint: hint})
	}
	for _, ig := range ignores {
		if ig.invalid != "" {
			report(RuleInvalidIgnore, ig.pos, ig.invalid, ig.invalidHint)
			continue
		}
		for i, id := range ig.rules {
			switch up := strings.ToUpper(id); {
			case !l.known[up]:
				report(RuleInvalidIgnore, ig.pos, fmt.Sprintf("ignore names unknown rule %q", id), "name rules by their IDs, which 'kubeadm-lint rules' lists")
			case isIgnoreRule(up):
				report(RuleInvalidIgnore, ig.pos, up+" cannot be ignored by a comment", "turn it off in .kubeadm-lint.yaml")
			case !ig.used[i] && l.reportUnused && l.enabled(up) != nil:
				if ig.wholeFile {
					report(RuleUnusedIgnore, ig.pos, "ignore-file of "+up+" suppresses nothing in this file", "remove "+up+" from the comment")
				} else {
					report(RuleUnusedIgnore, ig.pos, "ignore of "+up+" suppresses nothing", "remove "+up+" from the comment")
				}
			}
		}
		if ig.reason == "" {
			report(RuleIgnoreWithoutReason, ig.pos, "ignore of "+strings.Join(ig.rules, ",")+" gives no reason", "say why after the rule IDs")
		}
	}
	return kept, problems
}

// enabled returns the enabled rule with id, or nil.
func (l *Linter) enabled(id string) *Rule {
	for _, r := range l.rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// parseIgnores turns the comments that start with "kubeadm-lint:" into ignores, and works out
// the lines each covers. spans maps a line that starts a construct to the construct's last line.
func parseIgnores(file string, comments []comment, lines []string, spans map[int]int) []*ignore {
	commentOnly := map[int]bool{}
	for _, c := range comments {
		if !c.trailing {
			commentOnly[c.line] = true
		}
	}
	var out []*ignore
	for _, c := range comments {
		text := strings.TrimSpace(c.text)
		if !strings.HasPrefix(text, directivePrefix) {
			continue
		}
		ig := &ignore{pos: Position{File: file, Line: c.line, Column: c.col}}
		verb, rest := text[len(directivePrefix):], ""
		if i := strings.IndexAny(verb, " \t"); i >= 0 {
			verb, rest = verb[:i], verb[i:]
		}
		switch verb {
		case "ignore":
		case "ignore-file":
			ig.wholeFile = true
		default:
			ig.invalid = fmt.Sprintf("unknown directive %q", directivePrefix+verb)
			ig.invalidHint = "write kubeadm-lint:ignore or kubeadm-lint:ignore-file"
			out = append(out, ig)
			continue
		}
		ig.rules, ig.reason = splitRules(rest)
		ig.used = make([]bool, len(ig.rules))
		switch {
		case len(ig.rules) == 0:
			ig.invalid = fmt.Sprintf("%s%s names no rule", directivePrefix, verb)
			ig.invalidHint = "write the rule IDs, then the reason"
		case !ig.wholeFile:
			target := c.line
			if !c.trailing {
				// The next line that is not a comment; a blank line ends the run.
				target++
				for commentOnly[target] {
					target++
				}
				if target > len(lines) || strings.TrimSpace(lines[target-1]) == "" {
					target = 0
				}
			}
			if target == 0 {
				ig.invalid = fmt.Sprintf("%s%s covers no line", directivePrefix, verb)
				ig.invalidHint = "put it at the end of the line, or on the line above"
			} else {
				ig.first, ig.last = target, max(target, spans[target])
			}
		}
		out = append(out, ig)
	}
	return out
}

// splitRules splits "KL101, KL203 the reason" into the IDs and the reason. IDs are separated by
// commas, with or without spaces around them.
func splitRules(s string) (ids []string, reason string) {
	// " # " starts another comment, such as another tool's directive.
	if i := strings.Index(" "+s+" ", " # "); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	for s != "" {
		end := strings.IndexAny(s, ", \t")
		if end < 0 {
			end = len(s)
		}
		if end > 0 {
			ids = append(ids, s[:end])
		}
		s = strings.TrimLeft(s[end:], " \t")
		if !strings.HasPrefix(s, ",") {
			break
		}
		s = strings.TrimLeft(s[1:], " \t")
	}
	// A reason that is only punctuation, such as "--", says nothing.
	if strings.Trim(s, " \t-:;.,") == "" {
		s = ""
	}
	return ids, s
}

func splitLines(data []byte) []string {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// yamlComments finds the comments of a YAML source, and the line each key and list item ends
// on, by the line it starts on.
func yamlComments(data []byte, nodes []*yaml.Node) ([]comment, map[int]int) {
	sc := yamltext.New(data).Scan(nodes)
	out := make([]comment, len(sc.Comments))
	for i, c := range sc.Comments {
		out[i] = comment{line: c.Line, col: c.Col, text: c.Text, trailing: c.Trailing}
	}
	return out, sc.Spans
}

// shellComments finds the comments of a shell script with the word and quote rules of
// ShellCommands, and returns the last line of each command by the line it starts on.
func shellComments(name string, script []byte, lines []string) ([]comment, map[int]int) {
	spans := map[int]int{}
	for _, cmd := range ShellCommands(name, script) {
		first, last := cmd[0].Pos.Line, cmd[len(cmd)-1].Pos.Line
		spans[first] = max(spans[first], last)
	}
	var out []comment
	var quote byte
	inWord := false
	for i, line := range lines {
		for j := 0; j < len(line); j++ {
			c := line[j]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				} else if c == '\\' && quote == '"' {
					j++
				}
			case c == '\\':
				j++
				inWord = true
			case c == '\'' || c == '"':
				quote, inWord = c, true
			case c == '#' && !inWord:
				out = append(out, comment{
					line:     i + 1,
					col:      utf8.RuneCountInString(line[:j]) + 1,
					text:     line[j+1:],
					trailing: strings.TrimSpace(line[:j]) != "",
				})
				j = len(line)
			case c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')':
				inWord = false
			default:
				inWord = true
			}
		}
		inWord = false
	}
	return out, spans
}
