package fix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Step names a point in a write, for fault injection.
type Step string

// The steps of a write, in order.
const (
	StepCreated Step = "created" // the temporary file exists, empty
	StepWritten Step = "written" // the new content is written, not yet synced
	StepSynced  Step = "synced"  // the content is on disk and the file closed
	StepRename  Step = "rename"  // the original is about to be replaced
)

// WriterConfig configures a Writer.
type WriterConfig struct {
	// Hook, when set, runs after each step of a write. An error from it aborts the write there,
	// as a failure of that step would; tests use it to inject faults and to crash mid-write.
	Hook func(path string, step Step) error
}

// Writer replaces files atomically: the new content goes to a temporary file in the same
// directory, which is synced and then renamed over the original. A reader, or a crash at any
// point, sees either the old content or the new, never a mix or a truncated file.
type Writer struct {
	hook func(string, Step) error
}

// NewWriter returns a Writer.
func NewWriter(cfg WriterConfig) *Writer {
	return &Writer{hook: cfg.Hook}
}

// tempInfix marks the temporary files Replace writes beside a file: ".NAME.kubeadm-lint-PID-NNNN".
const tempInfix = ".kubeadm-lint-"

// staleAfter is how old a temporary file of ours must be before Replace takes it for the
// leftover of a run that was killed: no fix of a 4 MiB file takes that long, so a live run's
// file is never removed.
const staleAfter = 10 * time.Minute

// removeStale removes the temporary files that killed runs left beside base. It is best effort:
// a file it cannot remove stays, and the fix goes on.
func removeStale(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base + tempInfix
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		// A run names its files with its process ID: one whose process is gone was killed, and
		// its file goes at once; for another the age decides, as the ID may have been reused.
		pid, _, hasPID := strings.Cut(strings.TrimPrefix(e.Name(), prefix), "-")
		if n, err := strconv.Atoi(pid); hasPID && err == nil && n > 0 && n != os.Getpid() && processGone(n) {
			os.Remove(filepath.Join(dir, e.Name()))
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Replace writes data to path, which must still hold old: a file changed since it was read is
// left alone rather than overwritten with a fix of its previous content. The file keeps its
// permission bits, its owner and group and its hard links, or is refused (replaceable); a
// symbolic link is followed, so the link stays a link.
func (w *Writer) Replace(path string, old, data []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if err := replaceable(info); err != nil {
		return fmt.Errorf("not replaced: %w", err)
	}
	dir, base := filepath.Dir(target), filepath.Base(target)
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+tempInfix+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := w.step(path, StepCreated); err != nil {
		return err
	}
	keepOwner(tmp, info)
	if err := tmp.Chmod(info.Mode().Perm() | info.Mode()&(os.ModeSetuid|os.ModeSetgid|os.ModeSticky)); err != nil {
		return fmt.Errorf("setting the mode of the temporary file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing the temporary file: %w", err)
	}
	if err := w.step(path, StepWritten); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("syncing the temporary file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing the temporary file: %w", err)
	}
	if err := w.step(path, StepSynced); err != nil {
		return err
	}
	current, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	if !bytes.Equal(current, old) {
		return errors.New("the file changed while it was being fixed; run fix again")
	}
	if err := w.step(path, StepRename); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("replacing the file: %w", err)
	}
	// The rename is durable once the directory is synced. Some file systems cannot sync a
	// directory; the content is in place either way, so that failure is not reported.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func (w *Writer) step(path string, s Step) error {
	if w.hook == nil {
		return nil
	}
	if err := w.hook(path, s); err != nil {
		return fmt.Errorf("writing %s aborted after step %q: %w", path, s, err)
	}
	return nil
}
