// Package pipeline is the one path from command-line inputs to findings that every command of
// kubeadm-lint takes: the settings file, the target release, discovery with the excludes applied
// inside the walk, reading with the core's limits, the linter, and the summary. Like
// kubeconform's pkg/resource, it knows nothing of flags or output formats: cmd/ declares the
// flags and prints.
package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Config configures a Pipeline.
type Config struct {
	// Settings is the settings file to read. Empty looks for config.FileName in WorkDir and its
	// parents, and runs with no settings when there is none.
	Settings string
	// WorkDir is where the settings file is looked for; empty is the working directory.
	WorkDir string
	// Flags are the choices made on the command line. They win over the settings file's.
	Flags Flags
	Rules []*lint.Rule
	// Host holds facts read from this machine, for --host; nil otherwise.
	Host *lint.Host
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Scripts reads every file as a shell script, not only *.sh.
	Scripts bool
	// AsWalked reads named files as a directory walk finds them: one without a configuration
	// document is skipped, not reported.
	AsWalked bool
	// KeepSources keeps each file's text in the report, for output that quotes the offending
	// line. Without it, a file's text is dropped once it is linted, so that a run holds only its
	// findings, whatever the number and size of its files.
	KeepSources bool
	// AllFindings reports every finding of a rule, not MaxFindingsPerRule per document (fix).
	AllFindings bool
	// Upgrade is the path of releases an upgrade takes the files through, "v1.36", "v1.37". With
	// it, a file's findings are only those each step's target adds to what the release before
	// it reports, Flags.KubernetesVersion being the release the files are at now.
	Upgrade []string
}

// Flags are the settings that the command line and the settings file can both give. An empty
// field was not given on the command line.
type Flags struct {
	KubernetesVersion   string
	HostProfile         string
	CNI                 string
	Profiles            []string // nil: not given
	FailOn              string
	ReportUnusedIgnores *bool
}

// Pipeline turns inputs into findings. It reads the settings file once, in New, and is safe for
// concurrent use.
type Pipeline struct {
	cfg Config
	// Settings is the settings file as read; empty when there is none.
	Settings *config.File
	// Options is the target the linter checks for, the flags and the settings merged.
	Options lint.Options
	// FailOn is the lowest severity that fails a run.
	FailOn lint.Severity
	// Policy is the settings' say on rules, which every pass applies: the cluster audit's too.
	Policy lint.Policy
	linter *lint.Linter
	// steps are the linters of Config.Upgrade's releases, in order.
	steps []*lint.Linter
}

// New reads the settings file and builds the linter.
func New(cfg Config) (*Pipeline, error) {
	if cfg.Stdin == nil {
		cfg.Stdin = os.Stdin
	}
	settings, err := readSettings(cfg)
	if err != nil {
		return nil, err
	}
	return build(cfg, settings)
}

// ForRelease returns a pipeline like p that lints for release, the one a cluster runs, unless
// the command line chose another: a cluster's own release wins over the settings file's.
func (p *Pipeline) ForRelease(release string) (*Pipeline, error) {
	if p.cfg.Flags.KubernetesVersion != "" {
		return p, nil
	}
	cfg := p.cfg
	cfg.Flags.KubernetesVersion = release
	return build(cfg, p.Settings)
}

