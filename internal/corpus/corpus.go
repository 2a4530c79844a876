// Package corpus holds kubeadm-lint to its reviewed findings on testdata/corpus, the real configs
// other people wrote. Each finding the defaults produce there is an Entry of testdata/corpus/
// EXPECTED.tsv with a one-line reason a reviewer wrote: a test fails on a finding that is not in
// the file and on an entry whose finding is gone, and hack/precision prints each rule's share of
// reviewed true positives. It is the precision standard of docs/development.md: a linter that
// cries wolf gets turned off.
package corpus

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// InputErrorRule stands for a file the linter cannot read at all (exit code 2), so that such
// files are reviewed and tracked like findings.
const InputErrorRule = "input-error"

// Reason prefixes. A reviewed entry starts with TruePositive or FalsePositive; Unreviewed marks
// an entry that -update added and nobody has judged yet.
const (
	TruePositive  = "true positive: "
	FalsePositive = "false positive: "
	Unreviewed    = "UNREVIEWED: "
)

// Entry is one finding on one corpus file.
type Entry struct {
	File   string // slash-separated, relative to the corpus directory
	Line   int    // 0 for a finding about the whole file
	Rule   string // rule ID, or InputErrorRule
	Reason string // in the expectations file; empty for a finding just linted
	// Message is what the linter said; only for a finding just linted.
	Message string
}

func (e Entry) key() string { return e.File + "\x00" + strconv.Itoa(e.Line) + "\x00" + e.Rule }

// String is "file:line RULE".
func (e Entry) String() string { return fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Rule) }

// Reviewed reports whether a reviewer judged the entry.
func (e Entry) Reviewed() bool {
	return strings.HasPrefix(e.Reason, TruePositive) || strings.HasPrefix(e.Reason, FalsePositive)
}

// Lint lints every file under dir as 'kubeadm-lint DIR' does with no flags and no settings
// file, in this process, and returns its findings and unreadable files as entries, sorted.
func Lint(ctx context.Context, dir string) ([]Entry, error) {
	p, err := pipeline.New(pipeline.Config{Rules: catalog.All(), WorkDir: dir})
	if err != nil {
		return nil, err
	}
	if p.Settings != nil && p.Settings.Path != "" {
		return nil, fmt.Errorf("%s: the corpus must be linted with the defaults, and a settings file applies", p.Settings.Path)
	}
	run := p.Run(ctx, []string{dir})
	rel := func(name string) (string, error) {
		r, err := filepath.Rel(dir, name)
		if err != nil || strings.HasPrefix(r, "..") {
			return "", fmt.Errorf("%s is outside %s", name, dir)
		}
		return filepath.ToSlash(r), nil
	}
	var out []Entry
	for _, f := range run.Report.Findings {
		file, err := rel(f.Pos.File)
		if err != nil {
			return nil, err
		}
		out = append(out, Entry{File: file, Line: f.Pos.Line, Rule: f.Rule, Message: f.Message})
	}
	for _, e := range run.Errors {
		var in *lint.InputError
		if !errors.As(e, &in) {
			return nil, fmt.Errorf("linting the corpus: %w", e)
		}
		file, err := rel(in.File)
		if err != nil {
			return nil, err
		}
		out = append(out, Entry{File: file, Line: in.Line, Rule: InputErrorRule, Message: in.Err.Error()})
	}
	Sort(out)
	return out, nil
}

// Sort orders entries by file, line and rule, as the expectations file lists them.
func Sort(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Rule, b.Rule))
	})
}

// Compare matches the findings just linted with the expected entries, one for one (a rule may
// report twice on a line), and returns the findings no entry expects and the entries no finding
// meets.
func Compare(expected, got []Entry) (unexpected, missing []Entry) {
	want := map[string][]Entry{}
	for _, e := range expected {
		want[e.key()] = append(want[e.key()], e)
	}
	for _, g := range got {
		if es := want[g.key()]; len(es) > 0 {
			want[g.key()] = es[1:]
			continue
		}
		unexpected = append(unexpected, g)
	}
	for _, e := range expected {
		if es := want[e.key()]; len(es) > 0 {
			missing = append(missing, es[0])
			want[e.key()] = es[1:]
		}
	}
	return unexpected, missing
}

