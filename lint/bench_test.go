package lint_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// BenchmarkLint lints a small, a typical and a large config with every rule. 'make bench' runs
// it; no test asserts a timing.
func BenchmarkLint(b *testing.B) {
	for _, bc := range []struct{ name, file string }{
		{name: "small", file: "../testdata/parity/cases/v1beta4-old-kubernetes-version.yaml"},
		{name: "typical", file: "../testdata/examples/cluster-good.yaml"},
		{name: "large", file: "../testdata/corpus/kubespray-rendered/kubeadm-config.v1beta4-kubeadm-etcd-dualstack-nftables.yaml"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Clean(bc.file))
			if err != nil {
				b.Skipf("input missing: %v", err)
			}
			l, err := lint.New(lint.Config{Rules: catalog.All()})
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
	l, err := lint.New(lint.Config{Rules: catalog.All()})
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

// worstDir, when set, is where TestWriteWorstCases writes the worst cases, for 'make bench' to
// time the CLI on each and read its peak RSS, which a Go benchmark cannot show.
var worstDir = flag.String("worst-dir", "", "write the worst-case inputs to this directory (hack/bench)")

func TestWriteWorstCases(t *testing.T) {
	if *worstDir == "" {
		t.Skip("-worst-dir not set")
	}
	for _, c := range worstCases() {
		if err := os.WriteFile(filepath.Join(*worstDir, c.name+".yaml"), c.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// worstCases generates inputs of about 1 MiB that stress one part of the core each: the goal is
// at most 1 s per MiB of any input ('make bench' prints each case's seconds per MiB).
func worstCases() []struct {
	name string
	data []byte
} {
	head := "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.0\n"
	var sans, v1beta3, dup, docs, deep strings.Builder
	// 100,000 invalid names in one flow list: kubeadm's validation reports each.
	sans.WriteString(head + "apiServer:\n  certSANs: [")
	for i := range 100_000 {
		fmt.Fprintf(&sans, "bad_%06d,", i)
	}
	sans.WriteString("]\n")
	// The same list in v1beta3, which is migrated node by node first.
	v1beta3.WriteString(strings.Replace(head, "v1beta4", "v1beta3", 1) + "apiServer:\n  certSANs: [")
	for range 45_000 {
		v1beta3.WriteString("bad_name.example.com:6443,")
	}
	v1beta3.WriteString("]\n")
	// 60,000 keys, each of 5,000 names written twelve times: unknown and duplicate fields.
	dup.WriteString(head + "apiServer:\n")
	for i := range 60_000 {
		fmt.Fprintf(&dup, "  k%d: v\n", i%5000)
	}
	// 12,000 documents of the same kind.
	for i := range 12_000 {
		if i > 0 {
			docs.WriteString("---\n")
		}
		docs.WriteString(head)
	}
	// 250 unknown fields, each nested 900 levels deep, within the 1,000 levels allowed.
	deep.WriteString(head)
	for i := range 250 {
		fmt.Fprintf(&deep, "unknown%d: %sx%s\n", i, strings.Repeat("{a: ", 900), strings.Repeat("}", 900))
	}
	// YAML aliases: one 1 MB string listed a thousand times (refused), a 100 KB extraArgs value
	// aliased a thousand times (refused), and the most aliases may add and still be read: a
	// 1 MB string aliased once, which doubles the source.
	kubelet := "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
	aliasString := kubelet + "clusterDNS: [&a \"" + strings.Repeat("x", 1_000_000) + "\"" + strings.Repeat(", *a", 999) + "]\n"
	aliasArgs := head + "apiServer:\n  extraArgs:\n  - {name: a0, value: &v \"" + strings.Repeat("x", 100_000) + "\"}\n"
	for i := 1; i < 1000; i++ {
		aliasArgs += fmt.Sprintf("  - {name: a%d, value: *v}\n", i)
	}
	aliasOnce := kubelet + "clusterDNS: [&a \"bad_" + strings.Repeat("x", 1_000_000) + "\", *a]\n"
	return []struct {
		name string
		data []byte
	}{
		{"flow-list", []byte(sans.String())},
		{"v1beta3-flow-list", []byte(v1beta3.String())},
		{"duplicate-keys", []byte(dup.String())},
		{"documents", []byte(docs.String())},
		{"deep-nesting", []byte(deep.String())},
		{"alias-string-x1000", []byte(aliasString)},
		{"alias-extraargs-x1000", []byte(aliasArgs)},
		{"alias-doubling", []byte(aliasOnce)},
	}
}

// BenchmarkWorstCase lints each generated worst case; its MB/s is the goal's measure.
func BenchmarkWorstCase(b *testing.B) {
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range worstCases() {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				// An alias bomb is refused: an input error, which is the answer measured.
				if _, err := l.Lint(context.Background(), lint.Source{Name: c.name, Data: c.data}); err != nil && !errors.As(err, new(*lint.InputError)) {
					b.Fatal(err)
				}
			}
		})
	}
}
