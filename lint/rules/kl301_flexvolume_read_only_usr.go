package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// flexUnmountedMinor is the first release whose kubeadm mounts no FlexVolume directory into the
// controller-manager: v1.35.4's controlplane/volumes.go adds "flexvolume-dir", v1.36.3's does not.
const flexUnmountedMinor = 36

// flexDir is where the guide puts FlexVolume plugins on hosts whose /usr is read-only.
const flexDir = "/opt/libexec/kubernetes/kubelet-plugins/volume/exec/"

var KL301 = &lint.Rule{
	ID:       "KL301",
	Name:     "flexvolume-read-only-usr",
	Summary:  "on a host with a read-only /usr, the FlexVolume directories must move out of /usr",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		if p.Options.HostProfile != "immutable-usr" && (p.Options.Host == nil || !p.Options.Host.ReadOnlyUsr) {
			return
		}
		why := "this host's /usr is read-only"
		if p.Options.HostProfile == "immutable-usr" {
			why = "/usr is read-only on immutable-usr hosts (Flatcar, Fedora CoreOS)"
		}
		report := func(doc *lint.Document, path, msg, fix string) {
			p.Report(doc, lint.Finding{Path: path, Message: msg, Hint: fix + " " + flexDir + ", as " + why})
		}
		for _, nr := range nodeRegistrations(p.File) {
			v, i, ok := nr.KubeletArgs.Get("volume-plugin-dir")
			switch {
			case !ok:
				report(nr.Doc, "nodeRegistration.kubeletExtraArgs", "kubelet volume-plugin-dir is unset and defaults to /usr/libexec/kubernetes/...", "set it to")
			case strings.HasPrefix(v, "/usr/"):
				report(nr.Doc, nr.KubeletArgs.At(i), fmt.Sprintf("kubelet volume-plugin-dir %q is under /usr", v), "use")
			}
		}
		c, cdoc := clusterConfig(p.File)
		if c == nil {
			return
		}
		cm := args{Path: "controllerManager.extraArgs", Args: c.ControllerManager.ExtraArgs}
		v, i, ok := cm.Get("flex-volume-plugin-dir")
		// From v1.36 kubeadm mounts no FlexVolume directory into the controller-manager
		// (controlplane/volumes.go), so the default under /usr no longer makes a hostPath fail.
		mounted := p.Options.TargetMinor() < flexUnmountedMinor
		switch {
		case !ok && mounted:
			report(cdoc, "controllerManager", "controller-manager flex-volume-plugin-dir is unset and defaults to /usr/libexec/kubernetes/...", "set it to")
		case ok && strings.HasPrefix(v, "/usr/") && mounted:
			report(cdoc, cm.At(i), fmt.Sprintf("controller-manager flex-volume-plugin-dir %q is under /usr", v), "use")
		case ok && strings.HasPrefix(v, "/usr/"):
			p.Report(cdoc, lint.Finding{Path: cm.At(i),
				Message: fmt.Sprintf("controller-manager flex-volume-plugin-dir %q is under /usr", v),
				Hint: fmt.Sprintf("use %s and add it to controllerManager.extraVolumes, as %s and kubeadm v1.%d mounts no FlexVolume directory",
					flexDir, why, p.Options.TargetMinor())})
		}
	},
	Doc: doc(`
The kubelet and the controller-manager look for FlexVolume drivers under
/usr/libexec/kubernetes/kubelet-plugins/volume/exec/. On Flatcar, Fedora CoreOS and other hosts
with a read-only /usr, nothing can be installed there: the kubelet cannot create the directory and
runs without FlexVolume drivers. Up to v1.35 kubeadm also mounts that directory into the
controller-manager with a hostPath volume, which fails on such a host. The guide moves both
directories to /opt/libexec/... .

From v1.36 kubeadm mounts no FlexVolume directory at all (kubernetes/kubernetes#136423), so an
unset flex-volume-plugin-dir is no longer reported; one under /usr still is, and it needs an
extraVolumes entry as KL302 says. The rule runs with --host-profile immutable-usr, or with --host
on a machine whose /usr is mounted read-only.`, `
# kubeadm-lint --host-profile immutable-usr
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs: []`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
  - name: volume-plugin-dir
    value: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
  - name: flex-volume-plugin-dir
    value: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/`, `the kubeadm troubleshooting guide ("/usr is mounted read-only on nodes"); kubernetes/kubeadm#2031, #476; kubernetes/kubernetes#136423.`),
}
