package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestUpToDate fails when schema/docs_gen.go is not what the linked release's source gives:
// after a change of k8s.io versions, run 'make schemadoc'.
func TestUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "docs_gen.go")
	if err := run(out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "schema", "docs_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("schema/docs_gen.go is out of date with the linked release's source: run 'make schemadoc'")
	}
}
