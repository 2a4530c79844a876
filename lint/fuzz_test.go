package lint_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// FuzzLint feeds arbitrary bytes to the core, as YAML and as a shell script. 'make test' runs the
// seeds: every YAML file and script under testdata, the corpus (testdata/corpus) included. 'make fuzz' mutates them.
func FuzzLint(f *testing.F) {
	seeds := 0
	for _, root := range []string{"../testdata"} {
		err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			ext := filepath.Ext(path)
			if ext != ".yaml" && ext != ".yml" && ext != ".sh" {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.Add(data, ext == ".sh")
			seeds++
			return nil
		})
		if errors.Is(err, fs.ErrNotExist) && root != "../testdata" {
			f.Logf("no seeds from %s: %v", root, err)
			continue
		}
		if err != nil {
			f.Fatal(err)
		}
	}
	if seeds < 100 {
		f.Fatalf("only %d seeds found under testdata", seeds)
	}
	f.Logf("%d seeds", seeds)
	l := newFuzzLinter(f)
	f.Fuzz(func(t *testing.T, data []byte, script bool) {
		checkLint(t, l, lint.Source{Name: "fuzz.yaml", Data: data, Script: script})
	})
}

// TestLintBoundsHostileInput runs inputs built to blow up a linter, larger than the fuzzer would
// make them, through the fuzzer's checks.
func TestLintBoundsHostileInput(t *testing.T) {
	const cc = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
	tests := []struct {
		name   string
		data   string
		script bool
		// wantInputError: the input must be refused as unreadable rather than linted.
		wantInputError bool
	}{
		{name: "a file one byte over the limit is refused unread", wantInputError: true,
			data: cc + "clusterName: " + strings.Repeat("x", lint.MaxFileSize-len(cc)-len("clusterName: ")+1)},
		{name: "ten thousand repeats of one key",
			data: cc + strings.Repeat("a: b\n", 10_000)},
		{name: "ten thousand distinct keys each given twice",
			data: cc + repeat(10_000, func(i int) string { return fmt.Sprintf("a%d: b\na%d: c\n", i, i) })},
		{name: "merge keys that multiply tenfold at each of seven levels", wantInputError: true,
			data: cc + "x0: &l0 {k0: v, k1: v, k2: v}\n" + repeat(7, func(i int) string {
				return fmt.Sprintf("x%d: &l%d {<<: [%s]}\n", i+1, i+1, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i), 10), ", "))
			})},
		{name: "aliases that multiply tenfold at each of nine levels", wantInputError: true,
			data: cc + "x0: &l0 [a, b, c, d, e, f, g, h, i, j]\n" + repeat(9, func(i int) string {
				return fmt.Sprintf("x%d: &l%d [%s]\n", i+1, i+1, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i), 10), ", "))
			})},
		{name: "one 1 MB string aliased a thousand times in a kubelet list: few nodes, a gigabyte", wantInputError: true,
			data: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS: [&a \"" +
				strings.Repeat("x", 1_000_000) + "\"" + strings.Repeat(", *a", 999) + "]\n"},
		{name: "a 100 KB extraArgs value aliased a thousand times", wantInputError: true,
			data: cc + "apiServer:\n  extraArgs:\n  - {name: a0, value: &v \"" + strings.Repeat("x", 100_000) + "\"}\n" +
				repeat(999, func(i int) string { return fmt.Sprintf("  - {name: a%d, value: *v}\n", i+1) })},
		{name: "a merge key bringing in a 100 KB value a thousand times", wantInputError: true,
			data: cc + "x0: &m {k: \"" + strings.Repeat("x", 100_000) + "\"}\n" +
				repeat(1000, func(i int) string { return fmt.Sprintf("x%d: {<<: *m}\n", i+1) })},
		{name: "aliases that add less than the source's own size are read",
			data: cc + "apiServer:\n  certSANs: [&s \"" + strings.Repeat("a", 1000) + ".example.com\"" + strings.Repeat(", *s", 50) + "]\n"},
		{name: "flow sequences nested past the parser's depth limit", wantInputError: true,
			data: cc + "x: " + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + "\n"},
		{name: "twenty thousand empty documents",
			data: cc + strings.Repeat("---\n", 20_000)},
		{name: "three thousand v1beta3 extraArgs set to y, a YAML 1.1 boolean: each a type error and a new decoding",
			data: "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n" +
				repeat(3_000, func(i int) string { return fmt.Sprintf("    x%d: y\n", i) })},
		{name: "a kubelet configuration of ten thousand unknown fields",
			data: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n" +
				repeat(10_000, func(i int) string { return fmt.Sprintf("field%d: 1\n", i) })},
		{name: "five thousand suppression comments",
			data: cc + repeat(5_000, func(i int) string { return fmt.Sprintf("# kubeadm-lint:ignore KL005 reason %d\nf%d: x\n", i, i) })},
		{name: "a script of ten thousand kubeadm commands", script: true,
			data: repeat(10_000, func(i int) string {
				return fmt.Sprintf("kubeadm init --apiserver-extra-args=a=%d,b \\\n  --node-name 'n%d' && echo \"x\" # c\n", i, i)
			})},
	}
	l := newFuzzLinter(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkLint(t, l, lint.Source{Name: "hostile.yaml", Data: []byte(tt.data), Script: tt.script})
			var inputErr *lint.InputError
			if got := errors.As(err, &inputErr); got != tt.wantInputError {
				t.Errorf("input error %v, want one: %v", err, tt.wantInputError)
			}
		})
	}
}

