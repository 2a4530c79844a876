package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// goBench runs the Go benchmarks of Lint; with a baseline source tree, alternately in both trees,
// and compares the medians, then profiles BenchmarkLint/typical in each.
func goBench(s *section, o options) error {
	if o.baselineSrc == "" {
		return command(s, o.goTool, "test", "-run", "^$", "-bench", ".", "-benchmem", "./lint")
	}
	const rounds = 5
	cur, base := map[string][]benchResult{}, map[string][]benchResult{}
	var names []string
	for range rounds {
		for _, t := range []struct {
			dir  string
			into map[string][]benchResult
		}{{".", cur}, {o.baselineSrc, base}} {
			out, err := goTest(o.goTool, t.dir, "-run", "^$", "-bench", "BenchmarkLint", "-benchmem", "./lint")
			if err != nil {
				return err
			}
			for _, r := range parseBench(out) {
				if !slices.Contains(names, r.name) {
					names = append(names, r.name)
				}
				t.into[r.name] = append(t.into[r.name], r)
			}
		}
	}
	s.printf("this build against the baseline %s (median of %d runs each, alternating):\n", o.baselineName, rounds)
	s.printf("  %-22s %12s %12s %10s %10s %9s %9s  %s\n", "", "ns/op", "baseline", "B/op", "baseline", "allocs/op", "baseline", "speed-up")
	for _, n := range names {
		c, b := medianBench(cur[n]), medianBench(base[n])
		if c.ns == 0 || b.ns == 0 {
			continue
		}
		speedup := b.ns / c.ns
		s.printf("  %-22s %12.0f %12.0f %10.0f %10.0f %9.0f %9.0f  %.1fx (goal at least %.0fx): %s\n",
			n, c.ns, b.ns, c.bytes, b.bytes, c.allocs, b.allocs, speedup, goalLintSpeedup, verdict(speedup >= goalLintSpeedup))
	}
	for _, t := range []struct{ name, dir string }{{"baseline " + o.baselineName, o.baselineSrc}, {"this build", "."}} {
		top, err := profileTop(o.goTool, t.dir)
		if err != nil {
			return err
		}
		s.printf("\nCPU profile of BenchmarkLint/typical, %s: the heaviest calls by cumulative share\n%s", t.name, top)
	}
	return nil
}

type benchResult struct {
	name                    string
	ns, bytes, allocs, mbps float64
}

// parseBench reads the lines of 'go test -bench -benchmem' output.
func parseBench(out []byte) []benchResult {
	var rs []benchResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		r := benchResult{name: strings.TrimPrefix(f[0], "Benchmark")}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				r.ns = v
			case "B/op":
				r.bytes = v
			case "allocs/op":
				r.allocs = v
			case "MB/s":
				r.mbps = v
			}
		}
		rs = append(rs, r)
	}
	return rs
}

func medianBench(rs []benchResult) benchResult {
	if len(rs) == 0 {
		return benchResult{}
	}
	pick := func(get func(benchResult) float64) float64 {
		vs := make([]float64, len(rs))
		for i, r := range rs {
			vs[i] = get(r)
		}
		slices.Sort(vs)
		return vs[len(vs)/2]
	}
	return benchResult{
		name:   rs[0].name,
		ns:     pick(func(r benchResult) float64 { return r.ns }),
		bytes:  pick(func(r benchResult) float64 { return r.bytes }),
		allocs: pick(func(r benchResult) float64 { return r.allocs }),
	}
}

// profileTop profiles BenchmarkLint/typical in dir and returns the top entries of pprof's
// cumulative listing that are not the benchmark, the test framework or the runtime.
func profileTop(goTool, dir string) (string, error) {
	tmp, err := os.MkdirTemp("", "bench-profile")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	prof := filepath.Join(tmp, "cpu.out")
	if _, err := goTest(goTool, dir, "-run", "^$", "-bench", "BenchmarkLint/typical", "-benchtime", "2s", "-cpuprofile", prof, "-o", filepath.Join(tmp, "lint.test"), "./lint"); err != nil {
		return "", err
	}
	cmd := exec.Command(goTool, "tool", "pprof", "-top", "-cum", filepath.Join(tmp, "lint.test"), prof)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("pprof: %w", err)
	}
	var b strings.Builder
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() && n < 12 {
		f := strings.Fields(sc.Text())
		if len(f) != 6 || !strings.HasSuffix(f[4], "%") {
			continue
		}
		fn := f[5]
		if strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "testing.") || strings.Contains(fn, "BenchmarkLint") || strings.HasPrefix(fn, "internal/runtime") {
			continue
		}
		fmt.Fprintf(&b, "  %6s  %s\n", f[4], fn)
		n++
	}
	return b.String(), nil
}

func goTest(goTool, dir string, args ...string) ([]byte, error) {
	cmd := exec.Command(goTool, append([]string{"test"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test in %s: %w\n%s", dir, err, out)
	}
	return out, nil
}
