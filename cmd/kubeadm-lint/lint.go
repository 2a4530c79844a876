package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

type lintOptions struct {
	format            string
	formatSet         bool // --format was given; otherwise GITHUB_ACTIONS=true picks github
	quiet             bool
	failOn            string
	kubernetesVersion string
	showSource        bool
	hostProfile       string
	cni               string
	host              bool
	scripts           bool
	skipUnrelated     bool
	// configPath is --config; empty means .kubeadm-lint.yaml found above the working directory.
	configPath          string
	reportUnusedIgnores bool
	// flagSets are the flag sets registered, one per command, so that a setting from the
	// config file yields to a flag given on the command line.
	flagSets []*pflag.FlagSet
}

func (o *lintOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	o.flagSets = append(o.flagSets, f)
	f.StringVar(&o.configPath, "config", "", "settings file (default: "+config.FileName+" in the working directory or the nearest parent)")
	f.BoolVar(&o.reportUnusedIgnores, "report-unused-ignores", false, "report kubeadm-lint:ignore comments that suppress nothing (KL013)")
	o.format = "text"
	f.VarP(&formatFlag{value: &o.format, set: &o.formatSet}, "format", "f", fmt.Sprintf("output format: %v; github when GITHUB_ACTIONS=true", output.FormatNames()))
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings: no summary line, and nothing at all when there are none")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning or info")
	f.StringVar(&o.kubernetesVersion, "kubernetes-version", lint.DefaultKubernetesVersion, "the kubeadm release that will read the files: "+strings.Join(release.Supported(), ", "))
	f.BoolVar(&o.showSource, "show-source", false, "quote the offending line and print the hint under each finding (default when stdout is a terminal)")
	f.StringVar(&o.hostProfile, "host-profile", "", "layout of the nodes' OS: immutable-usr (Flatcar, Fedora CoreOS: read-only /usr)")
	f.StringVar(&o.cni, "cni", "", "the pod network add-on: flannel, calico or cilium")
	f.BoolVar(&o.skipUnrelated, "skip-unrelated", false, "treat named files as a directory walk does: skip those without a kubeadm, kubelet or kube-proxy document, and succeed when none has one (for pre-commit)")
	f.BoolVar(&o.scripts, "scripts", false, "read every file as a shell script and check its kubeadm command lines (*.sh always are)")
	f.BoolVar(&o.host, "host", false, "also check against this machine: read-only /usr, NICs, /etc/resolv.conf, the runtime's cgroup driver")

	for flag, values := range map[string][]string{
		"format":             output.FormatNames(),
		"fail-on":            {"error", "warning", "info"},
		"host-profile":       lint.HostProfiles,
		"cni":                lint.CNIs,
		"kubernetes-version": release.Supported(),
	} {
		// Registration fails only for a flag that does not exist or is registered twice.
		if err := cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
			panic(err)
		}
	}
	cmd.ValidArgsFunction = completeInputs
}

// formatFlag is --format remembering whether it was given, so that GitHub Actions gets its
// annotations by default and an explicit --format still wins.
type formatFlag struct {
	value *string
	set   *bool
}

func (f *formatFlag) String() string {
	if f.value == nil {
		return ""
	}
	return *f.value
}

func (f *formatFlag) Set(s string) error {
	*f.value, *f.set = s, true
	return nil
}

func (f *formatFlag) Type() string { return "string" }

// completeInputs completes PATH arguments with directories and the files the linter reads. As the
// first argument of the root command, a word that starts a subcommand's name completes to the
// subcommand instead, which cobra has already listed; mixing both would make the shells read the
// command names as file extensions.
func completeInputs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) == 0 && cmd.Flags().NFlag() == 0 {
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
		}
	}
	return []cobra.Completion{"yaml", "yml", "sh"}, cobra.ShellCompDirectiveFilterFileExt
}

func (a *app) lint(ctx context.Context, o *lintOptions, args []string) error {
	format := o.format
	if !o.formatSet && os.Getenv("GITHUB_ACTIONS") == "true" {
		format = "github"
	}
	write, err := output.Lookup(format)
	if err != nil {
		return err
	}
	conf, err := o.configure(rules.All())
	if err != nil {
		return err
	}
	failOn, err := lint.ParseSeverity(o.failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	opts := lint.Options{KubernetesVersion: o.kubernetesVersion, HostProfile: o.hostProfile, CNI: o.cni}
	if o.host {
		opts.Host = readHost("/")
	}
	linter, err := lint.New(lint.Config{Rules: rules.All(), Options: opts, Severity: conf.Severity, Disabled: conf.Disabled, ReportUnusedIgnores: o.reportUnusedIgnores})
	if err != nil {
		return err
	}
	sources, inputErrs := collect(args, a.stdin, o.scripts, o.skipUnrelated)
	sources, excluded := excludeSources(conf, sources)
	results, lintErrs := lintAll(ctx, linter, sources)
	inputErrs = append(inputErrs, lintErrs...)

	report := &output.Report{Sources: map[string][]byte{}, Rules: rules.All()}
	for i, res := range results {
		if res == nil {
			continue
		}
		report.Sources[sources[i].Name] = sources[i].Data
		report.Summary.Files++
		report.Summary.Documents += len(res.File.Docs)
		report.Summary.Skipped += res.File.Skipped
		report.Findings = append(report.Findings, dropExcluded(conf, res.Findings)...)
	}
	lint.SortFindings(report.Findings)
	report.Summary.Count(report.Findings)
	scripts := 0
	for _, src := range sources {
		if src.Script {
			scripts++
		}
	}
	if len(inputErrs) == 0 && report.Summary.Documents == 0 && scripts == 0 && excluded == 0 && !o.skipUnrelated {
		inputErrs = append(inputErrs, fmt.Errorf("no kubeadm, kubelet or kube-proxy configuration found in %v", args))
	}

	tty := false
	if f, ok := a.stdout.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	workDir, _ := os.Getwd() // without it, absolute paths stay absolute
	outOpts := output.Options{
		ShowSource: o.showSource || (tty && format == "text"),
		// https://no-color.org: any non-empty NO_COLOR turns colour off.
		Color:       tty && os.Getenv("NO_COLOR") == "",
		Quiet:       o.quiet,
		FailOn:      failOn,
		ToolVersion: toolVersion(),
		WorkDir:     workDir,
	}
	if err := write(a.stdout, report, outOpts); err != nil {
		return err
	}
	for _, e := range inputErrs {
		a.errorf("%v", e)
	}
	switch {
	case len(inputErrs) > 0:
		a.code = exitUsage
	case hasAtLeast(report.Findings, failOn):
		a.code = exitFindings
	}
	return nil
}

// toolVersion is the module version the binary was built from, "(devel)" for a plain go build.
func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func hasAtLeast(fs []lint.Finding, sev lint.Severity) bool {
	for _, f := range fs {
		if f.Severity >= sev {
			return true
		}
	}
	return false
}

// lintAll lints sources in parallel. Results keep the order of sources; a nil result has its
// error in errs.
func lintAll(ctx context.Context, l *lint.Linter, sources []lint.Source) ([]*lint.Result, []error) {
	results := make([]*lint.Result, len(sources))
	errs := make([]error, len(sources))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range sources {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = l.Lint(ctx, sources[i])
		}()
	}
	wg.Wait()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return results, out
}
