package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
)

// reportFlags choose how a report is printed and when it fails. lint and cluster declare them
// through here, so that both print alike.
type reportFlags struct {
	format     string
	formatSet  bool // --format was given; otherwise GITHUB_ACTIONS=true picks github
	quiet      bool
	failOn     string
	showSource bool
}

func (o *reportFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	o.format = "text"
	f.VarP(&formatFlag{value: &o.format, set: &o.formatSet}, "format", "f", fmt.Sprintf("output format: %v; github when GITHUB_ACTIONS=true", output.FormatNames()))
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print only the findings: no summary line, and nothing at all when there are none")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the exit code 1: error, warning or info")
	f.BoolVar(&o.showSource, "show-source", false, "quote the offending line and print the hint under each finding (default when stdout is a terminal)")
	completeFlags(cmd, map[string][]string{
		"format":  output.FormatNames(),
		"fail-on": {"error", "warning", "info"},
	})
}

// reportOutput is the writer and its options that the flags chose.
type reportOutput struct {
	write output.Writer
	opts  output.Options
}

// output resolves the flags against the environment: the terminal, NO_COLOR and GitHub Actions.
func (o *reportFlags) output(a *app) (*reportOutput, error) {
	format := o.format
	if !o.formatSet && os.Getenv("GITHUB_ACTIONS") == "true" {
		format = "github"
	}
	write, err := output.Lookup(format)
	if err != nil {
		return nil, err
	}
	tty := false
	if f, ok := a.stdout.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	workDir, _ := os.Getwd() // without it, absolute paths stay absolute
	return &reportOutput{write: write, opts: output.Options{
		ShowSource: o.showSource || (tty && format == "text"),
		// https://no-color.org: any non-empty NO_COLOR turns colour off.
		Color:       tty && os.Getenv("NO_COLOR") == "",
		Quiet:       o.quiet,
		ToolVersion: toolVersion(),
		WorkDir:     workDir,
	}}, nil
}

// allRules are the rules a settings file may name, in ID order: the linter's and the cluster
// audit's.
func allRules() []*lint.Rule {
	all := catalog.All()
	slices.SortFunc(all, func(a, b *lint.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
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
