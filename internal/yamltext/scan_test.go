package yamltext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // line:col text, trailing marked with "+"
	}{
		{name: "a comment on its own line and one after a value", src: "# head\na: 1 # tail\n", want: []string{"1:1 head", "2:6+ tail"}},
		{name: "a hash in a double-quoted scalar is text", src: "a: \"x # y\" # real\n", want: []string{"1:12+ real"}},
		{name: "an escaped quote does not end a double-quoted scalar", src: "a: \"x \\\" # y\" # real\n", want: []string{"1:15+ real"}},
		{name: "a doubled quote does not end a single-quoted scalar", src: "a: 'it''s # y' # real\n", want: []string{"1:16+ real"}},
		{name: "a quoted scalar may span lines", src: "a: \"one\n  # two\" # real\n", want: []string{"2:10+ real"}},
		{name: "a hash in a block scalar is text", src: "a: |\n  # text\n  more\n# real\nb: 1\n", want: []string{"4:1 real"}},
		{name: "a block scalar ends at a line indented as its parent", src: "a:\n  b: >\n    # text\n  # real\n", want: []string{"4:3 real"}},
		{name: "a hash inside a word is no comment", src: "a: b#c\n", want: nil},
		{name: "columns count characters", src: "a: \"é\" # x\n", want: []string{"1:8+ x"}},
		{name: "a byte order mark is no column", src: "\ufeffa: 1 # x\n", want: []string{"1:6+ x"}},
		{name: "CRLF line breaks are not comment text", src: "a: 1 # x\r\nb: 2\r\n", want: []string{"1:6+ x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range New([]byte(tt.src)).Scan(parse(t, tt.src)).Comments {
				mark := ""
				if c.Trailing {
					mark = "+"
				}
				got = append(got, fmt.Sprintf("%d:%d%s%s", c.Line, c.Col, mark, c.Text))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("comments %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSpansAndIn(t *testing.T) {
	src := "a:\n  b: 1\n  c: |\n    x\n    y\nd: 2 # c\n"
	sc := New([]byte(src)).Scan(parse(t, src))
	if sc.Spans[1] != 5 || sc.Spans[3] != 5 || sc.Spans[6] != 6 {
		t.Errorf("spans %v, want 1 and 3 to end on 5, 6 on 6", sc.Spans)
	}
	at := strings.Index(src, "#")
	if len(sc.In(0, at)) != 0 || len(sc.In(at, at+1)) != 1 {
		t.Errorf("In does not find the one comment at byte %d: %v", at, sc.Comments)
	}
}

func parse(t *testing.T, src string) []*yaml.Node {
	t.Helper()
	var docs []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader([]byte(src)))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &n)
	}
}
