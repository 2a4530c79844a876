package lint

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	kubeletscheme "k8s.io/kubernetes/pkg/kubelet/apis/config/scheme"
)

// Config configures a Linter.
type Config struct {
	Rules   []*Rule
	Options Options
	// Policy says which rules run and at what severity, and what is excluded. Its Profiles are
	// Options.Profiles.
	Policy Policy
	// ReportUnusedIgnores reports suppression comments that suppress nothing (KL013).
	ReportUnusedIgnores bool
}

// Linter runs rules over sources. It holds no state between calls and is safe for concurrent use.
type Linter struct {
	rules  []*Rule // the file pass's rules that run, less the suppression rules
	ignore []*Rule // the suppression rules that run, after the others' findings are suppressed
	opts   Options
	policy Policy
	// known holds every configured rule ID, enabled or not: an ignore may name a disabled rule.
	known map[string]bool
	// replaced maps the retired IDs that rules took over to the rules' IDs.
	replaced     map[string]string
	reportUnused bool
	// kubeletScheme is built once: building it costs more than linting a file.
	kubeletScheme *runtime.Scheme
	// apiserverScheme is kube-apiserver's configuration files' scheme, built on first use: most
	// runs lint no such file.
	apiserverScheme func() *runtime.Scheme
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
	policy := cfg.Policy
	policy.Profiles = opts.Profiles
	if err := policy.Check(cfg.Rules); err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	shareGates()
	ks, _, err := kubeletscheme.NewSchemeAndCodecs()
	if err != nil {
		return nil, fmt.Errorf("building the kubelet configuration scheme: %w", err)
	}
	l := &Linter{opts: opts, policy: policy, known: known, replaced: replaced, reportUnused: cfg.ReportUnusedIgnores, kubeletScheme: ks, apiserverScheme: sync.OnceValue(newAPIServerScheme)}
	for _, r := range cfg.Rules {
		switch {
		case r.Run == nil || !policy.Runs(r):
		case isIgnoreRule(r.ID):
			l.ignore = append(l.ignore, r)
		default:
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

	objects *ObjectOptions // set by LintObject
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
	if src.objects != nil {
		f.related = src.objects.Related
	}
	var foreign, carriers []*Document
	for i, n := range nodes {
		root := deref(n)
		if root == nil {
			continue // an empty document between separators
		}
		if d, isForeign := classify(root, i); isForeign {
			if isCarrier(d) {
				carriers = append(carriers, d)
				continue
			}
			foreign = append(foreign, d)
		} else {
			f.Docs = append(f.Docs, d)
		}
	}
	if hasKubeadmConfig(f) {
		// kubeadm reads the documents of a file as its own: a component's file beside them is a
		// foreign document to it, and its component would read the file's first document.
		f.Docs = slices.DeleteFunc(f.Docs, func(d *Document) bool {
			if d.Component != "" {
				foreign = append(foreign, d)
			}
			return d.Component != ""
		})
	}
	if !hasKubeadmConfig(f) && hasComponentFile(f) {
		// A component's decoder reads the first YAML document and skips comments before it.
		f.Docs = slices.DeleteFunc(f.Docs, func(d *Document) bool { return d.APIVersion == "" && commentsOnly(d.Root) })
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
	case len(carriers) > 0 && !hasConfig(f):
		// Cluster API and kind manifests hold other objects beside the carriers.
		f.Skipped = len(f.Docs) + len(foreign)
		f.Docs = nil
	case !hasConfig(f) && (src.Walked || len(f.Docs) == 0):
		f.Skipped = len(f.Docs) + len(foreign)
		f.Docs = nil
		return &Result{File: f}, nil
	case hasKubeadmConfig(f) && len(foreign) > 0:
		// 'kubeadm config validate' rejects a file with documents of other APIs; 'kubeadm init'
		// ignores them. The linter sides with validate, as a CI gate should.
		for _, d := range foreign {
			hint := "move the document to a file of its own, as 'kubeadm config validate' rejects the file and 'kubeadm init' ignores the document"
			if d.Component != "" {
				hint = fmt.Sprintf("move the document to a file of its own, as 'kubeadm config validate' rejects the file and %s reads only the first document of its file", d.Component)
			}
			d.Problems = append(d.Problems, Problem{Code: ProblemType, Path: "apiVersion",
				Message: fmt.Sprintf("unknown configuration API %q", d.APIVersion), Hint: hint})
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

	out, place := l.collector(), l.placer(src.Name)
	for _, r := range l.rules {
		if r.Scripts {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err // a caller with a deadline, such as the webhook, has given up
		}
		if len(r.Kinds) == 0 {
			r.Run(&Pass{Rule: r, File: f, Options: &l.opts, out: out, place: place})
			continue
		}
		for _, d := range f.Docs {
			if r.AppliesTo(d.Kind) {
				r.Run(&Pass{Rule: r, File: f, Doc: d, Options: &l.opts, out: out, place: place})
			}
		}
	}
	if len(carriers) > 0 {
		if err := l.embedded(ctx, src, f, carriers, out, place); err != nil {
			return nil, err
		}
	}
	f.memo = nil // what the rules derived is theirs; the result does not keep it alive
	return &Result{File: f, Findings: l.finish(src, f, nodes, out, place)}, nil
}

// lintScript runs the script rules on a shell script.
func (l *Linter) lintScript(src Source) *Result {
	f, out, place := &File{Name: src.Name}, l.collector(), l.placer(src.Name)
	for _, r := range l.rules {
		if r.Scripts {
			r.Run(&Pass{Rule: r, File: f, Script: src.Data, Options: &l.opts, out: out, place: place})
		}
	}
	return &Result{File: f, Findings: l.finish(src, f, nil, out, place)}
}

// collector returns the Collector of one Lint: with AllFindings, for fix, no rule is capped.
func (l *Linter) collector() *Collector {
	c := NewCollector(l.policy)
	c.Uncapped = l.opts.AllFindings
	return c
}

// finish counts what the caps left out, drops what ignore comments suppress, runs the rules about
// those comments, and returns the findings the policy does not exclude.
func (l *Linter) finish(src Source, f *File, nodes []*yaml.Node, out *Collector, place func(*Document, Finding) Finding) []Finding {
	out.Summarise(func(_ *Rule, scope any, fd Finding) Finding {
		d, _ := scope.(*Document)
		return place(d, fd)
	})
	out.found, f.Ignores = l.suppress(src, nodes, out.found)
	for _, r := range l.ignore {
		r.Run(&Pass{Rule: r, File: f, Options: &l.opts, out: out, place: place})
	}
	return out.Findings()
}

// placer returns the function that turns a finding's field path in a document into a position in
// file. Findings of script rules, and about ignore comments, carry their position already.
func (l *Linter) placer(file string) func(*Document, Finding) Finding {
	return func(d *Document, fd Finding) Finding {
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
		return fd
	}
}

// load migrates, decodes and validates a file's documents. An error means a document cannot be
// read at all, such as one that expands without bound through aliases, or that ctx is done.
func (l *Linter) load(ctx context.Context, f *File) error {
	seenKind := map[string]bool{}
	for _, d := range f.Docs {
		if d.Kind != "" && d.Component == "" && !hasTypeProblem(d) {
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
		decodeDoc := func() error { return decode(ctx, d, l.kubeletScheme, f.expansion) }
		if d.Component != "" {
			decodeDoc = func() error { return l.decodeComponent(ctx, d, f.expansion, false) }
		}
		if err := decodeDoc(); err != nil {
			if ctx.Err() != nil {
				return err
			}
			return &InputError{File: f.Name, Line: errorLine(err, d.Source.Line), Err: err}
		}
	}
	validateFile(f, &l.opts)
	return nil
}