// Merge gives each finding just linted the reason of the entry it matches, or Unreviewed with
// the linter's message, and drops the entries whose finding is gone: what -update writes.
func Merge(expected, got []Entry) []Entry {
	reasons := map[string][]string{}
	for _, e := range expected {
		reasons[e.key()] = append(reasons[e.key()], e.Reason)
	}
	out := make([]Entry, 0, len(got))
	for _, g := range got {
		e := g
		e.Message = ""
		if rs := reasons[g.key()]; len(rs) > 0 {
			e.Reason, reasons[g.key()] = rs[0], rs[1:]
		} else {
			e.Reason = Unreviewed + oneLine(g.Message)
		}
		out = append(out, e)
	}
	Sort(out)
	return out
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\t", " ")), " ")
}

// header opens the expectations file; Write keeps it.
const header = `# The reviewed findings of 'kubeadm-lint testdata/corpus' with the defaults (no flags, no
# settings file), one a line: file (relative to testdata/corpus), line, rule, reason.
# The reason is one line: "true positive: why a careful user would act on it", or "false positive:
# why it is wrong and where that is tracked" (hack/precision counts it against its rule). A rule
# may report twice on one line: then it has two rows. Rule "input-error" is a file the linter
# cannot read (exit code 2).
# pipeline's TestCorpusExpectations fails on a finding missing here, on a row whose finding is
# gone, and on any row still marked UNREVIEWED. 'go test ./pipeline -run TestCorpusExpectations
# -update' rewrites this file from the linter, keeping the reasons of the rows that still match and
# marking new ones UNREVIEWED with the linter's message: replace each with a reason.
# A folder added to the corpus adds its rows here the same way.
`

// Read reads an expectations file.
func Read(path string) ([]Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 4)
		if len(parts) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated fields (file, line, rule, reason), got %d", path, n, len(parts))
		}
		ln, err := strconv.Atoi(parts[1])
		if err != nil || ln < 0 {
			return nil, fmt.Errorf("%s:%d: line %q is not a number", path, n, parts[1])
		}
		if strings.TrimSpace(parts[3]) == "" {
			return nil, fmt.Errorf("%s:%d: %s:%s %s has no reason", path, n, parts[0], parts[1], parts[2])
		}
		out = append(out, Entry{File: parts[0], Line: ln, Rule: parts[2], Reason: parts[3]})
	}
	return out, sc.Err()
}

// Write writes an expectations file, sorted.
func Write(path string, es []Entry) error {
	es = slices.Clone(es)
	Sort(es)
	var b bytes.Buffer
	b.WriteString(header)
	for _, e := range es {
		fmt.Fprintf(&b, "%s\t%d\t%s\t%s\n", e.File, e.Line, e.Rule, oneLine(e.Reason))
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// RulePrecision is one rule's record on the corpus.
type RulePrecision struct {
	Rule                   string
	Findings               int // findings just linted
	TruePositives          int // of them, reviewed true positives
	FalsePositives         int // of them, reviewed false positives
	Unreviewed, Unexpected int // of them, marked UNREVIEWED, and missing from the file
}

// Ratio is the share of the rule's findings reviewed as true positives.
func (r RulePrecision) Ratio() float64 {
	if r.Findings == 0 {
		return 1
	}
	return float64(r.TruePositives) / float64(r.Findings)
}

// Precision counts, rule by rule, how the findings just linted were reviewed. rules lists the
// rules to report even without findings, in order; rules met only in got follow.
func Precision(rules []string, expected, got []Entry) []RulePrecision {
	byRule := map[string]*RulePrecision{}
	var order []string
	at := func(rule string) *RulePrecision {
		if r, ok := byRule[rule]; ok {
			return r
		}
		byRule[rule] = &RulePrecision{Rule: rule}
		order = append(order, rule)
		return byRule[rule]
	}
	for _, r := range rules {
		at(r)
	}
	merged := Merge(expected, got)
	for _, e := range merged {
		r := at(e.Rule)
		r.Findings++
		switch {
		case strings.HasPrefix(e.Reason, TruePositive):
			r.TruePositives++
		case strings.HasPrefix(e.Reason, FalsePositive):
			r.FalsePositives++
		case strings.HasPrefix(e.Reason, Unreviewed) && slices.ContainsFunc(expected, func(x Entry) bool { return x.key() == e.key() && x.Reason == e.Reason }):
			r.Unreviewed++
		default:
			r.Unexpected++
		}
	}
	out := make([]RulePrecision, 0, len(order))
	for _, rule := range order {
		out = append(out, *byRule[rule])
	}
	return out
}
