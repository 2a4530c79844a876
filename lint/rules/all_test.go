package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/linttest"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

const (
	testdata        = "../../testdata/rules"
	clusterTestdata = "../../testdata/cluster" // audit/audittest runs them (audit's TestRules)
)

// TestRules runs every rule over its testdata folder, and holds its findings to the house style
// of messages.
func TestRules(t *testing.T) {
	for _, r := range catalog.All() {
		if r.Pass() != lint.FilePass {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			for _, f := range linttest.Run(t, filepath.Join(testdata, r.ID), r, catalog.All()...) {
				linttest.CheckMessage(t, f)
			}
		})
	}
}

var (
	idPattern   = regexp.MustCompile(`^KL\d{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// TestRegistry plays the part of analysis.Validate: the registry is sorted and unique, rules are
// complete, and every rule has test cases in its pass's folder and nothing else does: a file
// rule's in testdata/rules, a cluster rule's in testdata/cluster.
func TestRegistry(t *testing.T) {
	folders := map[string]string{lint.FilePass: testdata, audit.Pass: clusterTestdata}
	seenID, seenName := map[string]bool{}, map[string]bool{}
	inFolder := map[string]map[string]bool{testdata: {}, clusterTestdata: {}}
	prev := ""
	for _, r := range catalog.All() {
		switch {
		case !idPattern.MatchString(r.ID):
			t.Errorf("%s: ID must match %s", r.ID, idPattern)
		case r.ID <= prev:
			t.Errorf("%s: All() must be sorted by ID, and IDs unique", r.ID)
		case !namePattern.MatchString(r.Name) || seenName[r.Name]:
			t.Errorf("%s: name %q must be unique kebab-case", r.ID, r.Name)
		case r.Summary == "" || strings.HasSuffix(r.Summary, ".") || strings.ToLower(r.Summary[:1]) != r.Summary[:1]:
			t.Errorf("%s: summary must be one lower-case line without a period", r.ID)
		case !strings.Contains(r.Doc, "Bad") || !strings.Contains(r.Doc, "Good") || !strings.Contains(r.Doc, "Source"):
			t.Errorf("%s: doc must give a bad and a good example and a source", r.ID)
		case r.Severity == 0 || (r.Run == nil) == (r.Check == nil):
			t.Errorf("%s: severity is required, and one check: Run in the file pass, Check in another", r.ID)
		}
		seenID[r.ID], seenName[r.Name], prev = true, true, r.ID
		dir, ok := folders[r.Pass()]
		if !ok {
			t.Errorf("%s: no testdata folder for the %s pass", r.ID, r.Pass())
			continue
		}
		inFolder[dir][r.ID] = true
		pass, _ := filepath.Glob(filepath.Join(dir, r.ID, "pass_*"))
		fail, _ := filepath.Glob(filepath.Join(dir, r.ID, "fail_*"))
		if len(pass) == 0 || len(fail) == 0 {
			t.Errorf("%s: testdata/%s/%s needs at least one pass_* and one fail_* file", r.ID, filepath.Base(dir), r.ID)
		}
	}
	for dir, ids := range inFolder {
		entries, _ := os.ReadDir(dir)
		for _, d := range entries {
			switch {
			case !seenID[d.Name()]:
				t.Errorf("testdata/%s/%s has no rule", filepath.Base(dir), d.Name())
			case !ids[d.Name()]:
				t.Errorf("testdata/%s/%s holds the cases of a rule of another pass", filepath.Base(dir), d.Name())
			}
		}
	}
}

// TestDocsUpToDate fails when docs/rules or the rule tables of docs/rules.md and docs/cis.md drift
// from the rule values.
func TestDocsUpToDate(t *testing.T) {
	docs := filepath.Join("..", "..", "docs", "rules")
	documented := catalog.All()
	for _, r := range documented {
		got, err := os.ReadFile(filepath.Join(docs, r.ID+".md"))
		if err != nil || string(got) != rules.Markdown(r) {
			t.Errorf("docs/rules/%s.md is missing or stale: run 'make docs'", r.ID)
		}
	}
	// A page without a rule documents a check that no longer runs, and 'explain' would not show it.
	pages, err := os.ReadDir(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		id, _ := strings.CutSuffix(p.Name(), ".md")
		switch r := rules.Lookup(documented, id); {
		case !idPattern.MatchString(id):
			t.Errorf("docs/rules/%s is not a rule page: docs/rules holds only the generated KLnnn.md", p.Name())
		case r == nil || r.ID != id:
			t.Errorf("docs/rules/%s documents no rule: run 'make docs', which deletes it", p.Name())
		}
	}
	for page, replace := range map[string]func(string, []*lint.Rule) (string, error){
		"rules.md": rules.ReplaceTable,
		"cis.md":   rules.ReplaceProfileTable,
	} {
		doc, err := os.ReadFile(filepath.Join("..", "..", "docs", page))
		if err != nil {
			t.Fatal(err)
		}
		want, err := replace(string(doc), documented)
		if err != nil {
			t.Fatal(err)
		}
		if want != string(doc) {
			t.Errorf("the rule table in docs/%s is stale: run 'make docs'", page)
		}
	}
}
