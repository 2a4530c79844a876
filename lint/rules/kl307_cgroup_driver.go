package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL307 = &lint.Rule{
	ID:       "KL307",
	Name:     "cgroup-driver",
	Summary:  "the kubelet's cgroup driver is cgroupfs, or differs from the container runtime's",
	Severity: lint.SeverityWarning,
	Also:     []lint.Severity{lint.SeverityError},
	Run: func(p *lint.Pass) {
		doc := p.File.Doc(lint.KindKubelet)
		driver, path := "", ""
		if kc := p.File.Kubelet(); kc != nil && kc.CgroupDriver != "" {
			driver, path = kc.CgroupDriver, "cgroupDriver"
		}
		for _, nr := range nodeRegistrations(p.File) {
			if v, i, ok := nr.KubeletArgs.Get("cgroup-driver"); ok {
				driver, path, doc = v, nr.KubeletArgs.At(i), nr.Doc
			}
		}
		if driver == "" {
			return
		}
		if h := p.Options.Host; h != nil && h.RuntimeCgroupDriver != "" && h.RuntimeCgroupDriver != driver {
			p.Report(doc, lint.Finding{Path: path, Severity: lint.SeverityError,
				Message: "the kubelet's cgroup driver is " + driver + " but this host's container runtime uses " + h.RuntimeCgroupDriver,
				Hint:    "use the same driver for both, or the kubelet cannot start the control plane and 'kubeadm init' waits forever"})
			return
		}
		if driver == "cgroupfs" {
			p.Report(doc, lint.Finding{Path: path,
				Message: "cgroup driver cgroupfs differs from kubeadm's default, systemd",
				Hint:    "use systemd on systemd hosts, and the same driver in the runtime (containerd's SystemdCgroup, CRI-O's cgroup_manager)"})
		}
	},
	Doc: doc(`
The kubelet and the container runtime must use the same cgroup driver. When they differ, the
kubelet fails to create Pod sandboxes and 'kubeadm init' waits for a control plane that never comes
up. On systemd hosts the recommended driver is systemd, kubeadm's default; cgroupfs there means
two cgroup managers. With --host the rule compares with the runtime's own setting (containerd's
SystemdCgroup, CRI-O's cgroup_manager) and makes a mismatch an error.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd`, `the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane during installation"); kubernetes/kubeadm#2583.`),
}
