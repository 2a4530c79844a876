package rules

import (
	"fmt"
	"path"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// fileFlags are the flags of each control-plane component that name a file it reads, or, for
// writes, a file it creates in a directory.
var fileFlags = map[string][]string{
	release.APIServer: {"admission-control-config-file", "audit-log-path", "audit-policy-file", "audit-webhook-config-file",
		"authentication-config", "authentication-token-webhook-config-file", "authorization-config", "authorization-webhook-config-file",
		"client-ca-file", "egress-selector-config-file", "encryption-provider-config", "etcd-cafile", "etcd-certfile", "etcd-keyfile",
		"kubelet-certificate-authority", "kubelet-client-certificate", "kubelet-client-key", "oidc-ca-file", "proxy-client-cert-file",
		"proxy-client-key-file", "requestheader-client-ca-file", "service-account-key-file", "service-account-signing-key-file",
		"tls-cert-file", "tls-private-key-file", "token-auth-file", "tracing-config-file"},
	release.ControllerManager: {"authentication-kubeconfig", "authorization-kubeconfig", "client-ca-file", "cloud-config",
		"cluster-signing-cert-file", "cluster-signing-key-file", "kubeconfig", "requestheader-client-ca-file", "root-ca-file",
		"service-account-private-key-file", "tls-cert-file", "tls-private-key-file"},
	release.Scheduler: {"authentication-kubeconfig", "authorization-kubeconfig", "client-ca-file", "config", "kubeconfig",
		"requestheader-client-ca-file", "tls-cert-file", "tls-private-key-file"},
}

// writtenFlags name files the component writes: their directory must be mounted writable.
var writtenFlags = map[string]bool{"audit-log-path": true}

var KL215 = &lint.Rule{
	ID:       "KL215",
	Name:     "file-not-mounted",
	Summary:  "a flag names a file outside every volume kubeadm and extraVolumes mount into the static Pod",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		for _, a := range controlPlaneArgs(c) {
			flags := fileFlags[a.Component]
			if flags == nil {
				continue
			}
			mounts := visibleDirs(c, a.Component, p.Options.Release())
			for i, arg := range a.Args {
				v := strings.TrimSpace(arg.Value)
				if !contains(flags, arg.Name) || !path.IsAbs(v) {
					continue // a relative path is the user's own business with the Pod's working directory
				}
				if seen(mounts, v, writtenFlags[arg.Name]) {
					continue
				}
				p.Report(p.Doc, lint.Finding{Path: a.At(i),
					Message: fmt.Sprintf("%s %s %q is in no volume of the static Pod", a.Component, arg.Name, v),
					Hint:    "add " + volumeFor(arg.Name, v) + " to " + section(a.Component) + ".extraVolumes, or " + a.Component + " exits at start"})
			}
		}
	},
	Doc: doc(`
kubeadm mounts only its own paths into the control plane's static Pods: the certificates
directory, the component's kubeconfig, /etc/ssl/certs and the CA directories of common
distributions (each release's controlplane/volumes.go, read into lint/release/data/staticpods by
hack/volumes/gen.sh). A flag that names any other file, such as an audit policy, an encryption
configuration or an admission configuration, points at a path the container cannot see, and the
component exits at start with "no such file or directory" while kubeadm waits for the control
plane. The file needs an extraVolumes entry; a file the component writes, such as the audit log,
needs its directory mounted writable.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: audit-policy-file
    value: /etc/kubernetes/audit-policy.yaml`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: audit-policy-file
    value: /etc/kubernetes/audit-policy.yaml
  extraVolumes:
  - name: audit-policy
    hostPath: /etc/kubernetes/audit-policy.yaml
    mountPath: /etc/kubernetes/audit-policy.yaml
    readOnly: true
    pathType: File`, `kubeadm's controlplane/volumes.go (getHostPathVolumesForTheControlPlane); kubernetes/kubeadm#1513, kubernetes/kubeadm#2203.`),
}

// mountDir is a directory or file the component's container sees, and whether it may write it.
type mountDir struct {
	path     string
	writable bool
}

// visibleDirs lists what kubeadm mounts into a component for the target release, the external
// etcd certificate directories it adds for the API server, and the extraVolumes.
func visibleDirs(c *kubeadmapi.ClusterConfiguration, component string, rel *release.Release) []mountDir {
	var out []mountDir
	dataDir := ""
	if c.Etcd.Local != nil {
		dataDir = c.Etcd.Local.DataDir
	}
	for _, m := range rel.StaticPods().Mounts(component) {
		mp := strings.ReplaceAll(strings.ReplaceAll(m.MountPath, release.CertificatesDirVar, c.CertificatesDir), release.DataDirVar, dataDir)
		out = append(out, mountDir{path: mp, writable: !m.ReadOnly})
	}
	// kubeadm mounts the directories of etcd.external's files (volumes.go, getEtcdCertVolumes).
	if e := c.Etcd.External; component == release.APIServer && e != nil {
		for _, f := range []string{e.CAFile, e.CertFile, e.KeyFile} {
			if f != "" {
				out = append(out, mountDir{path: path.Dir(f)})
			}
		}
	}
	for _, v := range extraVolumes(c, component) {
		out = append(out, mountDir{path: v.MountPath, writable: !v.ReadOnly})
	}
	return out
}

// seen reports whether file lies in one of the mounts; a written file needs a writable one.
func seen(mounts []mountDir, file string, write bool) bool {
	file = path.Clean(file)
	for _, m := range mounts {
		mp := path.Clean(m.path)
		if mp == "" || mp == "." {
			continue
		}
		if (file == mp || strings.HasPrefix(file, strings.TrimSuffix(mp, "/")+"/")) && (!write || m.writable) {
			return true
		}
	}
	return false
}

// volumeFor renders the extraVolumes entry that makes a flag's file visible.
func volumeFor(flag, file string) string {
	if writtenFlags[flag] {
		dir := path.Dir(file)
		return fmt.Sprintf("{name: %s, hostPath: %s, mountPath: %s, pathType: DirectoryOrCreate}", strings.TrimSuffix(flag, "-path"), dir, dir)
	}
	name := strings.TrimSuffix(strings.TrimSuffix(flag, "-file"), "-config")
	return fmt.Sprintf("{name: %s, hostPath: %s, mountPath: %s, readOnly: true, pathType: File}", name, file, file)
}
