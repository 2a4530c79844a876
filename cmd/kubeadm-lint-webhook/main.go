// Command kubeadm-lint-webhook is the admission webhook that keeps kube-proxy and CoreDNS fixed
// after kubeadm upgrades and lints the kubeadm ConfigMaps. See docs/webhook.md for deployment.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the exit code: 0 after a clean shutdown, 1 on any failure, 2 on bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(stderr, "kubeadm-lint-webhook: %v\n", err)
		if _, ok := err.(usageError); ok {
			return 2
		}
		return 1
	}
	return 0
}

type usageError struct{ error }

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var flags serveFlags
	root := &cobra.Command{
		Use:           "kubeadm-lint-webhook",
		Short:         "Admission webhook that keeps kubeadm's kube-proxy and CoreDNS fixed and lints its ConfigMaps",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := flags.config(cmd.Flags())
			if err != nil {
				return err
			}
			logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: flags.logLevel}))
			return serve(cmd.Context(), cfg, logger)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	flags.register(root.Flags())
	root.AddCommand(newCertsCmd(stdout))
	return root
}
