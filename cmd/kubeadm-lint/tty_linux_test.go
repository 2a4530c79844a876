package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestColor runs the CLI with a real pseudo-terminal as stdout, since colour depends on the stream
// being a terminal, and checks that NO_COLOR (any non-empty value, https://no-color.org) and a
// pipe both turn it off.
func TestColor(t *testing.T) {
	tests := map[string]struct {
		terminal  bool
		noColor   string
		wantColor bool
	}{
		"a terminal gets colour":              {terminal: true, wantColor: true},
		"NO_COLOR=1 turns colour off":         {terminal: true, noColor: "1"},
		"NO_COLOR=false turns colour off too": {terminal: true, noColor: "false"},
		"a pipe gets no colour":               {terminal: false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Chdir(root)
			t.Setenv("NO_COLOR", tt.noColor)
			t.Setenv("GITHUB_ACTIONS", "")
			reader, writer := openPipe(t)
			if tt.terminal {
				reader, writer = openPTY(t)
			}
			got := make(chan string)
			go func() {
				b, _ := io.ReadAll(reader) // a pty's master reads EIO once the other end is closed
				got <- string(b)
			}()
			var stderr bytes.Buffer
			run(context.Background(), []string{"testdata/examples/join-bad.yaml"}, strings.NewReader(""), writer, &stderr)
			writer.Close()
			out := <-got
			if !strings.Contains(out, "in 1 file (1 document, 0 skipped)") {
				t.Fatalf("no summary in the output: %q (stderr %q)", out, stderr.String())
			}
			if hasColor := strings.Contains(out, "\x1b["); hasColor != tt.wantColor {
				t.Errorf("colour = %v, want %v:\n%q", hasColor, tt.wantColor, out)
			}
		})
	}
}

func openPipe(t *testing.T) (*os.File, *os.File) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, w
}

// openPTY opens a pseudo-terminal pair as posix_openpt, unlockpt and ptsname do.
func openPTY(t *testing.T) (master, slave *os.File) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatalf("unlocking the pty: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatalf("naming the pty: %v", e)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return master, slave
}
