package rules

import (
	"fmt"
	"strconv"
	"strings"

	kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL219 = &lint.Rule{
	ID:       "KL219",
	Name:     "probe-failure",
	Summary:  "an extraArgs value the component accepts but kubeadm's own probes of its static Pod then fail, so the kubelet restarts it forever",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		for _, l := range controlPlaneArgs(c) {
			probe, ok := kubeadmProbes[l.Component]
			if !ok {
				continue
			}
			if v, i, ok := l.Get("anonymous-auth"); ok && l.Component == release.APIServer {
				if on, err := strconv.ParseBool(v); err == nil && !on {
					p.Report(p.Doc, lint.Finding{Path: l.At(i) + ".value",
						Message: fmt.Sprintf("anonymous-auth=false makes kube-apiserver answer kubeadm's %s probe with 401", strings.Join(probe.paths, ", ")),
						Hint:    "remove it, or use authentication-config (AuthenticationConfiguration) with anonymous access kept for /livez, /readyz and /healthz; kubeadm join's discovery also reads cluster-info anonymously"})
				}
			}
			if probe.port == 0 {
				continue
			}
			if v, i, ok := l.Get("secure-port"); ok && strings.TrimSpace(v) != strconv.Itoa(probe.port) {
				p.Report(p.Doc, lint.Finding{Path: l.At(i) + ".value",
					Message: fmt.Sprintf("%s secure-port %s is not %d, where kubeadm's probes reach it", l.Component, v, probe.port),
					Hint:    "remove secure-port: kubeadm probes the component on its default port and cannot be told another"})
			}
		}
	},
	Doc: doc(`
kubeadm gives each control-plane static Pod HTTPS probes that the kubelet runs without
credentials: kube-apiserver's /livez and /readyz on localAPIEndpoint.bindPort, the
controller-manager's /healthz on port 10257 and the scheduler's /livez and /readyz on port 10259
(controlplane/manifests.go). Some values make the component start and serve, and its probes
fail: the startup probe gives up, the kubelet kills the container, and 'kubeadm init' waits for
a control plane that restarts forever.
- anonymous-auth=false on kube-apiserver: /livez answers 401 (and 'kubeadm join' cannot read
  cluster-info from kube-public);
- a secure-port on the controller-manager or the scheduler: kubeadm probes the default port.
The API server's own secure-port is KL213's. A controller-manager or scheduler whose
authorization-always-allow-paths leaves the probe's path out still answers it: it asks the API
server, whose system:public-info-viewer role lets anyone read /healthz, /livez and /readyz.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: anonymous-auth
    value: "false"
controllerManager:
  extraArgs:
  - name: secure-port
    value: "10357"`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
controllerManager:
  extraArgs:
  - name: bind-address
    value: 127.0.0.1`, `kubeadm's control-plane manifests (cmd/kubeadm/app/phases/controlplane/manifests.go, util/staticpod); proven by the real components' probes in testdata/flags/start.tsv.`),
}

// kubeadmProbes are the paths kubeadm's probes read on each component, and the port they read
// them on when kubeadm fixes it (controlplane/manifests.go; the API server's is bindPort). The
// start goldens hold them to the real probes.
var kubeadmProbes = map[string]struct {
	paths []string
	port  int
}{
	release.APIServer:         {paths: []string{"/livez", "/readyz"}},
	release.ControllerManager: {paths: []string{"/healthz"}, port: kubeadmconstants.KubeControllerManagerPort},
	release.Scheduler:         {paths: []string{"/livez", "/readyz"}, port: kubeadmconstants.KubeSchedulerPort},
}
