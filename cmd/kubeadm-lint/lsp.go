package main

import (
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/lsp"
)

func (a *app) lspCommand() *cobra.Command {
	var (
		t        targetFlags
		debounce time.Duration
	)
	cmd := &cobra.Command{
		Use:   "lsp [flags]",
		Short: "Run the language server on standard input and output, for editors",
		Long: `lsp is a language server (LSP over standard input and output): editors show the findings as
you type, with the rule ID linked to its page, offer the rules' fixes as quick fixes (the edits
'kubeadm-lint fix' makes), and show 'kubeadm-lint explain' when hovering over a finding.

Each buffer is linted as 'kubeadm-lint' lints its file: with the .kubeadm-lint.yaml found from
the file's directory up, and its ignore comments. The flags, when given, win over the settings
file's, as for lint. docs/editor.md shows the set-up for VS Code, Neovim and Helix.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := t.pipelineConfig(a)
			srv, err := lsp.New(lsp.Config{
				Rules:    allRules(),
				Flags:    cfg.Flags,
				Settings: cfg.Settings,
				Debounce: debounce,
				Log:      slog.New(slog.NewTextHandler(a.stderr, nil)),
				Version:  buildVersion(),
			})
			if err != nil {
				return err
			}
			return srv.RunStdio()
		},
	}
	t.register(cmd)
	cmd.Flags().DurationVar(&debounce, "debounce", lsp.DefaultDebounce, "how long to wait after a change before linting")
	return cmd
}

// buildVersion is the module version the binary was built at, or "(devel)".
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
