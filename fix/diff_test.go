package fix_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/fix"
)

// TestDiff checks the unified diff format on small cases, as GNU diff -u prints them.
func TestDiff(t *testing.T) {
	tests := map[string]struct {
		a, b, want string
	}{
		"equal texts give no diff": {a: "x\n", b: "x\n", want: ""},
		"one changed line keeps three lines of context": {
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n",
			b:    "1\n2\n3\n4\nfive\n6\n7\n8\n",
			want: "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
		},
		"a line added to an empty file": {
			a: "", b: "x\n",
			want: "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n",
		},
		"a missing final line break is marked": {
			a:    "a\nb",
			b:    "a\nc",
			want: "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
		},
		"changes far apart make two hunks": {
			a:    "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			b:    "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n",
			want: "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := string(fix.Diff("f", []byte(tt.a), []byte(tt.b))); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestDiffAppliesBack applies the diffs of random edits to their source and expects the target.
func TestDiffAppliesBack(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		var a []string
		for range r.IntN(30) {
			a = append(a, strconv.Itoa(r.IntN(8))+"\n")
		}
		b := append([]string(nil), a...)
		for range r.IntN(6) {
			switch j := r.IntN(len(b) + 1); {
			case r.IntN(2) == 0 || j == len(b):
				b = append(b[:j], append([]string{"new " + strconv.Itoa(r.IntN(8)) + "\n"}, b[j:]...)...)
			default:
				b = append(b[:j], b[j+1:]...)
			}
		}
		as, bs := strings.Join(a, ""), strings.Join(b, "")
		if r.IntN(4) == 0 {
			bs = strings.TrimSuffix(bs, "\n")
		}
		d := fix.Diff("f", []byte(as), []byte(bs))
		got, err := patch(as, string(d))
		if err != nil || got != bs {
			t.Fatalf("case %d: the diff does not turn a into b (%v)\na:\n%s\nb:\n%s\ndiff:\n%s\ngot:\n%s", i, err, as, bs, d, got)
		}
	}
}

// patch applies a unified diff, checking every context and removed line.
func patch(a, diff string) (string, error) {
	if diff == "" {
		return a, nil
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(a))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	var out []string
	pos := 0
	noEOL, prev := false, byte(0)
	sc = bufio.NewScanner(strings.NewReader(diff))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ "):
		case strings.HasPrefix(l, "@@ "):
			var start int
			if _, err := fmt.Sscanf(strings.Fields(l)[1], "-%d", &start); err != nil {
				return "", err
			}
			if !strings.HasSuffix(strings.Fields(l)[1], ",0") {
				start-- // an empty range names the line before it
			}
			out = append(out, lines[pos:start]...)
			pos = start
		case l == `\ No newline at end of file`:
			noEOL = noEOL || prev != '-' // the marker after a removed line is about a
		case l[0] == ' ' || l[0] == '-':
			if pos >= len(lines) || lines[pos] != l[1:] {
				return "", fmt.Errorf("line %d is not %q", pos+1, l[1:])
			}
			if l[0] == ' ' {
				out = append(out, l[1:])
			}
			pos++
		case l[0] == '+':
			out = append(out, l[1:])
		}
		if l != "" {
			prev = l[0]
		}
	}
	out = append(out, lines[pos:]...)
	s := strings.Join(out, "\n")
	if len(out) > 0 && !noEOL {
		s += "\n"
	}
	return s, nil
}
