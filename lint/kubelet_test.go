package lint_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestKubeletValidationSeesEachDocumentsGates: the kubelet's validation gets the feature gates of
// the document it validates, however the linter shares the registry copies between documents.
func TestKubeletValidationSeesEachDocumentsGates(t *testing.T) {
	const kubelet = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncpuCFSQuotaPeriod: 5ms\n"
	const off = kubelet + "featureGates:\n  CustomCPUCFSQuotaPeriod: false\n"
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range []struct {
		src     string
		refused bool
	}{{kubelet, false}, {off, true}, {kubelet, false}, {off, true}, {off + "  NodeSwap: true\n", true}} {
		res, err := l.Lint(context.Background(), lint.Source{Name: "kubelet.yaml", Data: []byte(tt.src)})
		if err != nil {
			t.Fatal(err)
		}
		refused := false
		for _, f := range res.Findings {
			if f.Rule == "KL010" && strings.Contains(f.Message, "requires feature gate CustomCPUCFSQuotaPeriod") {
				refused = true
			}
		}
		if refused != tt.refused {
			t.Errorf("run %d: the quota period refused %v, want %v; findings %v", i, refused, tt.refused, res.Findings)
		}
	}
}
