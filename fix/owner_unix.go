//go:build unix

package fix

import (
	"os"
	"syscall"
)

// keepOwner gives the temporary file the original's owner and group, so that fixing someone
// else's file as root does not hand it to root. Only root may do that; for anyone else the
// file is their own already, so the error is dropped.
func keepOwner(tmp *os.File, orig os.FileInfo) {
	if st, ok := orig.Sys().(*syscall.Stat_t); ok {
		_ = tmp.Chown(int(st.Uid), int(st.Gid))
	}
}
