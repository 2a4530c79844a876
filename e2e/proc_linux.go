package e2e

import "syscall"

// childAttrs kills etcd and kube-apiserver when the test process dies, even by SIGKILL.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}
