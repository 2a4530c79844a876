package audit

import (
	"slices"
	"testing"
)

func TestMirrorPodFlags(t *testing.T) {
	tests := []struct {
		name    string
		command []string
		args    []string
		want    [][2]string
	}{
		{name: "the binary is no flag; a flag without a value has an empty one", command: []string{"kube-apiserver", "--a=1", "--b"}, want: [][2]string{{"a", "1"}, {"b", ""}}},
		{name: "args follow the command", command: []string{"etcd", "--name=x"}, args: []string{"--data-dir=/d=e"}, want: [][2]string{{"name", "x"}, {"data-dir", "/d=e"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := commandArgs(tt.command, tt.args); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPodPath(t *testing.T) {
	p := mirrorPod{component: "kube-apiserver"}
	args := [][2]string{{"feature-gates", "A=true"}, {"audit-log-path", "/x"}}
	for _, tt := range []struct{ path, want string }{
		{path: "apiServer.extraArgs[0].value", want: "spec.containers[kube-apiserver].command[--feature-gates]"},
		{path: "apiServer.extraArgs[1]", want: "spec.containers[kube-apiserver].command[--audit-log-path]"},
		{path: "apiServer.extraArgs[7]", want: "spec.containers[kube-apiserver].command"},
		{path: "kubernetesVersion", want: "spec.containers[kube-apiserver].command"},
	} {
		if got := podPath(p, args, tt.path); got != tt.want {
			t.Errorf("podPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestUserArgs(t *testing.T) {
	// kubeadm's own flags of the release are left out; a flag it does not write stays.
	a := &auditor{}
	p := mirrorPod{component: "kube-controller-manager", args: [][2]string{{"leader-elect", "true"}, {"concurrent-service-syncs", "5"}}}
	got := a.userArgs(p, 36)
	if want := [][2]string{{"concurrent-service-syncs", "5"}}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestTagAndCorefileLine(t *testing.T) {
	for image, want := range map[string]string{
		"registry.k8s.io/kube-apiserver:v1.36.3":             "v1.36.3",
		"localhost:5000/kube-apiserver":                      "",
		"localhost:5000/coredns/coredns:v1.14.2@sha256:abcd": "v1.14.2",
	} {
		if got := tagOf(image); got != want {
			t.Errorf("tagOf(%q) = %q, want %q", image, got, want)
		}
	}
	corefile := ".:53 {\n    errors\n    proxy . 8.8.8.8\n}\n"
	if line, col := corefileLine(corefile, "proxy"); line != 3 || col != 5 {
		t.Errorf("corefileLine = %d:%d, want 3:5", line, col)
	}
	if line, _ := corefileLine(corefile, "rewrite"); line != 0 {
		t.Errorf("corefileLine of a missing plugin = %d, want 0", line)
	}
}
