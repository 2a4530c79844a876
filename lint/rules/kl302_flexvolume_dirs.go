package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL302 = &lint.Rule{
	ID:       "KL302",
	Name:     "flexvolume-dirs",
	Summary:  "the kubelet's and the controller-manager's FlexVolume directories differ, or the controller-manager cannot see its own",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c == nil {
			return
		}
		cm := args{Path: "controllerManager.extraArgs", Args: c.ControllerManager.ExtraArgs}
		cmDir, ci, ok := cm.Get("flex-volume-plugin-dir")
		if !ok {
			return
		}
		for _, nr := range nodeRegistrations(p.File) {
			if v, i, ok := nr.KubeletArgs.Get("volume-plugin-dir"); ok && strings.TrimSuffix(v, "/") != strings.TrimSuffix(cmDir, "/") {
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
					Message: fmt.Sprintf("kubelet volume-plugin-dir %q differs from the controller-manager's %q", v, cmDir),
					Hint:    "use one directory for volume-plugin-dir and flex-volume-plugin-dir, or drivers installed for one are invisible to the other"})
			}
		}
		if p.Options.TargetMinor() < 36 {
			return
		}
		for _, v := range c.ControllerManager.ExtraVolumes {
			if strings.TrimSuffix(v.HostPath, "/") == strings.TrimSuffix(cmDir, "/") {
				return
			}
		}
		p.Report(cdoc, lint.Finding{Path: cm.At(ci),
			Message: fmt.Sprintf("kubeadm v1.%d no longer mounts the FlexVolume directory into the controller-manager", p.Options.TargetMinor()),
			Hint:    fmt.Sprintf("add %q to controllerManager.extraVolumes", cmDir)})
	},
	Doc: doc(`
The kubelet runs FlexVolume drivers from volume-plugin-dir and the controller-manager from
flex-volume-plugin-dir. When they differ, a driver installed in one place works for mounts but not
for attach and detach, or the other way round. Since v1.36 kubeadm no longer adds a hostPath
volume for the FlexVolume directory to the controller-manager (kubernetes/kubernetes#136423), so a
custom flex-volume-plugin-dir also needs an extraVolumes entry.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
  - name: flex-volume-plugin-dir
    value: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
  - name: flex-volume-plugin-dir
    value: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/
  extraVolumes:
  - name: flexvolume-dir
    hostPath: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/
    mountPath: /opt/libexec/kubernetes/kubelet-plugins/volume/exec/
    pathType: DirectoryOrCreate`, `the kubeadm troubleshooting guide ("/usr is mounted read-only on nodes"); kubernetes/kubernetes#136423, kubernetes/kubeadm#3318.`),
}
