package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

// TestEmittedPatches runs kubeadm's own add-on phases with 'kubeadm-lint emit's patch files as
// --patches: kubeadm's patch manager must accept them and the objects come out fixed.
func TestEmittedPatches(t *testing.T) {
	files, err := kubeadm.Emit{Tolerations: kubeadm.Tolerations(nil, true), CoreDNS: true}.Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k, err := NewKubeadm()
	if err != nil {
		t.Fatal(err)
	}
	k.PatchesDir = dir
	client := fake.NewClientset()
	if err := k.EnsureProxy(client); err != nil {
		t.Fatal(err)
	}
	if err := k.EnsureDNS(client); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ds, err := client.AppsV1().DaemonSets("kube-system").Get(ctx, "kube-proxy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ds.Spec.Template.Spec.Tolerations, kubeadm.Tolerations(nil, true); !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("kube-proxy tolerations after kubeadm's patching:\n got %+v\nwant %+v", got, want)
	}
	d, err := client.AppsV1().Deployments("kube-system").Get(ctx, "coredns", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sc := d.Spec.Template.Spec.Containers[0].SecurityContext
	if sc.AllowPrivilegeEscalation == nil || !*sc.AllowPrivilegeEscalation {
		t.Error("coredns allowPrivilegeEscalation not set by the patch")
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || len(sc.Capabilities.Drop) == 0 {
		t.Error("the CoreDNS patch lost the rest of the securityContext")
	}
}
