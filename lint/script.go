package lint

import (
	"strings"
)

// ShellWord is one word of a shell command line, with where it starts in the script.
type ShellWord struct {
	Text string // unquoted
	Pos  Position
}

// ShellCommands splits a shell script into command lines, joining backslash continuations and
// removing quotes, so that rules can look for kubeadm invocations. It is not a shell parser: it
// knows words, quotes, comments, ';', '&&', '||' and '|', which is what install scripts use.
func ShellCommands(name string, script []byte) [][]ShellWord {
	var cmds [][]ShellWord
	var cur []ShellWord
	var word strings.Builder
	inWord := false
	var start Position
	var quote byte
	line, col := 1, 0
	flushWord := func() {
		if inWord {
			cur = append(cur, ShellWord{Text: word.String(), Pos: start})
			word.Reset()
			inWord = false
		}
	}
	flushCmd := func() {
		flushWord()
		if len(cur) > 0 {
			cmds = append(cmds, cur)
			cur = nil
		}
	}
	s := string(script)
	for i := 0; i < len(s); i++ {
		c := s[i]
		col++
		if !inWord && quote == 0 && c != ' ' && c != '\t' && c != '\n' {
			start = Position{File: name, Line: line, Column: col}
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				if c == '\n' {
					line, col = line+1, 0
				}
				word.WriteByte(c)
			}
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i++
			line, col = line+1, 0
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == '#' && !inWord:
			for i+1 < len(s) && s[i+1] != '\n' {
				i++
			}
		case c == '\n' || c == ';' || c == '|' || c == '&':
			flushCmd()
			if c == '\n' {
				line, col = line+1, 0
			}
		case c == ' ' || c == '\t':
			flushWord()
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	flushCmd()
	return cmds
}
