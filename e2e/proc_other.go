//go:build !linux

package e2e

import "syscall"

// childAttrs: outside Linux there is no parent-death signal; Stop still kills the children.
func childAttrs() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
