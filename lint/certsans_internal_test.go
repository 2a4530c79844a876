package lint

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/validation"
)

// TestSplitCertSANsIsKubeadms holds splitCertSANs to kubeadm's ValidateCertSANs: the same
// errors, in the same order, and nothing left for kubeadm to find in the names it keeps.
func TestSplitCertSANsIsKubeadms(t *testing.T) {
	long := strings.Repeat("a", 250)
	sans := []string{
		"example.com", "*.example.com", "*.*.example.com", "*", "*.", "bad_name", "https://k8s:6443",
		"10.0.0.1", "fd00::1", "010.0.0.1", "::ffff:10.0.0.1", "", " ", "UPPER.example.com", "ünïcode.example",
		"-lead.example", "trail-.example", "a..b", long + ".com", "*." + long + ".com", "_" + long, long + long,
		"a.b.c.d.e.f", "localhost", "k8s-api.example.com:6443", "[::1]",
	}
	path := field.NewPath("apiServer", "certSANs")
	kept, got := splitCertSANs(sans, path)
	got = append(got, validation.ValidateCertSANs(kept, path)...)
	want := validation.ValidateCertSANs(sans, path)
	if !equality.Semantic.DeepEqual(got, want) {
		t.Errorf("splitCertSANs differs from kubeadm's ValidateCertSANs:\ngot  %v\nwant %v", got, want)
	}
	if len(want) < 10 {
		t.Errorf("only %d names are invalid: the cases test too little", len(want))
	}
	if certSANChecks() == nil {
		t.Error("the wildcard pattern could not be read from apimachinery's error")
	}
}
