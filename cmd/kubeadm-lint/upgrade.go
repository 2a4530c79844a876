package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// upgradeFlag is --upgrade-to: a release or a patch version, or a comma-separated path of
// them, each a release with tables, each newer than the one before.
type upgradeFlag struct{ steps *[]string }

func (u upgradeFlag) String() string { return strings.Join(*u.steps, ",") }
func (u upgradeFlag) Type() string   { return "releases" }
func (u upgradeFlag) Set(s string) error {
	steps, err := parseUpgrade(s)
	if err != nil {
		return err
	}
	*u.steps = steps
	return nil
}

func parseUpgrade(s string) ([]string, error) {
	var steps []string
	last := -1
	for _, part := range strings.Split(s, ",") {
		r, err := lint.ParseTarget(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if r.Minor <= last {
			return nil, fmt.Errorf("%s does not come after v1.%d: name the steps of the upgrade in order", r.Name(), last)
		}
		if _, err := release.LoadUpgrade(r.Name()); err != nil {
			return nil, err
		}
		last = r.Minor
		steps = append(steps, r.Name())
	}
	return steps, nil
}

// registerUpgrade declares --upgrade-to on a command.
func registerUpgrade(cmd *cobra.Command, steps *[]string, usage string) {
	cmd.Flags().Var(upgradeFlag{steps}, "upgrade-to", usage)
	completeFlags(cmd, map[string][]string{"upgrade-to": release.Supported()})
}

// upgradeStart is the release the files are at before the upgrade: --kubernetes-version when
// given, else the release before the first step.
func upgradeStart(given string, steps []string) string {
	if given != "" {
		return given
	}
	r, _ := release.Load(steps[0])
	return fmt.Sprintf("v1.%d", r.Minor-1)
}
