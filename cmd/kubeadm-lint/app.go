package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
)

// app carries the streams and the exit code through the commands.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	code           int
}

func (a *app) errorf(format string, args ...any) {
	// One line per error: a file name or value in it cannot start another (output.Escape).
	msg := output.Escape(strings.TrimRight(fmt.Sprintf(format, args...), "\n"))
	fmt.Fprintf(a.stderr, "kubeadm-lint: %s\n", msg)
}

func (a *app) rootCommand() *cobra.Command {
	lintOpts := &lintOptions{}
	root := &cobra.Command{
		Use:   "kubeadm-lint [flags] PATH...",
		Short: "Lint kubeadm configuration files before kubeadm reads them",
		Long: `kubeadm-lint reads kubeadm configuration files (kubeadm.k8s.io v1beta3, v1beta4 and v1, with
KubeletConfiguration and KubeProxyConfiguration) and reports everything kubeadm would reject, all
at once, plus the mistakes the kubeadm troubleshooting guide warns about.

PATH is a file, a directory (searched for *.yaml and *.yml, and *.sh for kubeadm command lines) or
- for standard input.

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above --fail-on, 2 usage or
unreadable input.`,
		Args:          cobra.ArbitraryArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return a.lint(cmd.Context(), lintOpts, args)
		},
	}
	lintOpts.register(root)
	lintCmd := &cobra.Command{
		Use:   "lint [flags] PATH...",
		Short: "Lint configuration files (the default command)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.lint(cmd.Context(), lintOpts, args)
		},
	}
	lintOpts.register(lintCmd)
	root.AddCommand(lintCmd, a.fixCommand(), a.clusterCommand(), a.emitCommand(), a.rulesCommand(), a.explainCommand(), a.schemaCommand(), a.lspCommand(), a.versionCommand())
	return root
}