// build merges the flags with the settings and builds the linter.
func build(cfg Config, settings *config.File) (*Pipeline, error) {
	var err error
	f := cfg.Flags
	pick := func(flag, setting, fallback string) string {
		switch {
		case flag != "":
			return flag
		case setting != "":
			return setting
		}
		return fallback
	}
	opts := lint.Options{
		KubernetesVersion: pick(f.KubernetesVersion, settings.KubernetesVersion, lint.DefaultKubernetesVersion),
		HostProfile:       pick(f.HostProfile, settings.HostProfile, ""),
		CNI:               pick(f.CNI, settings.CNI, ""),
		Host:              cfg.Host,
		Profiles:          settings.Profiles,
		AllFindings:       cfg.AllFindings,
		TargetAssumed:     f.KubernetesVersion == "" && settings.KubernetesVersion == "",
	}
	if f.Profiles != nil {
		opts.Profiles = f.Profiles
	}
	failOn := lint.SeverityError
	switch {
	case f.FailOn != "":
		if failOn, err = lint.ParseSeverity(f.FailOn); err != nil {
			return nil, fmt.Errorf("--fail-on: %w", err)
		}
	case settings.FailOn != 0:
		failOn = settings.FailOn
	}
	unused := settings.ReportUnusedIgnores != nil && *settings.ReportUnusedIgnores
	if f.ReportUnusedIgnores != nil {
		unused = *f.ReportUnusedIgnores
	}
	isFile := func(source string) bool { return source != StdinName }
	policy := settings.Policy(isFile)
	linter, err := lint.New(lint.Config{Rules: cfg.Rules, Options: opts, Policy: policy, ReportUnusedIgnores: unused})
	if err != nil {
		return nil, err
	}
	p := &Pipeline{cfg: cfg, Settings: settings, Options: opts, FailOn: failOn, Policy: policy, linter: linter}
	for _, rel := range cfg.Upgrade {
		step := opts
		step.KubernetesVersion, step.Upgrading = rel, true
		l, err := lint.New(lint.Config{Rules: cfg.Rules, Options: step, Policy: policy, ReportUnusedIgnores: unused})
		if err != nil {
			return nil, fmt.Errorf("--upgrade-to: %w", err)
		}
		p.steps = append(p.steps, l)
	}
	return p, nil
}

// At returns a pipeline like p that lints for release, whatever the command line chose, and
// checks no upgrade: the cluster's upgrade check lints both ends of each step with it.
func (p *Pipeline) At(release string) (*Pipeline, error) {
	cfg := p.cfg
	cfg.Flags.KubernetesVersion, cfg.Upgrade = release, nil
	return build(cfg, p.Settings)
}

// readSettings reads the settings file that cfg names or that sits above the working directory.
func readSettings(cfg Config) (*config.File, error) {
	path := cfg.Settings
	if path == "" {
		wd := cfg.WorkDir
		if wd == "" {
			var err error
			if wd, err = os.Getwd(); err != nil {
				return nil, fmt.Errorf("finding %s: %w", config.FileName, err)
			}
		}
		found, err := config.Find(wd)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return &config.File{}, nil
		}
		// Messages name the file as the user would type it: relative to the working directory,
		// unless the lookup started elsewhere (the language server's buffers), where only the
		// absolute path opens it.
		path = found
		if rel, err := filepath.Rel(wd, found); err == nil && cfg.WorkDir == "" {
			path = rel
		}
	}
	settings, err := config.Load(path, cfg.Rules)
	if err != nil && cfg.Settings != "" {
		return nil, fmt.Errorf("--config: %w", err)
	}
	return settings, err
}

// Lint lints one source with the settings applied, its excludes included. fix lints through it,
// so that it fixes only what lint reports.
func (p *Pipeline) Lint(ctx context.Context, src lint.Source) (*lint.Result, error) {
	return p.lint(ctx, src, lint.ObjectOptions{})
}

// lint is Lint with the Cluster API objects of the whole run at hand.
func (p *Pipeline) lint(ctx context.Context, src lint.Source, o lint.ObjectOptions) (*lint.Result, error) {
	res, err := p.linter.LintObject(ctx, src, o)
	if err != nil || len(p.steps) == 0 {
		return res, err
	}
	// An upgrade: what each step's target adds to what came before it, once.
	seen, added := res.Findings, []lint.Finding(nil)
	for _, step := range p.steps {
		next, err := step.LintObject(ctx, src, o)
		if err != nil {
			return nil, err
		}
		diff := lint.Added(seen, next.Findings)
		seen, added = append(seen, diff...), append(added, diff...)
		res.File = next.File
	}
	lint.SortFindings(added)
	res.Findings = added
	return res, nil
}
