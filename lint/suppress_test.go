package lint_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

// flagBad reports every scalar "bad" in a YAML source, so that the tests place findings where
// they like. It took over the checks of a retired KL996.
var flagBad = &lint.Rule{ID: "KL998", Name: "flag-bad", Severity: lint.SeverityError, Replaces: []string{"KL996"}, Run: func(p *lint.Pass) {
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Value == "bad" {
			p.Report(nil, lint.Finding{Pos: lint.Position{Line: n.Line, Column: n.Column}, Message: "bad value"})
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, d := range p.File.Docs {
		walk(d.Source)
	}
}}

// flagBadWord reports every word "bad" in a shell script.
var flagBadWord = &lint.Rule{ID: "KL997", Name: "flag-bad-word", Severity: lint.SeverityError, Scripts: true, Run: func(p *lint.Pass) {
	for _, cmd := range lint.ShellCommands(p.File.Name, p.Script) {
		for _, w := range cmd {
			if w.Text == "bad" {
				p.Report(nil, lint.Finding{Pos: w.Pos, Message: "bad word"})
			}
		}
	}
}}

const header = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"

func TestSuppress(t *testing.T) {
	tests := map[string]struct {
		src          string
		script       bool
		reportUnused bool
		disabled     []string
		want         []string // line:rule, in order
	}{
		"a finding without a comment stays": {
			src:  header + "a: bad\n",
			want: []string{"3:KL998"},
		},
		"an ignore at the end of the line suppresses": {
			src: header + "a: bad # kubeadm-lint:ignore KL998 known\n",
		},
		"an ignore on the line above suppresses": {
			src: header + "# kubeadm-lint:ignore KL998 known\na: bad\n",
		},
		"an ignore of a retired ID suppresses the rule that took it over": {
			src: header + "a: bad # kubeadm-lint:ignore kl996 known\n",
		},
		"an ignore for another rule does not suppress": {
			src:  header + "a: bad # kubeadm-lint:ignore KL203 not this one\n",
			want: []string{"3:KL998"},
		},
		"an ignore two lines above does not reach across code": {
			src:  header + "# kubeadm-lint:ignore KL998 too far\nb: good\na: bad\n",
			want: []string{"5:KL998"},
		},
		"stacked ignores and comments above one line all apply": {
			src: header + "# kubeadm-lint:ignore KL998 first\n# a note\n# kubeadm-lint:ignore KL203 second\na: bad\n",
		},
		"a blank line under an ignore leaves it covering nothing": {
			src:  header + "# kubeadm-lint:ignore KL998 detached\n\na: bad\n",
			want: []string{"3:KL012", "5:KL998"},
		},
		"an ignore above a key covers the key's block": {
			src: header + "# kubeadm-lint:ignore KL998 the whole block\na:\n  b:\n  - c: bad\n  - bad\nd: bad\n",
			// Only d, after the block, is left.
			want: []string{"8:KL998"},
		},
		"an ignore at the end of a key line covers the key's block": {
			src:  header + "a: # kubeadm-lint:ignore KL998 the whole block\n  b: bad\nc: bad\n",
			want: []string{"5:KL998"},
		},
		"an ignore above a list item covers the item": {
			src:  header + "a:\n# kubeadm-lint:ignore KL998 this item\n- name: x\n  value: bad\n- name: y\n  value: bad\n",
			want: []string{"8:KL998"},
		},
		"a list of IDs with spaces after the commas": {
			src: header + "a: bad # kubeadm-lint:ignore KL203, KL998 both\n",
		},
		"IDs are case-insensitive": {
			src: header + "a: bad # kubeadm-lint:ignore kl998 lower case\n",
		},
		"an ignore-file anywhere covers the whole file": {
			src: header + "a: bad\nb:\n  c: bad\n# kubeadm-lint:ignore-file KL998 generated file\n",
		},
		"an ignore without a reason suppresses and warns": {
			src:  header + "a: bad # kubeadm-lint:ignore KL998\n",
			want: []string{"3:KL011"},
		},
		"punctuation or another comment is no reason": {
			src:  header + "a: bad # kubeadm-lint:ignore KL998 -- # yamllint disable-line\n",
			want: []string{"3:KL011"},
		},
		"an unknown rule ID is reported and suppresses nothing": {
			src:  header + "a: bad # kubeadm-lint:ignore KL9O8 typo\n",
			want: []string{"3:KL998", "3:KL012"},
		},
		"an unknown directive is reported": {
			src:  header + "a: bad # kubeadm-lint:disable KL998 wrong verb\n",
			want: []string{"3:KL998", "3:KL012"},
		},
		"an ignore naming no rule is reported": {
			src:  header + "a: bad # kubeadm-lint:ignore\n",
			want: []string{"3:KL998", "3:KL012"},
		},
		"the rules about ignores cannot be ignored": {
			src:  header + "a: good # kubeadm-lint:ignore KL011\n# kubeadm-lint:ignore-file KL011 no\n",
			want: []string{"3:KL011", "3:KL012", "4:KL012"},
		},
		"an unused ignore is silent by default": {
			src: header + "a: good # kubeadm-lint:ignore KL998 stale\n",
		},
		"an unused ignore is reported when asked": {
			src:          header + "a: good # kubeadm-lint:ignore KL998 stale\n# kubeadm-lint:ignore-file KL998 stale too\n",
			reportUnused: true,
			want:         []string{"3:KL013", "4:KL013"},
		},
		"only the unused IDs of a list are reported": {
			src:          header + "a: bad # kubeadm-lint:ignore KL998,KL203 one of two\n",
			reportUnused: true,
			want:         []string{"3:KL013"},
		},
		"an ignore of a disabled rule is never unused": {
			src:          header + "a: good # kubeadm-lint:ignore KL203 turned off in the config\n",
			reportUnused: true,
			disabled:     []string{"KL203"},
		},
		"a disabled KL011 says nothing about a missing reason": {
			src:      header + "a: bad # kubeadm-lint:ignore KL998\n",
			disabled: []string{"KL011"},
		},
		"a directive in a double-quoted string is text": {
			src:  header + "a: \"x # kubeadm-lint:ignore KL998 in a string\"\nb: [bad, \"# kubeadm-lint:ignore KL998 also\"]\n",
			want: []string{"4:KL998"},
		},
		"a directive in a multi-line string is text": {
			src:  header + "a: \"first\n  # kubeadm-lint:ignore KL998 in a string\"\nb: bad\n",
			want: []string{"5:KL998"},
		},
		"a directive in a single-quoted string with an escaped quote is text": {
			src:  header + "a: ['it''s # kubeadm-lint:ignore KL998 no', bad]\n",
			want: []string{"3:KL998"},
		},
		"a comment after a string with a hash in it is found": {
			src: header + "a: ['it''s # not a comment', bad] # kubeadm-lint:ignore KL998 yes\n",
		},
		"a directive in a string after an anchor is text": {
			src:  header + "a: [&x \"q # kubeadm-lint:ignore KL998 no\", bad]\n",
			want: []string{"3:KL998"},
		},
		"a comment after an anchored string is found": {
			src: header + "a: [&x \"q # no\", bad] # kubeadm-lint:ignore KL998 yes\n",
		},
		"a comment after an empty block scalar is found": {
			src: header + "a: |\nb: bad # kubeadm-lint:ignore KL998 yes\n",
		},
		"a directive in a block scalar is text": {
			src:  header + "a: |\n  # kubeadm-lint:ignore KL998 in the text\nb: bad\n",
			want: []string{"5:KL998"},
		},
		"a comment less indented than a block scalar's text ends it": {
			src: header + "a:\n  b: |\n      text\n  # kubeadm-lint:ignore KL998 a real comment\n  c: bad\n",
		},
		"a hash inside a plain value is not a comment": {
			src:  header + "a: x#kubeadm-lint:ignore KL998 no\nb: bad\n",
			want: []string{"4:KL998"},
		},
		"CRLF line endings": {
			src: strings.ReplaceAll(header+"# kubeadm-lint:ignore KL998 known\na: bad\nb: bad # kubeadm-lint:ignore KL998 known\n", "\n", "\r\n"),
		},
		"several documents share the file's ignores": {
			src:  header + "a: bad # kubeadm-lint:ignore KL998 first document\n---\n" + header + "a: bad\n# kubeadm-lint:ignore-file KL203 a rule that does not fire\n",
			want: []string{"7:KL998"},
		},
		"a script ignore at the end of the line": {
			src:    "kubeadm init bad # kubeadm-lint:ignore KL997 known\n",
			script: true,
		},
		"a script ignore above covers the continuation lines": {
			src:    "# kubeadm-lint:ignore KL997 known\nkubeadm init \\\n  bad \\\n  bad\nkubeadm join bad\n",
			script: true,
			want:   []string{"5:KL997"},
		},
		"a script directive in quotes is text": {
			src:    "echo \" # kubeadm-lint:ignore KL997 quoted\" bad\necho '\n# kubeadm-lint:ignore KL997 quoted too\n' bad\n",
			script: true,
			want:   []string{"1:KL997", "4:KL997"},
		},
		"a script escaped quote does not end the string": {
			src:    "echo bad \"\\\" # kubeadm-lint:ignore KL997 still quoted\"\n",
			script: true,
			want:   []string{"1:KL997"},
		},
		"a script hash inside a word is not a comment": {
			src:    "echo $# bad#kubeadm-lint:ignore KL997 no\necho bad\n",
			script: true,
			want:   []string{"2:KL997"},
		},
		"a script ignore-file": {
			src:    "#!/bin/sh\n# kubeadm-lint:ignore-file KL997 legacy script\necho bad\necho bad\n",
			script: true,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			disabled := map[string]bool{}
			for _, id := range tt.disabled {
				disabled[id] = true
			}
			l, err := lint.New(lint.Config{
				Rules:               []*lint.Rule{rules.KL011, rules.KL012, rules.KL013, rules.KL203, flagBadWord, flagBad},
				Policy:              lint.Policy{Disabled: disabled},
				ReportUnusedIgnores: tt.reportUnused,
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.Lint(context.Background(), lint.Source{Name: "t.yaml", Data: []byte(tt.src), Script: tt.script})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				if f.Rule == "KL203" {
					continue // a ClusterConfiguration without an endpoint; only ignores of it matter
				}
				got = append(got, fmt.Sprintf("%d:%s", f.Pos.Line, f.Rule))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got findings %v, want %v", got, tt.want)
				for _, f := range res.Findings {
					t.Logf("%s %s %s", f.Pos, f.Rule, f.Message)
				}
			}
		})
	}
}

// TestSuppressMessages pins the wording, hints and position of the findings about ignores.
func TestSuppressMessages(t *testing.T) {
	src := header + "a: good   # kubeadm-lint:ignore KL998\n  # kubeadm-lint:ignore KL999 typo\nb: good\n"
	l, err := lint.New(lint.Config{Rules: []*lint.Rule{rules.KL011, rules.KL012, rules.KL013, flagBad}, ReportUnusedIgnores: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Lint(context.Background(), lint.Source{Name: "t.yaml", Data: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s: %s %s %s (hint: %s)", f.Pos, f.Severity, f.Rule, f.Message, f.Hint))
	}
	want := []string{
		"t.yaml:3:11: warning KL011 ignore of KL998 gives no reason (hint: say why after the rule IDs)",
		"t.yaml:3:11: warning KL013 ignore of KL998 suppresses nothing (hint: remove KL998 from the comment)",
		`t.yaml:4:3: warning KL012 ignore names unknown rule "KL999" (hint: name rules by their IDs, which 'kubeadm-lint rules' lists)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
