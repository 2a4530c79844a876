//go:build unix

package fix

import (
	"fmt"
	"os"
	"slices"
	"syscall"
)

// keepOwner gives the temporary file the original's owner and group, so that fixing someone
// else's file as root does not hand it to root. Only root may do that; for anyone else
// replaceable has refused a file that is not their own.
func keepOwner(tmp *os.File, orig os.FileInfo) {
	if st, ok := orig.Sys().(*syscall.Stat_t); ok {
		_ = tmp.Chown(int(st.Uid), int(st.Gid))
	}
}

// replaceable says why the file behind orig cannot be replaced by a new file in its directory
// without a change the user did not ask for, or nil.
func replaceable(orig os.FileInfo) error {
	groups, _ := os.Getgroups()
	return replaceableBy(orig, os.Geteuid(), os.Getegid(), groups)
}

// replaceableBy is replaceable for a process of the given effective uid and groups. A rename
// into the directory needs only the directory's permission, so it would rewrite a file its mode
// forbids writing, and the new file would be the writer's own: a read-only file is refused, a
// file of another owner too (unless the writer is root, who can give the new file the old owner
// and group), and so is a file with more than one hard link, which the rename would split.
func replaceableBy(orig os.FileInfo, euid, egid int, groups []int) error {
	st, ok := orig.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	perm := orig.Mode().Perm()
	switch {
	case st.Nlink > 1:
		return fmt.Errorf("it has %d hard links, and replacing it would split them; fix a copy and copy it back", st.Nlink)
	case euid == 0:
		return nil
	case int(st.Uid) != euid:
		return fmt.Errorf("it belongs to uid %d, and the fixed file would belong to you (uid %d)", st.Uid, euid)
	case perm&0o200 == 0:
		return fmt.Errorf("it is read-only (mode %04o); make it writable to fix it", perm)
	case int(st.Gid) != egid && !slices.Contains(groups, int(st.Gid)):
		return fmt.Errorf("its group %d is not one of yours, and the fixed file would lose it", st.Gid)
	}
	return nil
}

// processGone reports whether no process has the ID pid.
func processGone(pid int) bool {
	return syscall.Kill(pid, 0) == syscall.ESRCH
}
