// Command kubeadm-lint checks kubeadm configuration files before kubeadm reads them.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"k8s.io/klog/v2"
)

// Exit codes. Findings at or above --fail-on give exitFindings; anything that stops the linter
// from reading its input gives exitUsage.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() { os.Exit(process(os.Args[1:])) }

// process is main with signals: SIGINT and SIGTERM cancel the run and end the process within
// signalGrace, with the exit code shells give a process killed by the signal (130, 143),
// whatever the run is blocked on; a read from a pipe, for one, never sees the context.
func process(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var caught atomic.Value
	go func() {
		sig := <-sigs
		caught.Store(sig)
		cancel()
		time.Sleep(signalGrace)
		os.Exit(signalCode(sig))
	}()
	code := run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	if sig, ok := caught.Load().(os.Signal); ok {
		return signalCode(sig)
	}
	return code
}

// signalGrace is how long a run may take to stop after a signal. fix writes through a
// temporary file and a rename, so stopping it at any point leaves each file whole, and a later
// run removes the temporary file. It is short because a loaded machine adds its own delay to
// waking this goroutine and to exiting: 300 ms here measured 545 ms under load.
const signalGrace = 100 * time.Millisecond

func signalCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
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
