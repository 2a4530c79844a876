// Command kubeadm-lint checks kubeadm configuration files before kubeadm reads them.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/klog/v2"
)

// Exit codes. Findings at or above --fail-on give exitFindings; anything that stops the linter
// from reading its input gives exitUsage.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// kubeadm's and the kubelet's code log through klog (feature gate notes, deprecations); the
	// findings already say what matters.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	app := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	cmd := app.rootCommand()
	cmd.SetArgs(args)
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	if err := cmd.ExecuteContext(ctx); err != nil {
		if app.code == exitOK {
			app.code = exitUsage
		}
		app.errorf("%v", err)
	}
	return app.code
}
