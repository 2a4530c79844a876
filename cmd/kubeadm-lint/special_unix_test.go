//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the CLI, signals and all: with KUBEADM_LINT_AS_CLI=1
// it is kubeadm-lint, its arguments the CLI's.
func TestMain(m *testing.M) {
	if os.Getenv("KUBEADM_LINT_AS_CLI") == "1" {
		os.Exit(process(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// TestSpecialFilesNeverBlock: a FIFO met in a walk is skipped and counted, one named on the
// command line is refused with exit 2; neither blocks the run.
func TestSpecialFilesNeverBlock(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"cluster.yaml": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: cp.example.com:6443\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "p.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{args: []string{"."}, code: exitOK, stdout: "1 special file skipped"},
		{args: []string{"p.yaml", "cluster.yaml"}, code: exitUsage, stderr: "p.yaml: not a regular file"},
		{args: []string{"fix", "p.yaml"}, code: exitUsage, stderr: "p.yaml: not a regular file"},
	} {
		done := make(chan struct{})
		var stdout, stderr bytes.Buffer
		var code int
		go func() {
			defer close(done)
			code = run(context.Background(), tt.args, strings.NewReader(""), &stdout, &stderr)
		}()
		select {
		case <-done:
		case <-time.After(time.Minute): // a guard against hanging the suite, not a timing
			t.Fatalf("kubeadm-lint %s is still running", strings.Join(tt.args, " "))
		}
		if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("kubeadm-lint %s: exit %d, want %d; stdout %q, want %q in it; stderr %q, want %q in it",
				strings.Join(tt.args, " "), code, tt.code, stdout.String(), tt.stdout, stderr.String(), tt.stderr)
		}
	}
}

// TestSignalEndsABlockedRun: SIGTERM and SIGINT end a run that is blocked reading standard
// input, which never sees the context, with the exit code a shell expects.
func TestSignalEndsABlockedRun(t *testing.T) {
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGINT, 130}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close() // held open: the run blocks reading it
			cmd := exec.Command(os.Args[0], "-")
			cmd.Env = append(os.Environ(), "KUBEADM_LINT_AS_CLI=1")
			cmd.Stdin = r
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			r.Close()
			// Let it reach the read: a signal that comes while the packages' init still runs, before
			// the CLI asks for signals, kills the process without an exit code. That init takes
			// tens of milliseconds on an idle machine and has taken over 200 on a loaded one.
			time.Sleep(time.Second)
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(time.Minute): // a guard against hanging the suite
				cmd.Process.Kill()
				t.Fatalf("the run is still going after %v", tt.sig)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.code {
				t.Errorf("after %v: %v, want exit code %d", tt.sig, err, tt.code)
			}
		})
	}
}
