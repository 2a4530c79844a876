package pipeline_test

import (
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/internal/corpus"
)

var updateExpected = flag.Bool("update", false, "rewrite testdata/corpus/EXPECTED.tsv from the linter, keeping the reasons of rows that still match")

var (
	corpusDir    = filepath.Join("..", "testdata", "corpus")
	expectedFile = filepath.Join(corpusDir, "EXPECTED.tsv")
)

// TestCorpusExpectations is the precision standard: every finding the defaults produce on the
// real configs of testdata/corpus is a row of EXPECTED.tsv that a reviewer judged, and every row
// is still produced. A new finding fails until someone reviews it; so does a finding that
// disappears, which is either a fix (delete the row) or a lost check.
func TestCorpusExpectations(t *testing.T) {
	got, err := corpus.Lint(context.Background(), corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if *updateExpected {
		old, err := corpus.Read(expectedFile)
		if err != nil && !strings.Contains(err.Error(), "no such file") {
			t.Fatal(err)
		}
		if err := corpus.Write(expectedFile, corpus.Merge(old, got)); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: review every row marked UNREVIEWED", expectedFile)
	}
	expected, err := corpus.Read(expectedFile)
	if err != nil {
		t.Fatalf("%v (run 'go test ./pipeline -run TestCorpusExpectations -update' and review the rows)", err)
	}
	if len(expected) == 0 {
		t.Fatalf("%s has no rows", expectedFile)
	}
	unexpected, missing := corpus.Compare(expected, got)
	for _, e := range unexpected {
		t.Errorf("new finding %s: %s\n\treview it: a true positive gets a row (-update, then a reason); a finding a careful user would dismiss is a bug in the rule", e, e.Message)
	}
	for _, e := range missing {
		t.Errorf("expected finding %s is gone (%s): delete its row if a fix removed it on purpose", e, e.Reason)
	}
	for _, e := range expected {
		if !e.Reviewed() {
			t.Errorf("%s is not reviewed: %q; give it a reason starting %q or %q", e, e.Reason, corpus.TruePositive, corpus.FalsePositive)
		}
	}
}

// TestCorpusSources holds every corpus file to a line of SOURCES.md naming where it comes from.
func TestCorpusSources(t *testing.T) {
	sources, err := os.ReadFile(filepath.Join(corpusDir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		n++
		rel, _ := filepath.Rel(corpusDir, path)
		if !strings.Contains(string(sources), "`"+filepath.ToSlash(rel)+"`") {
			t.Errorf("%s has no line in SOURCES.md", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no corpus files")
	}
}
