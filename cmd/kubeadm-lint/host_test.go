package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadHost(t *testing.T) {
	tests := map[string]struct {
		files       map[string]string
		readOnlyUsr bool
		loopbackDNS bool
		driver      string
	}{
		"a Flatcar-like host with systemd-resolved and containerd on systemd cgroups": {
			files: map[string]string{
				"proc/self/mountinfo":        "22 1 8:3 / / rw,relatime shared:1 - ext4 /dev/sda9 rw\n23 22 8:3 /usr /usr ro,relatime shared:2 - ext4 /dev/sda3 ro\n",
				"etc/resolv.conf":            "# stub\nnameserver 127.0.0.53\noptions edns0\n",
				"etc/containerd/config.toml": "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n  SystemdCgroup = true\n",
			},
			readOnlyUsr: true, loopbackDNS: true, driver: "systemd",
		},
		"a plain host with CRI-O on cgroupfs": {
			files: map[string]string{
				"proc/self/mountinfo":                 "22 1 8:3 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n",
				"etc/resolv.conf":                     "nameserver 192.168.1.1\n",
				"etc/crio/crio.conf":                  "[crio.runtime]\ncgroup_manager = \"systemd\"\n",
				"etc/crio/crio.conf.d/10-cgroup.conf": "[crio.runtime]\ncgroup_manager = \"cgroupfs\"\n",
			},
			driver: "cgroupfs",
		},
		"a host that shows nothing": {},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			for f, content := range tt.files {
				p := filepath.Join(root, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			h := readHost(root)
			if h.ReadOnlyUsr != tt.readOnlyUsr || h.ResolvConfLoopback != tt.loopbackDNS || h.RuntimeCgroupDriver != tt.driver {
				t.Errorf("got read-only /usr %v, loopback DNS %v, driver %q; want %v, %v, %q",
					h.ReadOnlyUsr, h.ResolvConfLoopback, h.RuntimeCgroupDriver, tt.readOnlyUsr, tt.loopbackDNS, tt.driver)
			}
		})
	}
}
