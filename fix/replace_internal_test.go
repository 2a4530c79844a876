//go:build unix

package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplaceableBy checks the decision for a writer who is not root on files of every kind. The
// tests run as root, who may set up such files but would pass every check itself, so the
// decision function is called with the ordinary user's credentials rather than run under them.
func TestReplaceableBy(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("setting up files of other owners needs root")
	}
	const user, group = 1000, 1000
	dir := t.TempDir()
	file := func(name string, mode os.FileMode, uid, gid int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x: 1\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
		return p
	}
	linked := file("linked.yaml", 0o644, user, group)
	if err := os.Link(linked, filepath.Join(dir, "other-name.yaml")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		euid      int
		wantError string // "" to allow
	}{
		{name: "the user's own writable file", path: file("own.yaml", 0o644, user, group), euid: user},
		{name: "the user's own read-only file (0444)", path: file("ro.yaml", 0o444, user, group), euid: user, wantError: "read-only"},
		{name: "root's world-writable file (0666), which the rename would give to the user", path: file("root.yaml", 0o666, 0, 0), euid: user, wantError: "belongs to uid 0"},
		{name: "the user's file in a group the user is not in", path: file("group.yaml", 0o664, user, 4242), euid: user, wantError: "group 4242"},
		{name: "a file with two hard links", path: linked, euid: user, wantError: "2 hard links"},
		{name: "a file with two hard links, for root too", path: linked, euid: 0, wantError: "2 hard links"},
		{name: "root on another user's read-only file: owner and mode are kept", path: file("root-ro.yaml", 0o444, user, group), euid: 0},
	}
	for _, tt := range tests {
		info, err := os.Stat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		err = replaceableBy(info, tt.euid, group, nil)
		switch {
		case tt.wantError == "" && err != nil:
			t.Errorf("%s: refused (%v), want it replaced", tt.name, err)
		case tt.wantError != "" && (err == nil || !strings.Contains(err.Error(), tt.wantError)):
			t.Errorf("%s: got %v, want a refusal saying %q", tt.name, err, tt.wantError)
		}
	}
}

// TestReplaceRefusesAHardLink: the rename would leave the other name with the old content.
func TestReplaceRefusesAHardLink(t *testing.T) {
	dir := t.TempDir()
	p, other := filepath.Join(dir, "kubeadm.yaml"), filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(p, []byte("as read\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(p, other); err != nil {
		t.Fatal(err)
	}
	err := NewWriter(WriterConfig{}).Replace(p, []byte("as read\n"), []byte("fixed\n"))
	if err == nil || !strings.Contains(err.Error(), "hard links") {
		t.Errorf("got %v, want a refusal naming the hard links", err)
	}
	for _, name := range []string{p, other} {
		if data, _ := os.ReadFile(name); string(data) != "as read\n" {
			t.Errorf("%s holds %q after a refused fix", name, data)
		}
	}
}
