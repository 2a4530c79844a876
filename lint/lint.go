// Package lint is the validation core shared by the kubeadm-lint CLI and its admission webhook.
//
// Sources are split into YAML documents, v1beta3 documents are migrated to v1beta4 node by node,
// every document is decoded and validated with kubeadm's own code, and then each Rule runs on the
// result. Rules report field paths; the core turns them into file:line:col.
package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Severity orders findings. The zero value is not a severity.
type Severity int

const (
	SeverityInfo Severity = iota + 1
	SeverityWarning
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts the names String returns.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return SeverityInfo, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "error":
		return SeverityError, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText makes severities print as words in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Position is a 1-based place in a source. Line 0 means the source has no text for it.
type Position struct {
	File   string
	Line   int
	Column int
}

// String is "file:line:col", or the file alone when there is no line.
func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Finding is one problem a rule found.
type Finding struct {
	Rule     string   // rule ID, "KL101"
	Severity Severity //
	Pos      Position // where Path lands in the user's file
	Path     string   // field path inside the document: "apiServer.extraArgs[enable-admission-plugins]"
	Message  string   // one clause: lower-case, no trailing period, quotes the offending value
	// Hint is the remedy: one sentence in the message's style, or empty. It is kept apart so that
	// the message stays short where it is shown alone, as in admission warnings.
	Hint  string
	Fixes []Fix // alternative fixes; at most one is applied
	// References are the controls of published benchmarks the finding is about, from its rule.
	References []Reference
	// Doc is the document the finding is in, nil for a finding about a whole file or a script.
	// Node is the node Pos comes from, in Doc's Root or, for a field the v1beta3 migration
	// moved, in its Source.
	Doc  *Document
	Node *yaml.Node
}

// Fix is a change that resolves a finding.
type Fix struct {
	Message string // a verb phrase: "join the values into one entry"
	Edits   []Edit
}

// Edit replaces the value at Path in the finding's document with Value (a YAML-serialisable Go
// value), or deletes it when Delete is set.
type Edit struct {
	Path   string
	Value  any
	Delete bool
}

// Rule is one check. Rules are values listed in rules.All; nothing registers itself.
type Rule struct {
	ID       string   // stable and never reused: "KL101"
	Name     string   // kebab-case: "pod-service-subnet-overlap"
	Summary  string   // one lower-case line without a period
	Doc      string   // markdown: rationale, a bad and a good example, the source
	Severity Severity // default severity
	// Also lists the other severities some of its findings carry, which 'rules' shows.
	Also []Severity
	// Kinds are the document kinds the rule runs on, once per document. A rule without kinds runs
	// once per file, for checks across documents.
	Kinds []string
	// Scripts marks a rule that reads shell scripts (Pass.Script) instead of YAML documents.
	Scripts bool
	// Replaces lists retired rule IDs whose checks this rule took over. Settings and
	// suppression comments that name one apply to this rule, so that they keep working.
	Replaces []string
	// Profile names the opt-in set the rule belongs to, such as "cis": such a rule runs only when
	// Options.Profiles names its profile. Settings and ignore comments may name it either way.
	Profile string
	// References are the benchmark controls the rule checks; every finding carries them.
	References []Reference
	// Run is the rule's check in the file pass, which Linter drives. A rule of another pass
	// leaves it nil and sets Check: exactly one of the two is set.
	Run func(*Pass)
	// Check is the rule's check in another pass, which that pass's driver runs: the cluster pass
	// of package audit. The Linter knows such a rule by ID, so that settings and ignore comments
	// may name it, but does not run it.
	Check Check
}

// FilePass is the pass of the rules whose Run the Linter calls on documents and scripts.
const FilePass = "file"

// Check is a rule's check in a pass other than the file pass. The pass's driver defines the
// concrete type and runs it, as go/analysis leaves running an Analyzer to its driver.
type Check interface {
	// Pass names the pass, as "cluster".
	Pass() string
}

// Pass names the pass the rule runs in.
func (r *Rule) Pass() string {
	if r.Check != nil {
		return r.Check.Pass()
	}
	return FilePass
}

// Reference names one control of a published benchmark, so that findings line up with what
// auditors run later: {Standard: "cis-1.12", ID: "1.2.15"}, as kube-bench names its benchmarks.
type Reference struct {
	Standard string `json:"standard"`
	ID       string `json:"id"`
}

func (r Reference) String() string { return r.Standard + ":" + r.ID }

// Pass is a rule's view of one document, or of one file for rules without kinds.
type Pass struct {
	Rule    *Rule
	File    *File
	Doc     *Document // nil for a file-level rule
	Script  []byte    // the source, for rules that read shell scripts
	Options *Options
	out     *Collector
	place   func(*Document, Finding) Finding // sets the position
}

// Reportf reports a finding at path in the pass's document.
func (p *Pass) Reportf(path, format string, args ...any) {
	p.ReportIn(p.Doc, path, format, args...)
}

// ReportIn reports a finding at path in doc, for rules that look across documents.
func (p *Pass) ReportIn(doc *Document, path, format string, args ...any) {
	if !p.out.Take(p.Rule, doc) {
		return // the message of a finding nobody sees is not worth formatting
	}
	p.out.Add(p.Rule, p.place(doc, Finding{Path: path, Message: fmt.Sprintf(format, args...)}))
}

// Report reports a finding built by the rule, for findings that carry fixes or their own severity.
// The rule ID, severity (when unset) and position are filled in; a script rule sets Pos itself.
func (p *Pass) Report(doc *Document, f Finding) {
	if p.out.Take(p.Rule, doc) {
		p.out.Add(p.Rule, p.place(doc, f))
	}
}

// Omit counts n findings in doc that the core did not record, as the rule's budget was spent: they
// are counted in the finding that says how many more there were.
func (p *Pass) Omit(doc *Document, n int) { p.out.Omit(p.Rule, doc, n) }

// MaxFindingsPerRule is how many findings one rule reports in one document, or in one cluster. One
// more finding counts the rest: a list of 100,000 bad names is one mistake repeated, and reporting
// each costs time and output in proportion, in terminals, CI logs and admission reviews alike.
const MaxFindingsPerRule = 100

// AppliesTo reports whether the rule runs on documents of kind.
func (r *Rule) AppliesTo(kind string) bool { return slices.Contains(r.Kinds, kind) }

// SortFindings orders findings by file, line, column, rule and message.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return strings.Compare(a.Message, b.Message) < 0
	})
}
