package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

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
		switch {
		case !ok:
			report(cdoc, "controllerManager", "controller-manager flex-volume-plugin-dir is unset and defaults to /usr/libexec/kubernetes/...", "set it to")
		case strings.HasPrefix(v, "/usr/"):
			report(cdoc, cm.At(i), fmt.Sprintf("controller-manager flex-volume-plugin-dir %q is under /usr", v), "use")
		}
	},
	Doc: doc(`
The kubelet and the controller-manager look for FlexVolume drivers under
/usr/libexec/kubernetes/kubelet-plugins/volume/exec/. On Flatcar, Fedora CoreOS and other hosts
with a read-only /usr, nothing can be installed there, and kubeadm's hostPath mount for it fails.
The guide moves both directories to /opt/libexec/... . The rule runs with --host-profile
immutable-usr, or with --host on a machine whose /usr is mounted read-only.`, `
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
    value: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/`, `the kubeadm troubleshooting guide ("/usr is mounted read-only on nodes"); kubernetes/kubeadm#2031, #476.`),
}