func repeat(n int, line func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(line(i))
	}
	return b.String()
}

func newFuzzLinter(tb testing.TB) *lint.Linter {
	l, err := lint.New(lint.Config{Rules: catalog.All(), ReportUnusedIgnores: true})
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// checkLint lints src and fails on anything but findings or an *lint.InputError. Lint recovers
// panics into an "internal error" so that the CLI survives them; here they are crashes.
//
// Memory is the bound checked: bytes allocated per input byte, which is deterministic, and which
// grows as fast as the time taken by the superlinear paths found so far (one repeated key cost
// 46 GB for 80 KB before it was capped). The hang bound only stops a runaway input.
func checkLint(t *testing.T, l *lint.Linter, src lint.Source) error {
	t.Helper()
	before := allocatedBytes()
	start := time.Now()
	res, err := l.Lint(context.Background(), src)
	allocated, took := allocatedBytes()-before, time.Since(start)

	var inputErr *lint.InputError
	switch {
	case errors.As(err, &inputErr):
	case err != nil:
		t.Fatalf("Lint crashed on %q: %v", truncate(src.Data), err)
	case res == nil || res.File == nil:
		t.Fatalf("Lint returned no result and no error on %q", truncate(src.Data))
	}
	if !src.Script && len(src.Data) > lint.MaxFileSize {
		if inputErr == nil {
			t.Fatalf("a source of %d bytes, over lint.MaxFileSize, was linted", len(src.Data))
		}
		// Refused unread: nothing near the size of the input is allocated.
		if allocated > 1<<20 {
			t.Errorf("refusing a source over lint.MaxFileSize allocated %d bytes", allocated)
		}
	}
	if budget := allocBudget(len(src.Data)); allocated > budget {
		t.Errorf("linting %d bytes allocated %d MiB, over the budget of %d MiB: a superlinear path (%q)",
			len(src.Data), allocated>>20, budget>>20, truncate(src.Data))
	}
	findings := 0
	if res != nil {
		findings = len(res.Findings)
	}
	t.Logf("%d bytes: %d findings, %d KiB allocated, error %.80v", len(src.Data), findings, allocated>>10, err)
	if took > time.Minute {
		t.Errorf("linting %d bytes took %v: a hang (%q)", len(src.Data), took, truncate(src.Data))
	}
	return err
}

// allocBudget is what linting n bytes may allocate: a fixed part for kubeadm's decoding and
// validation, and 4 KiB per input byte. Linting a seed allocates at most about 1 MiB; the worst
// inputs measured take about 3.5 KiB per byte (v1beta3 extraArgs, decoded again after each type
// error), and typical configs 300 bytes.
func allocBudget(n int) uint64 { return 64<<20 + 4096*uint64(n) }

// allocatedBytes is the process's cumulative heap allocation. Lint starts no goroutines, so the
// difference around a call is that call's.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
