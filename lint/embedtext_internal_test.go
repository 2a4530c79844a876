package lint

import (
	"testing"
)

// TestEmbeddedPositions checks that the nodes of YAML inside a string land where the user wrote
// them, for block and quoted strings alike.
func TestEmbeddedPositions(t *testing.T) {
	tests := map[string]struct {
		src       string
		line, col int // of the key "maxPods" in the user's file
	}{
		"a literal block": {
			src:  "patches:\n- |\n  kind: KubeletConfiguration\n  maxPods: 10\n",
			line: 4, col: 3,
		},
		"a literal block with leading blank lines and deeper indentation": {
			src:  "patches:\n  -   |\n\n        kind: KubeletConfiguration\n        maxPods: 10\n",
			line: 5, col: 9,
		},
		"a double-quoted string with escaped newlines": {
			src:  "patches:\n- \"kind: KubeletConfiguration\\nmaxPods: 10\"\n",
			line: 2, col: 32,
		},
		"a double-quoted string with escapes before the key": {
			src:  "patches:\n- \"kind: \\\"KubeletConfiguration\\\"\\nmaxPods: 10\"\n",
			line: 2, col: 36,
		},
		"a double-quoted string folded over lines": {
			src:  "patches:\n- \"kind: KubeletConfiguration\\n\\\n  maxPods: 10\"\n",
			line: 3, col: 3,
		},
		"a double-quoted string with a blank line for a newline": {
			src:  "patches:\n- \"kind: KubeletConfiguration\n\n  maxPods: 10\"\n",
			line: 4, col: 3,
		},
		"a single-quoted string with a doubled quote": {
			src:  "patches:\n- 'kind: KubeletConfiguration\n\n  cgroupRoot: ''/k''\n\n  maxPods: 10'\n",
			line: 6, col: 3,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			docs, err := parseDocuments("f", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			item := seq(get(deref(docs[0]), "patches"))[0]
			roots, ok := embeddedDocuments(item, []byte(tt.src))
			if !ok || len(roots) != 1 {
				t.Fatalf("not parsed: %v %d", ok, len(roots))
			}
			k, _ := mappingGet(roots[0], "maxPods")
			if k == nil {
				t.Fatalf("no maxPods in %q", item.Value)
			}
			if k.Line != tt.line || k.Column != tt.col {
				t.Errorf("maxPods at %d:%d, want %d:%d", k.Line, k.Column, tt.line, tt.col)
			}
		})
	}
}
