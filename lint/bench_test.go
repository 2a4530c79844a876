package lint_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

// BenchmarkLint lints a small, a typical and a large config with every rule. 'make bench' runs
// it; no test asserts a timing.
func BenchmarkLint(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{name: "small", file: "../testdata/parity/cases/v1beta4-old-kubernetes-version.yaml"},
		{name: "typical", file: "../testdata/examples/cluster-good.yaml"},
		{name: "large", file: "../../shared/corpus/kubespray-rendered/kubeadm-config.v1beta4-kubeadm-etcd-dualstack-nftables.yaml"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Clean(bc.file))
			if err != nil {
				b.Skipf("input missing: %v", err)
			}
			l, err := lint.New(lint.Config{Rules: rules.All()})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := l.Lint(context.Background(), lint.Source{Name: bc.name, Data: data}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLintAllocations guards the hot path's allocations, which do not vary with the machine's
// load as timings do. Sharing the feature-gate registry took the typical config from about 1,840
// allocations per Lint to about 1,080; the bound leaves room for small changes, not for a copy
// of the registry per document.
func TestLintAllocations(t *testing.T) {
	data, err := os.ReadFile("../testdata/examples/cluster-good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, err := lint.New(lint.Config{Rules: rules.All()})
	if err != nil {
		t.Fatal(err)
	}
	src := lint.Source{Name: "cluster-good.yaml", Data: data}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := l.Lint(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	})
	const limit = 1400
	if allocs > limit {
		t.Errorf("Lint allocates %.0f times on the typical config, more than %d", allocs, limit)
	}
}
