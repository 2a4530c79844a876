package rules

import (
	"fmt"
	"path"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL224 = &lint.Rule{
	ID:       "KL224",
	Name:     "config-file-kind",
	Summary:  "a flag names a file of the lint run whose first document is not the kind the flag reads",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		for _, a := range controlPlaneArgs(c) {
			kinds := lint.ConfigFileFlags[a.Component]
			for i, arg := range a.Args {
				want, ok := kinds[arg.Name]
				v := strings.TrimSpace(arg.Value)
				if !ok || !path.IsAbs(v) {
					continue
				}
				f, ok := p.File.RunFile(hostPath(c, a.Component, v))
				if !ok || f.Kind == want || want == lint.KindEncryption && f.Kind == "EncryptionConfig" {
					continue
				}
				p.Report(p.Doc, lint.Finding{Path: a.At(i),
					Message: fmt.Sprintf("%s names %s of kind %s, where %s reads kind %s", arg.Name, f.Name, f.Kind, a.Component, want),
					Hint:    fmt.Sprintf("point %s at the %s's file, or mount that file at %s, as %s exits at start on a file of another kind", arg.Name, want, v, a.Component)})
			}
		}
	},
	Doc: doc(`
When a ClusterConfiguration and the configuration files its control plane reads are linted in
one run, each flag that names such a file is followed to it: the flag's path in the container is
turned into a path on the node through the component's extraVolumes (the volume whose mountPath
is the path or a directory above it; a path in no volume is taken as it is, as kubeadm mounts its
own paths at the same place), and that path into a file of the run by its trailing path
components (see docs/component-files.md). The component reads the first document of the file and
exits at start when it is of another kind: an audit policy handed to encryption-provider-config,
a scheduler configuration copied over the admission configuration.

Files the run does not hold are not checked; KL215 checks that the path is mounted at all.`, `
# kubeadm.yaml, linted with etc/kubernetes/hardened/encryption.yaml, which holds an audit Policy.
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: encryption-provider-config
    value: /etc/kubernetes/hardened/encryption.yaml
  extraVolumes:
  - name: hardened
    hostPath: /etc/kubernetes/hardened
    mountPath: /etc/kubernetes/hardened
    readOnly: true`, `
# kubeadm.yaml, linted with etc/kubernetes/hardened/encryption.yaml, which holds the
# EncryptionConfiguration.
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: encryption-provider-config
    value: /etc/kubernetes/hardened/encryption.yaml
  extraVolumes:
  - name: hardened
    hostPath: /etc/kubernetes/hardened
    mountPath: /etc/kubernetes/hardened
    readOnly: true`, `k8s.io/apiserver pkg/server/options (encryption, audit, admission, egress selector and tracing options), k8s.io/kubernetes pkg/kubeapiserver/options (authentication and authorization) and cmd/kube-scheduler/app/options/configfile.go.`),
}

// hostPath turns a path in a component's container into the path on the node: through the
// extraVolume whose mountPath is the path or the nearest directory above it, or the path itself.
func hostPath(c *kubeadmapi.ClusterConfiguration, component, p string) string {
	return lint.HostPath(extraVolumes(c, component), p)
}
