package corpus

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestCompareCountsEachFinding(t *testing.T) {
	// A rule that reports twice on one line needs two rows; a third finding is new, and a row
	// whose finding is gone is missing.
	expected := []Entry{
		{File: "a.yaml", Line: 3, Rule: "KL101", Reason: TruePositive + "x"},
		{File: "a.yaml", Line: 3, Rule: "KL101", Reason: TruePositive + "y"},
		{File: "b.yaml", Line: 1, Rule: "KL002", Reason: TruePositive + "z"},
	}
	got := []Entry{
		{File: "a.yaml", Line: 3, Rule: "KL101"},
		{File: "a.yaml", Line: 3, Rule: "KL101"},
		{File: "a.yaml", Line: 3, Rule: "KL101", Message: "third"},
	}
	unexpected, missing := Compare(expected, got)
	if len(unexpected) != 1 || unexpected[0].Message != "third" {
		t.Errorf("unexpected = %v, want the third KL101", unexpected)
	}
	if len(missing) != 1 || missing[0].File != "b.yaml" {
		t.Errorf("missing = %v, want b.yaml's KL002", missing)
	}
}

func TestMergeKeepsReasonsAndMarksNewRows(t *testing.T) {
	expected := []Entry{
		{File: "a.yaml", Line: 3, Rule: "KL101", Reason: TruePositive + "kept"},
		{File: "gone.yaml", Line: 1, Rule: "KL002", Reason: TruePositive + "dropped"},
	}
	got := []Entry{
		{File: "b.yaml", Line: 2, Rule: "KL305", Message: "serverTLSBootstrap\tis off"},
		{File: "a.yaml", Line: 3, Rule: "KL101", Message: "overlap"},
	}
	merged := Merge(expected, got)
	want := []Entry{
		{File: "a.yaml", Line: 3, Rule: "KL101", Reason: TruePositive + "kept"},
		{File: "b.yaml", Line: 2, Rule: "KL305", Reason: Unreviewed + "serverTLSBootstrap is off"},
	}
	if !slices.Equal(merged, want) {
		t.Errorf("Merge = %v, want %v", merged, want)
	}
	if merged[1].Reviewed() || !merged[0].Reviewed() {
		t.Errorf("Reviewed: an UNREVIEWED row must not count, a true positive must")
	}
	path := filepath.Join(t.TempDir(), "EXPECTED.tsv")
	if err := Write(path, merged); err != nil {
		t.Fatal(err)
	}
	back, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back, want) {
		t.Errorf("Read(Write(x)) = %v, want %v", back, want)
	}
}

func TestPrecisionCountsUnreviewedAgainstTheRule(t *testing.T) {
	expected := []Entry{
		{File: "a.yaml", Line: 1, Rule: "KL203", Reason: TruePositive + "x"},
		{File: "b.yaml", Line: 1, Rule: "KL203", Reason: FalsePositive + "y"},
	}
	got := []Entry{
		{File: "a.yaml", Line: 1, Rule: "KL203"},
		{File: "b.yaml", Line: 1, Rule: "KL203"},
		{File: "c.yaml", Line: 1, Rule: "KL203"},
	}
	p := Precision([]string{"KL101", "KL203"}, expected, got)
	if len(p) != 2 || p[0].Rule != "KL101" || p[0].Findings != 0 || p[0].Ratio() != 1 {
		t.Fatalf("Precision = %+v, want KL101 first with no findings", p)
	}
	r := p[1]
	if r.Findings != 3 || r.TruePositives != 1 || r.FalsePositives != 1 || r.Unexpected != 1 || r.Ratio() != 1.0/3 {
		t.Errorf("KL203 = %+v, want 3 findings, 1 true, 1 false, 1 unexpected", r)
	}
}
