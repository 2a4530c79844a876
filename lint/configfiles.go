package lint

import (
	"path"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// ConfigFileFlags are the flags that name a configuration file of the control plane, by
// component, with the kind of the file the component reads: kube-apiserver's options
// (encryption, audit, admission, authentication, authorization, egress selector and tracing
// loaders) and kube-scheduler's --config (cmd/kube-scheduler/app/options/configfile.go).
var ConfigFileFlags = map[string]map[string]string{
	release.APIServer: {
		"encryption-provider-config":    KindEncryption,
		"audit-policy-file":             KindAuditPolicy,
		"admission-control-config-file": KindAdmission,
		"authentication-config":         KindAuthentication,
		"authorization-config":          KindAuthorization,
		"egress-selector-config-file":   KindEgressSelector,
		"tracing-config-file":           KindTracing,
	},
	release.Scheduler: {"config": KindScheduler},
}

// HostPath turns a path in a component's container into the path on the node: through the
// extraVolume whose mountPath is the path or the nearest directory above it, or the path itself.
func HostPath(mounts []kubeadmapi.HostPathMount, p string) string {
	p = path.Clean(p)
	best, host := -1, p
	for _, v := range mounts {
		mp := path.Clean(v.MountPath)
		if v.HostPath == "" || len(mp) <= best {
			continue
		}
		switch {
		case p == mp:
			best, host = len(mp), path.Clean(v.HostPath)
		case strings.HasPrefix(p, strings.TrimSuffix(mp, "/")+"/"):
			best, host = len(mp), path.Join(v.HostPath, strings.TrimPrefix(p, mp))
		}
	}
	return host
}
