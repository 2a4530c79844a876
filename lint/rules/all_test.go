package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/linttest"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

const testdata = "../../testdata/rules"

// TestRules runs every rule over its testdata folder, and holds its findings to the house style
// of messages.
func TestRules(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			for _, f := range linttest.Run(t, filepath.Join(testdata, r.ID), r, rules.All()...) {
				checkMessage(t, f)
			}
		})
	}
}

// maxMessage is the longest a finding's message may be, not counting text quoted from kubeadm
// or a component. Admission warnings and one-line outputs show the message alone, and the API
// server cuts warnings to 256 characters once a response's pass 4096.
const maxMessage = 160

// upstream matches, per rule, a message that quotes kubeadm's or a component's own words; its
// first group, or the whole match, is that quote, which stays verbatim (the parity goldens hold
// the KL0xx rules to kubeadm's text) and is not counted.
var upstream = map[string]*regexp.Regexp{
	"KL001": regexp.MustCompile(`^invalid configuration for GroupVersionKind .*|^unknown configuration API \S+, Kind=.*`),
	"KL002": regexp.MustCompile(`^your configuration file uses an old API spec: .*`),
	"KL004": regexp.MustCompile(`.*`), // kubeadm's errors, all of them
	"KL005": regexp.MustCompile(`.*`),
	"KL007": regexp.MustCompile(`.*`),
	"KL008": regexp.MustCompile(`.*`),
	"KL009": regexp.MustCompile(`.*`),
	"KL010": regexp.MustCompile(`.*`),                                                    // the kubelet's and kube-proxy's validation
	"KL209": regexp.MustCompile(`^--\S+ is deprecated in [^:]+: (.*)$`),                  // the flag's deprecation notice
	"KL210": regexp.MustCompile(`^invalid value ".*" for --\S+ \([^)]*\): (.*)$`),        // the flag parser's error
	"KL212": regexp.MustCompile(`^kubeadm feature gate \S+ is deprecated in \S+: (.*)$`), // kubeadm's notice
}

// checkMessage fails a finding whose own words are longer than maxMessage, or whose message or
// hint ends with a period (an ellipsis is no period).
func checkMessage(t *testing.T, f lint.Finding) {
	t.Helper()
	own := f.Message
	if re := upstream[f.Rule]; re != nil {
		if m := re.FindStringSubmatchIndex(own); m != nil {
			quote := m[0:2]
			if len(m) > 2 {
				quote = m[2:4]
			}
			own = own[:quote[0]] + own[quote[1]:]
		}
	}
	if len(own) > maxMessage {
		t.Errorf("%s: %s message is %d characters, over %d; keep one clause and move the rest to the hint: %s", f.Pos, f.Rule, len(own), maxMessage, f.Message)
	}
	if period := func(s string) bool { return strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "...") }; period(own) || period(f.Hint) {
		t.Errorf("%s: %s message or hint ends with a period: %q, hint %q", f.Pos, f.Rule, f.Message, f.Hint)
	}
}

var (
	idPattern   = regexp.MustCompile(`^KL\d{3}$`)
	namePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// TestRegistry plays the part of analysis.Validate: the registry is sorted and unique, rules are
// complete, and every rule has test cases and nothing else does.
func TestRegistry(t *testing.T) {
	seenID, seenName := map[string]bool{}, map[string]bool{}
	prev := ""
	for _, r := range rules.All() {
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
		case r.Severity == 0 || r.Run == nil:
			t.Errorf("%s: severity and Run are required", r.ID)
		}
		seenID[r.ID], seenName[r.Name], prev = true, true, r.ID
		pass, _ := filepath.Glob(filepath.Join(testdata, r.ID, "pass_*"))
		fail, _ := filepath.Glob(filepath.Join(testdata, r.ID, "fail_*"))
		if len(pass) == 0 || len(fail) == 0 {
			t.Errorf("%s: testdata/rules/%s needs at least one pass_* and one fail_* file", r.ID, r.ID)
		}
	}
	dirs, _ := os.ReadDir(testdata)
	for _, d := range dirs {
		if !seenID[d.Name()] {
			t.Errorf("testdata/rules/%s has no rule", d.Name())
		}
	}
}

// TestDocsUpToDate fails when docs/rules or the rule tables of docs/rules.md and docs/cis.md drift
// from the rule values.
func TestDocsUpToDate(t *testing.T) {
	docs := filepath.Join("..", "..", "docs", "rules")
	documented := append(rules.All(), audit.Rules()...)
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
