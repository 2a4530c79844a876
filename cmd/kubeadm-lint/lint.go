package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

type lintOptions struct {
	targetFlags
	format        string
	formatSet     bool // --format was given; otherwise GITHUB_ACTIONS=true picks github
	quiet         bool
	failOn        string
	showSource    bool
	host          bool
	scripts       bool
	skipUnrelated bool
	// reportUnusedIgnores is --report-unused-ignores.
	reportUnusedIgnores bool
}

func (o *lintOptions) register(cmd *cobra.Command) {
	o.targetFlags.register(cmd)
	f := cmd.Flags()
	f.BoolVar(&o.reportUnusedIgnores, "report-unused-ignores", false, "report kubeadm-lint:ignore comments that suppress nothing (KL013)")
	o.format = "text"
	f.VarP(&formatFlag{value: &o.format, set: &o.formatSet}, "format", "f", fmt.Sprintf("output format: %v; github when GITHUB_ACTIONS=true", output.FormatNames()))
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings: no summary line, and nothing at all when there are none")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning or info")
	f.BoolVar(&o.showSource, "show-source", false, "quote the offending line and print the hint under each finding (default when stdout is a terminal)")
	f.BoolVar(&o.skipUnrelated, "skip-unrelated", false, "treat named files as a directory walk does: skip those without a kubeadm, kubelet or kube-proxy document, and succeed when none has one (for pre-commit)")
	f.BoolVar(&o.scripts, "scripts", false, "read every file as a shell script and check its kubeadm command lines (*.sh always are)")
	f.BoolVar(&o.host, "host", false, "also check against this machine: read-only /usr, NICs, /etc/resolv.conf, the runtime's cgroup driver")
	completeFlags(cmd, map[string][]string{
		"format":  output.FormatNames(),
		"fail-on": {"error", "warning", "info"},
	})
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
	cfg := o.pipelineConfig(a)
	cfg.Rules, cfg.Scripts, cfg.AsWalked = rules.All(), o.scripts, o.skipUnrelated
	cfg.Flags.FailOn = o.given("fail-on", o.failOn)
	if o.changed("report-unused-ignores") {
		cfg.Flags.ReportUnusedIgnores = &o.reportUnusedIgnores
	}
	if o.host {
		cfg.Host = readHost("/")
	}
	tty := false
	if f, ok := a.stdout.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	showSource := o.showSource || (tty && format == "text")
	cfg.KeepSources = showSource
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	run := p.Run(ctx, args)

	workDir, _ := os.Getwd() // without it, absolute paths stay absolute
	outOpts := output.Options{
		ShowSource: showSource,
		// https://no-color.org: any non-empty NO_COLOR turns colour off.
		Color:       tty && os.Getenv("NO_COLOR") == "",
		Quiet:       o.quiet,
		FailOn:      p.FailOn,
		ToolVersion: toolVersion(),
		WorkDir:     workDir,
	}
	if err := write(a.stdout, run.Report, outOpts); err != nil {
		return err
	}
	for _, e := range run.Errors {
		a.errorf("%v", e)
	}
	switch {
	case len(run.Errors) > 0:
		a.code = exitUsage
	case p.Failed(run):
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
