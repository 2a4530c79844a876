package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// readHost gathers what --host checks from the machine under root ("/" outside tests). What cannot
// be read stays unknown; --host never fails the run.
func readHost(root string) *lint.Host {
	h := &lint.Host{}
	if data, err := os.ReadFile(filepath.Join(root, "proc/self/mountinfo")); err == nil {
		h.ReadOnlyUsr = usrReadOnly(data)
	}
	if data, err := os.ReadFile(filepath.Join(root, "etc/resolv.conf")); err == nil {
		h.ResolvConfLoopback = loopbackNameserver(data)
	}
	h.RuntimeCgroupDriver = runtimeCgroupDriver(root)
	if ifaces, err := net.Interfaces(); err == nil && root == "/" {
		for _, ifc := range ifaces {
			if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
				continue
			}
			if addrs, err := ifc.Addrs(); err == nil && len(addrs) > 0 {
				h.NICs = append(h.NICs, ifc.Name)
			}
		}
	}
	return h
}

// usrReadOnly reads /proc/self/mountinfo: field 5 is the mount point, field 6 its options.
func usrReadOnly(mountinfo []byte) bool {
	ro := false
	sc := bufio.NewScanner(bytes.NewReader(mountinfo))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 {
			continue
		}
		switch f[4] {
		case "/usr":
			return hasOpt(f[5], "ro")
		case "/":
			ro = hasOpt(f[5], "ro")
		}
	}
	return ro
}

func hasOpt(opts, opt string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == opt {
			return true
		}
	}
	return false
}

func loopbackNameserver(resolvConf []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(resolvConf))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "nameserver" {
			if ip := netutils.ParseIPSloppy(f[1]); ip != nil && ip.IsLoopback() {
				return true
			}
		}
	}
	return false
}

var (
	systemdCgroup = regexp.MustCompile(`(?m)^\s*SystemdCgroup\s*=\s*(true|false)`)
	cgroupManager = regexp.MustCompile(`(?m)^\s*cgroup_manager\s*=\s*"(systemd|cgroupfs)"`)
)

// runtimeCgroupDriver reads containerd's or CRI-O's configuration for the cgroup driver.
func runtimeCgroupDriver(root string) string {
	if data, err := os.ReadFile(filepath.Join(root, "etc/containerd/config.toml")); err == nil {
		if m := systemdCgroup.FindSubmatch(data); m != nil {
			if string(m[1]) == "true" {
				return "systemd"
			}
			return "cgroupfs"
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "etc/crio/crio.conf.d/*.conf"))
	files = append([]string{filepath.Join(root, "etc/crio/crio.conf")}, files...)
	driver := ""
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			if m := cgroupManager.FindSubmatch(data); m != nil {
				driver = string(m[1]) // later drop-ins win
			}
		}
	}
	return driver
}
