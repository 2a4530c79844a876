package fix

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// Diff returns the unified diff from a to b, with three lines of context and file names a/name
// and b/name as git prints them, or nil when a and b are equal.
func Diff(name string, a, b []byte) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	ops := diffLines(splitLines(a), splitLines(b))
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	const context = 3
	// Walk the changes, gathering those closer than twice the context into one hunk.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j + 1
			} else if j-end >= 2*context {
				break
			}
		}
		stop := min(end+context, len(ops))
		writeHunk(&out, ops, start, stop)
		i = stop
	}
	return out.Bytes()
}

type diffOp struct {
	kind   byte // ' ', '-' or '+'
	line   string
	ai, bi int // line numbers (0-based) in a and b before this op
}

func writeHunk(out *bytes.Buffer, ops []diffOp, start, stop int) {
	var na, nb int
	for _, op := range ops[start:stop] {
		if op.kind != '+' {
			na++
		}
		if op.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(ops[start].ai, na), hunkRange(ops[start].bi, nb))
	for _, op := range ops[start:stop] {
		out.WriteByte(op.kind)
		out.WriteString(op.line)
		if !strings.HasSuffix(op.line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats a hunk's start and length as unified diffs do: an empty range names the
// line before it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits text into lines that keep their line breaks.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b) - 1
		}
		lines = append(lines, string(b[:i+1]))
		b = b[i+1:]
	}
	return lines
}

// diffLines is Myers' O(ND) difference algorithm: fix changes few lines, so D stays small.
func diffLines(a, b []string) []diffOp {
	n, m := len(a), len(b)
	off := n + m + 1
	v := make([]int, 2*off+1)
	var trace [][]int
	for d := 0; d <= n+m; d++ {
		trace = append(trace, slices.Clone(v))
		done := false
		for k := -d; k <= d && !done; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			done = x >= n && y >= m
		}
		if done {
			break
		}
	}
	var rev []diffOp
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		k := x - y
		prevK := k - 1
		if k == -d || k != d && v[off+k-1] < v[off+k+1] {
			prevK = k + 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, diffOp{kind: ' ', line: a[x]})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			y--
			rev = append(rev, diffOp{kind: '+', line: b[y]})
		} else {
			x--
			rev = append(rev, diffOp{kind: '-', line: a[x]})
		}
	}
	slices.Reverse(rev)
	ai, bi := 0, 0
	for i := range rev {
		rev[i].ai, rev[i].bi = ai, bi
		if rev[i].kind != '+' {
			ai++
		}
		if rev[i].kind != '-' {
			bi++
		}
	}
	return rev
}
