package lint

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	kubeletscheme "k8s.io/kubernetes/pkg/kubelet/apis/config/scheme"
)

// Config configures a Linter.
type Config struct {
	Rules   []*Rule
	Options Options
	// Severity overrides a rule's default severity, by rule ID.
	Severity map[string]Severity
	// Disabled turns rules off, by rule ID.
	Disabled map[string]bool
	// ReportUnusedIgnores reports suppression comments that suppress nothing (KL013).
	ReportUnusedIgnores bool
}

// Linter runs rules over sources. It holds no state between calls and is safe for concurrent use.
type Linter struct {
	rules    []*Rule
	opts     Options
	severity map[string]Severity
	// known holds every configured rule ID, enabled or not: an ignore may name a disabled rule.
	known map[string]bool
	// replaced maps the retired IDs that rules took over to the rules' IDs.
	replaced     map[string]string
	reportUnused bool
	// kubeletScheme is built once: building it costs more than linting a file.
	kubeletScheme *runtime.Scheme
}

var ruleID = regexp.MustCompile(`^KL\d{3}$`)

// New validates cfg and returns a Linter.
func New(cfg Config) (*Linter, error) {
	opts := cfg.Options
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	known, replaced, profiles := map[string]bool{}, map[string]string{}, map[string]bool{}
	for _, r := range cfg.Rules {
		if r.Profile != "" {
			profiles[r.Profile] = true
		}
		if !ruleID.MatchString(r.ID) || known[r.ID] {
			return nil, fmt.Errorf("invalid configuration: bad or repeated rule ID %q", r.ID)
		}
		known[r.ID] = true
		for _, old := range r.Replaces {
			replaced[old] = r.ID
		}
	}
	for id := range cfg.Severity {
		if !known[id] {
			return nil, fmt.Errorf("invalid configuration: severity for unknown rule %q", id)
		}
	}
	for id := range cfg.Disabled {
		if !known[id] {
			return nil, fmt.Errorf("invalid configuration: cannot disable unknown rule %q", id)
		}
	}
	for _, p := range opts.Profiles {
		if !profiles[p] {
			return nil, fmt.Errorf("invalid configuration: unknown profile %q (want one of %s)", p, strings.Join(slices.Sorted(maps.Keys(profiles)), ", "))
		}
	}
	shareGates()
	ks, _, err := kubeletscheme.NewSchemeAndCodecs()
	if err != nil {
		return nil, fmt.Errorf("building the kubelet configuration scheme: %w", err)
	}
	l := &Linter{opts: opts, severity: cfg.Severity, known: known, replaced: replaced, reportUnused: cfg.ReportUnusedIgnores, kubeletScheme: ks}
	for _, r := range cfg.Rules {
		// A profile's rule stays known when its profile is off, so that settings and ignore
		// comments that name it are not errors in runs without the profile.
		if !cfg.Disabled[r.ID] && r.Run != nil && (r.Profile == "" || slices.Contains(opts.Profiles, r.Profile)) {
			l.rules = append(l.rules, r)
		}
	}
	return l, nil
}

// Source is one input.
type Source struct {
	Name string
	Data []byte
	// Walked marks a file found by walking a directory. Such a file holding no configuration
	// document is skipped rather than reported.
	Walked bool
	// Script marks a shell script: only the rules that read scripts run on it.
	Script bool
}

// Result is what Lint found in one source.
type Result struct {
	File     *File
	Findings []Finding
}

