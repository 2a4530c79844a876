package fix_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kubeadm-lint/kubeadm-lint/fix"
)

var steps = []fix.Step{fix.StepCreated, fix.StepWritten, fix.StepSynced, fix.StepRename}

// TestReplaceFaults fails a write at each of its steps: the original file must stay as it was,
// with its mode, and no temporary file may be left behind.
func TestReplaceFaults(t *testing.T) {
	old, data := []byte("apiVersion: kubeadm.k8s.io/v1beta3\n"), []byte("apiVersion: kubeadm.k8s.io/v1beta4\n")
	tests := map[string]struct {
		failAt fix.Step
		want   []byte
	}{
		"a write that fails after creating the temporary file": {failAt: fix.StepCreated, want: old},
		"a write that fails after writing the content":         {failAt: fix.StepWritten, want: old},
		"a write that fails after syncing":                     {failAt: fix.StepSynced, want: old},
		"a write that fails just before the rename":            {failAt: fix.StepRename, want: old},
		"a write that does not fail":                           {want: data},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "kubeadm.yaml")
			if err := os.WriteFile(path, old, 0o640); err != nil {
				t.Fatal(err)
			}
			var seen []fix.Step
			w := fix.NewWriter(fix.WriterConfig{Hook: func(_ string, s fix.Step) error {
				seen = append(seen, s)
				if s == tt.failAt {
					return errors.New("injected fault")
				}
				return nil
			}})
			err := w.Replace(path, old, data)
			if (err != nil) != (tt.failAt != "") {
				t.Errorf("Replace returned %v", err)
			}
			checkFile(t, path, tt.want, 0o640)
			if tt.failAt == "" && fmt.Sprint(seen) != fmt.Sprint(steps) {
				t.Errorf("steps %v, want %v", seen, steps)
			}
		})
	}
}

// TestReplaceRefusesAChangedFile: a file edited between reading and writing is not overwritten
// with a fix of its previous content.
func TestReplaceRefusesAChangedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kubeadm.yaml")
	if err := os.WriteFile(path, []byte("edited by someone else\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := fix.NewWriter(fix.WriterConfig{}).Replace(path, []byte("as read\n"), []byte("fixed\n"))
	if err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("Replace returned %v, want an error about the change", err)
	}
	checkFile(t, path, []byte("edited by someone else\n"), 0o644)
}

// TestReplaceKeepsTheOwner: root fixing another user's file must not hand the file to root.
func TestReplaceKeepsTheOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user; this test needs to run as root")
	}
	path := filepath.Join(t.TempDir(), "kubeadm.yaml")
	if err := os.WriteFile(path, []byte("as read\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	const uid, gid = 65532, 65533
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
	if err := fix.NewWriter(fix.WriterConfig{}).Replace(path, []byte("as read\n"), []byte("fixed\n")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Uid != uid || st.Gid != gid {
		t.Errorf("owner %d:%d after the fix, want %d:%d", st.Uid, st.Gid, uid, gid)
	}
	checkFile(t, path, []byte("fixed\n"), 0o640)
}

// TestReplaceKeepsASymlink: the link's target is replaced and the link stays a link.
func TestReplaceKeepsASymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "real.yaml"), filepath.Join(dir, "link.yaml")
	if err := os.WriteFile(target, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Fatal(err)
	}
	if err := fix.NewWriter(fix.WriterConfig{}).Replace(link, []byte("old\n"), []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link (%v)", link, err)
	}
	checkFile(t, target, []byte("new\n"), 0o600)
}

