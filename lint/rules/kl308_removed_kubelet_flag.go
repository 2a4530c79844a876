package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// removedKubeletFlags maps kubelet flags to the minor release that removed them.
var removedKubeletFlags = map[string]int{
	"network-plugin":                           24,
	"network-plugin-mtu":                       24,
	"cni-bin-dir":                              24,
	"cni-conf-dir":                             24,
	"cni-cache-dir":                            24,
	"docker-endpoint":                          24,
	"image-pull-progress-deadline":             24,
	"experimental-dockershim-root-directory":   24,
	"non-masquerade-cidr":                      24,
	"container-runtime":                        27,
	"master-service-namespace":                 27,
	"experimental-allocatable-ignore-eviction": 27,
	"pod-infra-container-image":                35,
	"cloud-provider-gce-lb-src-cidrs":          27,
	"keep-terminated-pod-volumes":              31,
	"register-schedulable":                     24,
	"seccomp-profile-root":                     23,
	"dynamic-config-dir":                       24,
}

var KL308 = &lint.Rule{
	ID:       "KL308",
	Name:     "removed-kubelet-flag",
	Summary:  "kubeletExtraArgs holds a flag the target kubelet no longer has",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		for _, nr := range nodeRegistrations(p.File) {
			for i, arg := range nr.KubeletArgs.Args {
				minor := removedKubeletFlags[arg.Name]
				if minor == 0 || p.Options.TargetMinor() < minor {
					continue
				}
				p.ReportIn(nr.Doc, nr.KubeletArgs.At(i), "kubelet flag --%s was removed in v1.%d: the kubelet refuses to start with it; remove it", arg.Name, minor)
			}
		}
	},
	Doc: doc(`
kubeadm writes kubeletExtraArgs to /var/lib/kubelet/kubeadm-flags.env without checking them. A
flag the kubelet no longer has stops it at start with "unknown flag", and 'kubeadm init' or
'join' times out waiting for it. The dockershim flags went in v1.24 (network-plugin, cni-bin-dir,
cni-conf-dir), container-runtime in v1.27 and pod-infra-container-image in v1.35; the sandbox image
is now the runtime's setting.`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: network-plugin
    value: cni
  - name: pod-infra-container-image
    value: registry.k8s.io/pause:3.10`, `
nodeRegistration:
  kubeletExtraArgs:
  - name: node-ip
    value: 192.168.10.11`, `kubernetes/kubernetes#106907 (dockershim removal), #133778 (pod-infra-container-image); kubernetes/kubeadm#3281.`),
}