// Lint parses, decodes and validates one source, then runs the rules on it. An *InputError means
// the source is not YAML at all; any other error is a crash of the linter itself.
func (l *Linter) Lint(ctx context.Context, src Source) (res *Result, err error) {
	if src.Script {
		return l.lintScript(src), nil
	}
	nodes, err := parseDocuments(src.Name, src.Data)
	if err != nil {
		return nil, err
	}
	f := &File{Name: src.Name, Nodes: nodes, expansion: newExpansion(len(src.Data))}
	var foreign []*Document
	for i, n := range nodes {
		root := deref(n)
		if root == nil {
			continue // an empty document between separators
		}
		if d, isForeign := classify(root, i); isForeign {
			foreign = append(foreign, d)
		} else {
			f.Docs = append(f.Docs, d)
		}
	}
	if !hasConfig(f) && !src.Walked {
		// In a file named on the command line, a foreign document whose kind looks like a
		// configuration is most likely a misspelled group.
		for _, d := range foreign {
			if strings.HasSuffix(d.Kind, "Configuration") {
				d.addProblem(ProblemType, "apiVersion", fmt.Sprintf("unknown configuration API %q for kind %q", d.APIVersion, d.Kind))
				f.Docs = append(f.Docs, d)
			}
		}
		foreign = slices.DeleteFunc(foreign, func(d *Document) bool { return len(d.Problems) > 0 })
	}
	switch {
	case !hasConfig(f) && (src.Walked || len(f.Docs) == 0):
		f.Skipped = len(f.Docs) + len(foreign)
		f.Docs = nil
		return &Result{File: f}, nil
	case hasConfig(f) && len(foreign) > 0:
		// 'kubeadm config validate' rejects a file with documents of other APIs; 'kubeadm init'
		// ignores them. The linter sides with validate, as a CI gate should.
		for _, d := range foreign {
			d.Problems = append(d.Problems, Problem{Code: ProblemType, Path: "apiVersion",
				Message: fmt.Sprintf("unknown configuration API %q", d.APIVersion),
				Hint:    "move the document to a file of its own, as 'kubeadm config validate' rejects the file and 'kubeadm init' ignores the document"})
		}
		f.Docs = append(f.Docs, foreign...)
		sort.Slice(f.Docs, func(i, j int) bool { return f.Docs[i].Index < f.Docs[j].Index })
	default:
		f.Skipped = len(foreign)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Neither kubeadm's code nor a rule may take the process down on strange input.
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s: internal error, please report it: %v", src.Name, r)
		}
	}()
	if err := l.load(ctx, f); err != nil {
		return nil, err
	}

	res = &Result{File: f}
	for _, r := range l.rules {
		if r.Scripts {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err // a caller with a deadline, such as the webhook, has given up
		}
		report, b := l.reporter(r, src.Name, &res.Findings), &budget{}
		if l.opts.AllFindings {
			b = nil // take allows every finding, and there is nothing to summarise
		}
		if len(r.Kinds) == 0 {
			r.Run(&Pass{Rule: r, File: f, Options: &l.opts, report: report, budget: b})
		} else {
			for _, d := range f.Docs {
				if r.AppliesTo(d.Kind) {
					r.Run(&Pass{Rule: r, File: f, Doc: d, Options: &l.opts, report: report, budget: b})
				}
			}
		}
		if b != nil {
			b.summarise(r, report)
		}
	}
	f.memo = nil // what the rules derived is theirs; the result does not keep it alive
	res.Findings = l.suppress(src, nodes, res.Findings)
	SortFindings(res.Findings)
	return res, nil
}

// lintScript runs the script rules on a shell script.
func (l *Linter) lintScript(src Source) *Result {
	res := &Result{File: &File{Name: src.Name}}
	for _, r := range l.rules {
		if r.Scripts {
			r.Run(&Pass{Rule: r, File: res.File, Script: src.Data, Options: &l.opts, report: l.reporter(r, src.Name, &res.Findings)})
		}
	}
	res.Findings = l.suppress(src, nil, res.Findings)
	SortFindings(res.Findings)
	return res
}

// reporter returns the function a rule's findings go through: it applies the configured severity
// and turns a document's field path into a position. Script rules set the position themselves.
func (l *Linter) reporter(r *Rule, file string, into *[]Finding) func(*Document, Finding) {
	sev, override := l.severity[r.ID]
	return func(d *Document, fd Finding) {
		if override {
			fd.Severity = sev
		}
		fd.Pos.File = file
		switch {
		case d != nil:
			fd.Doc = d
			if fd.Node == nil { // a rule may name the node when the path is ambiguous
				fd.Node = d.anchor(fd.Path)
			}
			fd.Pos.Line, fd.Pos.Column = 1, 1
			if fd.Node != nil {
				fd.Pos.Line, fd.Pos.Column = fd.Node.Line, fd.Node.Column
			}
		case fd.Pos.Line == 0:
			fd.Pos.Line, fd.Pos.Column = 1, 1
		}
		*into = append(*into, fd)
	}
}

// load migrates, decodes and validates a file's documents. An error means a document cannot be
// read at all, such as one that expands without bound through aliases, or that ctx is done.
func (l *Linter) load(ctx context.Context, f *File) error {
	seenKind := map[string]bool{}
	for _, d := range f.Docs {
		if d.Kind != "" && !hasTypeProblem(d) {
			if seenKind[d.Kind] {
				d.addProblem(ProblemDuplicateKind, "kind", fmt.Sprintf("invalid configuration: kind %q is specified twice in YAML file", d.Kind))
			}
			seenKind[d.Kind] = true
		}
		d.checkAPIVersion(&l.opts)
	}
	m := migrateV1beta3(f.Docs)
	for _, d := range f.Docs {
		if root, ok := m.roots[d]; ok {
			d.Root, d.origin = root, m.origin[d]
		}
		for _, p := range m.unknown[d] {
			d.addProblem(ProblemUnknownField, p, fmt.Sprintf("strict decoding error: unknown field %q", p))
		}
		if hasTypeProblem(d) || d.hasProblem(ProblemDuplicateKind) || d.Version != "" && d.removed {
			continue
		}
		if err := decode(ctx, d, l.kubeletScheme, f.expansion); err != nil {
			if ctx.Err() != nil {
				return err
			}
			return &InputError{File: f.Name, Line: errorLine(err, d.Source.Line), Err: err}
		}
	}
	validateFile(f, &l.opts)
	return nil
}