// TestReplaceSurvivesKill kills a process in the middle of a write, once at each step through the
// fault-injection hook and then at random moments, and checks that the file holds either the
// old content or the new one, whole. A killed process may leave its temporary file; it never
// leaves a truncated original.
func TestReplaceSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	// Large enough that a write takes a while, so that random kills land inside one.
	oldData := bytes.Repeat([]byte("# old content of the configuration file\n"), 1<<15)
	newData := bytes.Repeat([]byte("# new content, of another length, fixed\n"), 1<<14)
	run := func(t *testing.T, spec string, killAfter time.Duration) {
		t.Helper()
		dir := t.TempDir()
		path := filepath.Join(dir, "kubeadm.yaml")
		if err := os.WriteFile(path, oldData, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+".new", newData, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+spec+":"+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killAfter > 0 {
			// Wait for the first complete write, so that the kill lands in a later one rather
			// than in the start-up of the process.
			if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
				t.Fatalf("the child did not start writing: %v", err)
			}
			time.Sleep(killAfter)
			cmd.Process.Kill()
		}
		cmd.Wait()
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case bytes.Equal(got, oldData), bytes.Equal(got, newData):
		default:
			t.Fatalf("after the kill the file holds %d bytes, neither the old %d nor the new %d", len(got), len(oldData), len(newData))
		}
		if spec != "loop" && !bytes.Equal(got, oldData) {
			t.Errorf("killed before the rename, yet the file changed")
		}
	}
	for _, s := range steps {
		t.Run("killed after step "+string(s), func(t *testing.T) { run(t, "step="+string(s), 0) })
	}
	for i := range 8 {
		delay := time.Duration(rand.IntN(20_000)) * time.Microsecond
		t.Run(fmt.Sprintf("killed at random moment %d", i), func(t *testing.T) { run(t, "loop", delay) })
	}
}

const childEnv = "KUBEADM_LINT_FIX_TEST_CHILD"

// runChild is the process TestReplaceSurvivesKill kills. "step=S:PATH" kills itself with SIGKILL
// at step S of one write; "loop:PATH" rewrites the file with the old and new content in turn
// until it is killed.
func runChild(spec string) int {
	mode, path, _ := strings.Cut(spec, ":")
	newData, err := os.ReadFile(path + ".new")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	oldData, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if step, ok := strings.CutPrefix(mode, "step="); ok {
		w := fix.NewWriter(fix.WriterConfig{Hook: func(_ string, s fix.Step) error {
			if string(s) == step {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
			return nil
		}})
		if err := w.Replace(path, oldData, newData); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		return 1 // not reached: the hook kills the process
	}
	w := fix.NewWriter(fix.WriterConfig{})
	for i := 0; ; i++ {
		if err := w.Replace(path, oldData, newData); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if i == 0 {
			fmt.Println("writing")
		}
		oldData, newData = newData, oldData
	}
}

// checkFile checks a file's content and mode, and that its directory holds nothing else.
func checkFile(t *testing.T, path string, want []byte, mode os.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != mode {
		t.Errorf("%s has mode %v, want %v", path, fi.Mode().Perm(), mode)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".kubeadm-lint-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestReplaceRemovesStaleTemporaryFiles: the temporary files a killed run left beside a file go
// when the file is next replaced; a recent one, which may be another run's, stays.
func TestReplaceRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stale, recent := filepath.Join(dir, ".c.yaml.kubeadm-lint-111"), filepath.Join(dir, ".c.yaml.kubeadm-lint-222")
	other := filepath.Join(dir, ".d.yaml.kubeadm-lint-333") // another file's
	for _, p := range []string{stale, recent, other} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hourAgo := time.Now().Add(-time.Hour)
	for _, p := range []string{stale, other} {
		if err := os.Chtimes(p, hourAgo, hourAgo); err != nil {
			t.Fatal(err)
		}
	}
	if err := fix.NewWriter(fix.WriterConfig{}).Replace(path, []byte("old\n"), []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, recent: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

// TestReplaceRemovesAKilledRunsFile: a temporary file whose run is gone goes at once, however
// recent; one of a live process stays.
func TestReplaceRemovesAKilledRunsFile(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("cannot start a process:", err)
	}
	alive := exec.Command("sleep", "60")
	if err := alive.Start(); err != nil {
		t.Skip("cannot start a process:", err)
	}
	defer func() { alive.Process.Kill(); alive.Wait() }()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(dir, fmt.Sprintf(".c.yaml.kubeadm-lint-%d-123", dead.Process.Pid))
	live := filepath.Join(dir, fmt.Sprintf(".c.yaml.kubeadm-lint-%d-456", alive.Process.Pid))
	for _, p := range []string{killed, live} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := fix.NewWriter(fix.WriterConfig{}).Replace(path, []byte("old\n"), []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{killed: false, live: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
