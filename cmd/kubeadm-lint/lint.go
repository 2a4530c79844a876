package main

import (
	"context"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

type lintOptions struct {
	targetFlags
	reportFlags
	host          bool
	scripts       bool
	skipUnrelated bool
	// reportUnusedIgnores is --report-unused-ignores.
	reportUnusedIgnores bool
	// upgrade is --upgrade-to: the releases an upgrade takes the files through.
	upgrade []string
}

func (o *lintOptions) register(cmd *cobra.Command) {
	o.targetFlags.register(cmd)
	o.reportFlags.register(cmd)
	f := cmd.Flags()
	f.BoolVar(&o.reportUnusedIgnores, "report-unused-ignores", false, "report kubeadm-lint:ignore comments that suppress nothing (KL013)")
	f.BoolVar(&o.skipUnrelated, "skip-unrelated", false, "treat named files as a directory walk does: skip those without a kubeadm, kubelet or kube-proxy document, and succeed when none has one (for pre-commit)")
	f.BoolVar(&o.scripts, "scripts", false, "read every file as a shell script and check its kubeadm command lines (*.sh always are)")
	f.BoolVar(&o.host, "host", false, "also check against this machine: read-only /usr, NICs, /etc/resolv.conf, the runtime's cgroup driver")
	registerUpgrade(cmd, &o.upgrade, "report only what changes when the files move to this release, or through this comma-separated path of releases, from --kubernetes-version (default: the release before)")
	cmd.ValidArgsFunction = completeInputs
}

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
	out, err := o.reportFlags.output(a)
	if err != nil {
		return err
	}
	cfg := o.pipelineConfig(a)
	cfg.Rules, cfg.Scripts, cfg.AsWalked = allRules(), o.scripts, o.skipUnrelated
	cfg.Flags.FailOn = o.given("fail-on", o.failOn)
	if o.changed("report-unused-ignores") {
		cfg.Flags.ReportUnusedIgnores = &o.reportUnusedIgnores
	}
	if o.host {
		cfg.Host = readHost("/")
	}
	cfg.KeepSources = out.opts.ShowSource
	if len(o.upgrade) > 0 {
		cfg.Upgrade = o.upgrade
		cfg.Flags.KubernetesVersion = upgradeStart(cfg.Flags.KubernetesVersion, o.upgrade)
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	// A file named on the command line and excluded by the settings is otherwise skipped without
	// a word, which reads as a clean file.
	for _, arg := range args {
		if arg != "-" && p.Settings.Skips(arg) {
			a.errorf("%s: not linted: %s excludes it", arg, settingsName(p))
		}
	}
	run := p.Run(ctx, args)
	return a.finish(out, p, run)
}

// settingsName names the settings file in messages.
func settingsName(p *pipeline.Pipeline) string {
	if p.Settings.Path != "" {
		return p.Settings.Path
	}
	return "the settings file"
}

// finish prints a run's report and its errors, and sets the exit code.
func (a *app) finish(out *reportOutput, p *pipeline.Pipeline, run *pipeline.Run) error {
	out.opts.FailOn = p.FailOn
	if err := out.write(a.stdout, run.Report, out.opts); err != nil {
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
