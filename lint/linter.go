package lint

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
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
	known, replaced := map[string]bool{}, map[string]string{}
	for _, r := range cfg.Rules {
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
	ks, _, err := kubeletscheme.NewSchemeAndCodecs()
	if err != nil {
		return nil, fmt.Errorf("building the kubelet configuration scheme: %w", err)
	}
	l := &Linter{opts: opts, severity: cfg.Severity, known: known, replaced: replaced, reportUnused: cfg.ReportUnusedIgnores, kubeletScheme: ks}
	for _, r := range cfg.Rules {
		if !cfg.Disabled[r.ID] {
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
	f := &File{Name: src.Name, Nodes: nodes}
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
		report := l.reporter(r, src.Name, &res.Findings)
		if len(r.Kinds) == 0 {
			r.Run(&Pass{Rule: r, File: f, Options: &l.opts, report: report})
			continue
		}
		for _, d := range f.Docs {
			if r.AppliesTo(d.Kind) {
				r.Run(&Pass{Rule: r, File: f, Doc: d, Options: &l.opts, report: report})
			}
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
			fd.Doc, fd.Node = d, d.anchor(fd.Path)
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
		if err := decode(ctx, d, l.kubeletScheme); err != nil {
			if ctx.Err() != nil {
				return err
			}
			return &InputError{File: f.Name, Line: d.Source.Line, Err: err}
		}
	}
	validateFile(f, &l.opts)
	return nil
}

// classify reads a document's apiVersion and kind. foreign is set for documents of other APIs.
func classify(root *yaml.Node, index int) (d *Document, foreign bool) {
	d = &Document{Index: index, Source: root, Root: root}
	if root.Kind != yaml.MappingNode {
		d.addProblem(ProblemType, "", "document is not a mapping of configuration fields")
		return d, false
	}
	var av, k *yaml.Node
	_, av = mappingGet(root, "apiVersion")
	d.kindKey, k = mappingGet(root, "kind")
	if av != nil {
		d.APIVersion = deref(av).Value
	}
	if k != nil {
		d.Kind = deref(k).Value
	}
	group, ver := splitAPIVersion(d.APIVersion)
	switch {
	case d.APIVersion == "" || d.Kind == "":
		d.addProblem(ProblemType, "", fmt.Sprintf("invalid configuration for GroupVersionKind %q, kind %q: kind and apiVersion is mandatory information that must be specified", d.APIVersion, d.Kind))
	case group == kubeadmGroup:
		d.Version = ver
	case group == kubeletGroup || group == kubeProxyGroup:
		if !(d.APIVersion == kubeletVersion && d.Kind == KindKubelet || d.APIVersion == kubeProxyVersion && d.Kind == KindKubeProxy) {
			d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
		}
	default:
		return d, true
	}
	return d, false
}

func unknownAPI(d *Document) string {
	return fmt.Sprintf("unknown configuration API %s, Kind=%s", d.APIVersion, d.Kind)
}

// oldKubeadmAPIs maps removed kubeadm API versions to the last kubeadm release that reads them.
var oldKubeadmAPIs = map[string]string{
	"v1alpha1": "v1.11", "v1alpha2": "v1.12", "v1alpha3": "v1.14", "v1beta1": "v1.15", "v1beta2": "v1.22",
}

// checkAPIVersion judges a kubeadm document's API version against the target release.
func (d *Document) checkAPIVersion(opts *Options) {
	if d.Version == "" || hasTypeProblem(d) {
		return
	}
	oldSpec := func(release string) string {
		return fmt.Sprintf("your configuration file uses an old API spec: %q (kind: %q). Please use kubeadm %s instead and run 'kubeadm config migrate --old-config old-config-file --new-config new-config-file', which will write the new, similar spec using a newer API version.", d.APIVersion, d.Kind, release)
	}
	kinds := KubeadmKinds
	switch d.Version {
	case "v1beta4", "v1":
	case "v1beta3":
		kinds = []string{KindInit, KindCluster, KindJoin}
	default:
		if release, ok := oldKubeadmAPIs[d.Version]; ok {
			d.addProblem(ProblemAPIVersion, "apiVersion", oldSpec(release))
			d.removed = true
			return
		}
		d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
		return
	}
	if !slices.Contains(kinds, d.Kind) {
		d.addProblem(ProblemType, "kind", unknownAPI(d))
		return
	}
	switch {
	case d.Version == "v1" && opts.TargetMinor() < 37:
		// kubeadm.k8s.io/v1 first shipped, as experimental, in kubeadm v1.37.
		d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
	case d.Version == "v1beta3" && opts.TargetMinor() >= 37:
		d.addProblem(ProblemAPIVersion, "apiVersion", oldSpec("v1.36"))
	case d.Version == "v1beta3" && opts.TargetMinor() >= 35:
		d.Problems = append(d.Problems, Problem{Code: ProblemAPIVersion, Path: "apiVersion", Severity: SeverityWarning,
			Message: "kubeadm.k8s.io/v1beta3 is deprecated",
			Hint:    "migrate to v1beta4 with 'kubeadm-lint fix --migrate' or 'kubeadm config migrate', as kubeadm v1.37 rejects v1beta3"})
	case d.Version == "v1":
		d.Problems = append(d.Problems, Problem{Code: ProblemExperimental, Path: "apiVersion", Severity: SeverityWarning,
			Message: "kubeadm.k8s.io/v1 is experimental",
			Hint:    fmt.Sprintf("pass --allow-experimental-api to kubeadm v1.%d, or use kubeadm.k8s.io/v1beta4", opts.TargetMinor())})
	}
}

func hasTypeProblem(d *Document) bool { return d.hasProblem(ProblemType) }

func (d *Document) hasProblem(code ProblemCode) bool {
	for _, p := range d.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

// hasConfig reports whether any document is a configuration kind, known or not.
func hasConfig(f *File) bool {
	for _, d := range f.Docs {
		if d.APIVersion != "" || d.Kind != "" {
			return true
		}
	}
	return false
}

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
