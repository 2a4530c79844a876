package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestUpToDate fails when a generated file, the example outputs and tables of the README and
// docs/*.md included, differs from what 'make docs' writes now: after a change to a rule, its
// messages or the CLI's output.
func TestUpToDate(t *testing.T) {
	root := filepath.Join("..", "..")
	cli, err := buildCLI(root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(root, cli)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		switch {
		case err != nil:
			t.Errorf("%s: %v: run 'make docs'", name, err)
		case string(got) != want:
			t.Errorf("%s is stale: run 'make docs'. %s", name, firstDifference(string(got), want))
		}
	}
}

// firstDifference says where got first differs from want, by line.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "Line " + strconv.Itoa(i+1) + " is\n\t" + g[i] + "\nand should be\n\t" + w[i]
		}
	}
	return "Its length differs."
}
