//go:build !unix

package fix

import "os"

// keepOwner: file ownership is not a uid and gid here.
func keepOwner(*os.File, os.FileInfo) {}

// replaceable: no owner or link count to keep here.
func replaceable(os.FileInfo) error { return nil }

// processGone: not known here; the age of a file decides.
func processGone(int) bool { return false }
