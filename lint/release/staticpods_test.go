package release

import (
	"slices"
	"testing"
)

// TestStaticPods holds each supported release's static Pod table to what kubeadm's code of that
// release mounts and sets, as far as rules rely on it.
func TestStaticPods(t *testing.T) {
	hasMount := func(ms []Mount, host string) bool {
		return slices.ContainsFunc(ms, func(m Mount) bool { return m.HostPath == host })
	}
	flex := "/usr/libexec/kubernetes/kubelet-plugins/volume/exec"
	for _, name := range Supported() {
		r, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		sp := r.StaticPods()
		if sp == nil {
			t.Fatalf("%s: no static Pod table", name)
		}
		for _, c := range []string{APIServer, ControllerManager} {
			if !hasMount(sp.Mounts(c), CertificatesDirVar) || !hasMount(sp.Mounts(c), "/etc/ssl/certs") {
				t.Errorf("%s: %s does not mount the certificates directory and /etc/ssl/certs", name, c)
			}
		}
		if !hasMount(sp.Mounts(Scheduler), "/etc/kubernetes/scheduler.conf") {
			t.Errorf("%s: the scheduler does not mount its kubeconfig", name)
		}
		// kubernetes/kubernetes#136423: from v1.36 kubeadm mounts no FlexVolume directory.
		if got, want := hasMount(sp.Mounts(ControllerManager), flex), r.Minor < 36; got != want {
			t.Errorf("%s: the controller-manager mounts %s: %v, want %v", name, flex, got, want)
		}
		if !slices.Contains(sp.Args(APIServer), Arg{Name: "authorization-mode", Value: "Node,RBAC"}) {
			t.Errorf("%s: kube-apiserver's default flags lack authorization-mode=Node,RBAC: %v", name, sp.Args(APIServer))
		}
	}
}
