// Command bench is 'make bench'. It measures kubeadm-lint over a corpus in one process and, when
// given a kubeadm binary, 'kubeadm config validate' over the same files, one file per process;
// it compares a single-file run with one kubeadm run and profiles start-up; then it runs the Go
// benchmarks of Lint and the webhook load generator (hack/loadgen), and writes everything, with
// the machine and the date, to a Markdown file. It asserts nothing: timings on shared machines
// are for reading, not for failing builds. PASS and MISS only say where a figure stands against
// its goal.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Goals from issue 12.
const (
	goalCorpusRatio = 200.0 // kubeadm-lint's corpus throughput over kubeadm's
	goalOneFile     = 0.5   // one file's wall time over one kubeadm run's
	goalStartup     = 0.5   // 'version' over 'kubeadm version'
	goalCorpusRSS   = 40.0  // MiB, peak RSS over the whole corpus
	goalLintSpeedup = 10.0  // BenchmarkLint's time per call, the baseline's over this build's
)

// Goals from issue 17.
const (
	goalSecondsPerMiB = 1.0 // of any generated worst case
	goalManySANs      = 2.0 // seconds for the CLI on 100,000 invalid certSANs
)

type options struct {
	goTool, linter, corpus, kubeadm, out string
	baseline, baselineName, baselineSrc  string
	rounds, runs                         int
	loadgenArgs                          string
	skipGoBench, skipLoadgen             bool
	webhook, only                        string
}

func main() {
	var o options
	flag.StringVar(&o.goTool, "go", "go", "go command, for the Go benchmarks and the load generator")
	flag.StringVar(&o.linter, "linter", "bin/kubeadm-lint", "kubeadm-lint binary")
	flag.StringVar(&o.corpus, "corpus", "testdata/corpus", "directory of configs")
	flag.StringVar(&o.kubeadm, "kubeadm", "", "kubeadm binary to compare with (optional)")
	flag.StringVar(&o.baseline, "baseline", "", "an earlier kubeadm-lint binary to compare with over the corpus (optional)")
	flag.StringVar(&o.baselineName, "baseline-name", "", "what the baseline is, for the report")
	flag.StringVar(&o.baselineSrc, "baseline-src", "", "the baseline's source tree: its Go benchmarks and profile run beside this build's (optional)")
	flag.IntVar(&o.rounds, "rounds", 5, "runs of the whole corpus in one process; the median counts")
	flag.IntVar(&o.runs, "runs", 21, "runs of each single-process command; the median counts")
	flag.StringVar(&o.out, "out", "", "write the results as Markdown to this file")
	flag.StringVar(&o.loadgenArgs, "loadgen-args", "", "extra arguments for hack/loadgen, space-separated")
	flag.BoolVar(&o.skipGoBench, "skip-go-bench", false, "do not run the Go benchmarks of Lint")
	flag.BoolVar(&o.skipLoadgen, "skip-loadgen", false, "do not run the webhook load generator")
	flag.StringVar(&o.webhook, "webhook", "bin/kubeadm-lint-webhook", "kubeadm-lint-webhook binary")
	flag.StringVar(&o.only, "only", "", "run only these sections, comma-separated: cli, go, memory, worst, audit, webhook-rss, loadgen")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// section is one part of the report: printed as it runs, and kept for the Markdown file.
type section struct {
	title, about string
	out          bytes.Buffer
}

func (s *section) Write(p []byte) (int, error) {
	os.Stdout.Write(p)
	return s.out.Write(p)
}

func (s *section) printf(format string, args ...any) { fmt.Fprintf(s, format, args...) }

func run(o options) error {
	date := time.Now().UTC().Format("2006-01-02")
	load0 := loadavg()
	m := machine()
	fmt.Printf("machine: %s; date: %s; load average %s\n\n", m.oneLine(), date, load0)

	steps := []struct {
		name, title, about string
		run                func(*section, options) error
		skip               bool
	}{
		{"cli", "CLI", cliAbout, cliBench, false},
		{"go", "Lint (Go benchmarks)", goBenchAbout, goBench, o.skipGoBench},
		{"memory", "Memory with many large files", memoryAbout, memoryBench, false},
		{"worst", "Generated worst cases", worstAbout, worstCaseBench, false},
		{"audit", "Cluster audit on generated nodes", auditAbout, func(s *section, o options) error {
			return command(s, o.goTool, "test", "-run", "^$", "-bench", "BenchmarkNodes", "-benchtime", "3x", "./audit")
		}, false},
		{"lsp", "Language server: a change to its diagnostics", lspAbout, func(s *section, o options) error {
			return command(s, o.goTool, "test", "-run", "^$", "-bench", "BenchmarkChange", "-benchtime", "50x", "./lsp")
		}, false},
		{"webhook-rss", "Webhook memory on a 20,000-error kubeadm-config", webhookRSSAbout, webhookRSSBench, false},
		{"loadgen", "Webhook (hack/loadgen)", loadgenAbout, func(s *section, o options) error {
			return command(s, o.goTool, append([]string{"run", "./hack/loadgen"}, strings.Fields(o.loadgenArgs)...)...)
		}, o.skipLoadgen},
	}
	var sections []*section
	for _, st := range steps {
		if st.skip || o.only != "" && !slices.Contains(strings.Split(o.only, ","), st.name) {
			continue
		}
		s := &section{title: st.title, about: st.about}
		sections = append(sections, s)
		if len(sections) > 1 {
			fmt.Println()
		}
		if err := st.run(s, o); err != nil {
			return err
		}
	}
	load1 := loadavg()
	fmt.Printf("\nload average at the end: %s\n", load1)
	if o.out == "" {
		return nil
	}
	var md bytes.Buffer
	fmt.Fprintf(&md, "# Benchmark results\n\n")
	fmt.Fprintf(&md, "Written by `make bench` (hack/bench) on %s. Regenerate with `make bench KUBEADM=path/to/kubeadm`. ", date)
	fmt.Fprintf(&md, "Timings on a shared machine vary between runs, so the load average is recorded with them.\n\n")
	fmt.Fprintf(&md, "| machine | |\n|---|---|\n")
	fmt.Fprintf(&md, "| CPU | %s |\n| cores | %d |\n| RAM | %.1f GiB |\n| Go | %s |\n| kernel | %s |\n", m.cpu, m.cores, m.ramGiB, m.goVersion, m.kernel)
	fmt.Fprintf(&md, "| load average (1, 5, 15 min) | %s at the start, %s at the end |\n", load0, load1)
	if o.kubeadm != "" {
		fmt.Fprintf(&md, "| kubeadm | %s (%s) |\n", kubeadmVersion(o.kubeadm), o.kubeadm)
	}
	for _, s := range sections {
		fmt.Fprintf(&md, "\n## %s\n\n%s\n\n```\n%s```\n", s.title, s.about, strings.TrimLeft(s.out.String(), "\n"))
	}
	// The analysis of the figures is written by hand beside the results, and goes with them.
	if notes, err := os.ReadFile(filepath.Join(filepath.Dir(o.out), "notes.md")); err == nil {
		fmt.Fprintf(&md, "\n%s", notes)
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(o.out, md.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s\n", o.out)
	return nil
}

const cliAbout = `The whole corpus is linted in one process (` + "`--format json`" + `, every rule), several times; the
median run counts. With a kubeadm binary, ` + "`kubeadm config validate --config FILE`" + ` runs once per corpus file
(` + "`--allow-experimental-api`" + ` when the binary has it). The single-file comparison runs both commands on one
file kubeadm accepts, interleaved, and takes the medians of wall and CPU time (user + system). Start-up is
the same comparison for ` + "`version`" + `, which does no work besides initialising the process, and the
init profile comes from ` + "`GODEBUG=inittrace=1`" + ` (per-package init clock, summed). Goals (issue 12): at least
200 times kubeadm's corpus throughput; a single-file run and 'version' at most half of kubeadm's wall time; a
peak RSS over the corpus of at most 40 MiB.`

const lspAbout = "`kubeadm-lint lsp` on a typical config (testdata/examples/cluster-good.yaml): the time from a " +
	"change to the published diagnostics, the 20 ms debounce included (lsp/bench_test.go). Goal: under 50 ms."

const goBenchAbout = "`Lint` on a small, a typical and a large config with every rule (lint/bench_test.go). " +
	"With a baseline, the baseline's source runs the same benchmarks, alternating with this build's, and the " +
	"medians are compared (goal: at least 10 times faster); then a CPU profile of `BenchmarkLint/typical` in each " +
	"gives its top functions by cumulative time."

const loadgenAbout = `One process runs the real server (` + "`webhook.NewServer`" + `, JSON logs formatted and discarded,
Prometheus metrics on), a no-op kubewebhook server with the same TLS and ` + "`http.Server`" + ` settings, and the
client. Mutating reviews are compared with a no-op mutating webhook, validating ones with a no-op validating
webhook. The ConfigMap validator caches findings by content hash; the "new content each request" case
defeats the cache, so it shows the cost of linting itself. RSS is the whole process's. By Little's law a
p99 under 2 ms at concurrency 16 needs more than 8,000 reviews/s, which two shared cores do not reach even for
the no-op.`

// cliBench is the CLI part: corpus throughput, kubeadm, one file, start-up.
func cliBench(s *section, o options) error {
	var files []string
	err := filepath.WalkDir(o.corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if len(files) == 0 {
		return fmt.Errorf("no *.yaml under %s", o.corpus)
	}
	slices.Sort(files)
	s.printf("corpus: %d files in %s\n\n", len(files), o.corpus)

	// Warm the page cache so that the first round does not pay for reading the binary.
	if _, err := timed(o.linter, "version"); err != nil {
		return err
	}
	var runs []measure
	var summary struct {
		Summary struct{ Files, Documents int } `json:"summary"`
	}
	for i := 0; i < o.rounds; i++ {
		r, err := timed(o.linter, append([]string{"--format", "json"}, files...)...)
		if err != nil {
			return err
		}
		if i == 0 {
			if err := json.Unmarshal(r.stdout, &summary); err != nil {
				return fmt.Errorf("reading the json summary: %w", err)
			}
		}
		runs = append(runs, r)
	}
	docs := summary.Summary.Documents
	corpus := median(runs)
	peak := slices.MaxFunc(runs, func(a, b measure) int { return int(a.maxRSS - b.maxRSS) }).maxRSS
	s.printf("kubeadm-lint, whole corpus in one process (median of %d):\n", o.rounds)
	s.printf("  %.0f ms total (CPU %.0f ms), %.0f files/s, %.3f ms/file, %.3f ms/document (%d documents), peak RSS %.1f MiB\n",
		ms(corpus.wall), ms(corpus.cpu), float64(len(files))/corpus.wall.Seconds(), ms(corpus.wall)/float64(len(files)),
		ms(corpus.wall)/float64(max(docs, 1)), docs, float64(peak)/1024)
	s.printf("  peak RSS (goal at most %.0f MiB): %s\n", goalCorpusRSS, verdict(float64(peak)/1024 <= goalCorpusRSS))

	if o.baseline != "" {
		// Interleaved, so that both builds see the same load.
		cur, base, err := interleaved(o.rounds, append([]string{o.linter, "--format", "json"}, files...), append([]string{o.baseline, "--format", "json"}, files...))
		if err != nil {
			return err
		}
		s.printf("\nthis build against the baseline %s, whole corpus in one process (median of %d, interleaved):\n", o.baselineName, o.rounds)
		s.printf("  this build  %6.0f ms wall, %6.0f ms CPU\n", ms(cur.wall), ms(cur.cpu))
		s.printf("  baseline    %6.0f ms wall, %6.0f ms CPU\n", ms(base.wall), ms(base.cpu))
		s.printf("  this build takes %.2fx the baseline's wall time and %.2fx its CPU time\n", cur.wall.Seconds()/base.wall.Seconds(), cur.cpu.Seconds()/base.cpu.Seconds())
	}

	single := files[len(files)/2]
	if o.kubeadm == "" {
		s.printf("\nkubeadm: not measured (set KUBEADM=path/to/kubeadm)\n")
	} else {
		args := []string{"config", "validate"}
		if out, _ := exec.Command(o.kubeadm, "config", "validate", "--help").CombinedOutput(); strings.Contains(string(out), "allow-experimental-api") {
			args = append(args, "--allow-experimental-api")
		}
		var total, cpu time.Duration
		var peak int64
		type size struct {
			file string
			n    int64
		}
		var accepted []size
		for _, f := range files {
			r, err := timed(o.kubeadm, append(args, "--config", f)...)
			if err != nil {
				return err
			}
			total, cpu, peak = total+r.wall, cpu+r.cpu, max(peak, r.maxRSS)
			if r.code == 0 {
				st, _ := os.Stat(f)
				accepted = append(accepted, size{f, st.Size()})
			}
		}
		s.printf("\nkubeadm config validate, one process per file (%s):\n", o.kubeadm)
		s.printf("  %.0f ms total (CPU %.0f ms), %.1f files/s, %.1f ms/file, %.1f ms/document, peak RSS %.1f MiB; it accepts %d of the %d files\n",
			ms(total), ms(cpu), float64(len(files))/total.Seconds(), ms(total)/float64(len(files)), ms(total)/float64(max(docs, 1)),
			float64(peak)/1024, len(accepted), len(files))
		ratio := total.Seconds() / corpus.wall.Seconds()
		s.printf("\ncorpus throughput: kubeadm-lint is %.1fx kubeadm (goal at least %.0fx): %s\n", ratio, goalCorpusRatio, verdict(ratio >= goalCorpusRatio))
		if len(accepted) > 0 {
			slices.SortFunc(accepted, func(a, b size) int { return int(a.n - b.n) })
			single = accepted[len(accepted)/2].file
		}

		ours, theirs, err := interleaved(o.runs, []string{o.linter, single}, append([]string{o.kubeadm}, append(args, "--config", single)...))
		if err != nil {
			return err
		}
		s.printf("\none file, one process each (%s; median of %d, interleaved):\n", single, o.runs)
		s.printf("  kubeadm-lint            %6.1f ms wall, %6.1f ms CPU\n", ms(ours.wall), ms(ours.cpu))
		s.printf("  kubeadm config validate %6.1f ms wall, %6.1f ms CPU\n", ms(theirs.wall), ms(theirs.cpu))
		ratio = ours.wall.Seconds() / theirs.wall.Seconds()
		s.printf("  kubeadm-lint takes %.2fx the wall time of one kubeadm run (goal at most %.1fx): %s\n", ratio, goalOneFile, verdict(ratio <= goalOneFile))

		ours, theirs, err = interleaved(o.runs, []string{o.linter, "version"}, []string{o.kubeadm, "version"})
		if err != nil {
			return err
		}
		s.printf("\nstart-up alone, 'version' (median of %d, interleaved):\n", o.runs)
		s.printf("  kubeadm-lint version    %6.1f ms wall, %6.1f ms CPU\n", ms(ours.wall), ms(ours.cpu))
		s.printf("  kubeadm version         %6.1f ms wall, %6.1f ms CPU\n", ms(theirs.wall), ms(theirs.cpu))
		ratio = ours.wall.Seconds() / theirs.wall.Seconds()
		s.printf("  kubeadm-lint takes %.2fx the wall time of 'kubeadm version' (goal at most %.1fx): %s\n", ratio, goalStartup, verdict(ratio <= goalStartup))
	}
	if o.baseline != "" {
		// The figures a user waits on: one file, and start-up alone, beside the baseline.
		for _, c := range []struct{ what, arg string }{{"one file, " + single, single}, {"start-up alone, 'version'", "version"}} {
			ours, base, err := interleaved(o.runs, []string{o.linter, c.arg}, []string{o.baseline, c.arg})
			if err != nil {
				return err
			}
			s.printf("\n%s, against the baseline %s (median of %d, interleaved):\n", c.what, o.baselineName, o.runs)
			s.printf("  this build %6.1f ms wall, %6.1f ms CPU\n  baseline   %6.1f ms wall, %6.1f ms CPU\n", ms(ours.wall), ms(ours.cpu), ms(base.wall), ms(base.cpu))
			s.printf("  this build takes %.2fx the baseline's wall time and %.2fx its CPU time\n", ours.wall.Seconds()/base.wall.Seconds(), ours.cpu.Seconds()/base.cpu.Seconds())
		}
	}
	if o.kubeadm == "" {
		runs := make([]measure, 0, o.runs)
		for range o.runs {
			r, err := timed(o.linter, single)
			if err != nil {
				return err
			}
			runs = append(runs, r)
		}
		r := median(runs)
		s.printf("\none file in its own process (%s; median of %d): %.1f ms wall, %.1f ms CPU\n", single, o.runs, ms(r.wall), ms(r.cpu))
	}
	return initProfile(s, o)
}

// initProfile reports what package initialisation costs, and which packages kubeadm-lint
// initialises that kubeadm does not.
func initProfile(s *section, o options) error {
	const n = 5
	ours, err := inittrace(o.linter, n)
	if err != nil {
		return err
	}
	s.printf("\ninit profile of kubeadm-lint (GODEBUG=inittrace=1, per-package median of %d runs): %.1f ms in %d packages\n", n, sum(ours), len(ours))
	for _, p := range top(ours, 8) {
		s.printf("  %5.1f ms  %s\n", p.ms, p.pkg)
	}
	if o.kubeadm == "" {
		return nil
	}
	theirs, err := inittrace(o.kubeadm, n)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, p := range theirs {
		have[p.pkg] = true
	}
	var extra, viaComponents []pkgInit
	components := map[string]bool{}
	out, err := exec.Command(o.goTool, append([]string{"list", "-deps"}, componentConfigPkgs...)...).Output()
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	for _, p := range strings.Fields(string(out)) {
		components[p] = true
	}
	for _, p := range ours {
		if !have[p.pkg] {
			extra = append(extra, p)
			if components[p.pkg] {
				viaComponents = append(viaComponents, p)
			}
		}
	}
	s.printf("kubeadm: %.1f ms in %d packages.\n", sum(theirs), len(theirs))
	s.printf("packages kubeadm-lint initialises and kubeadm does not: %.1f ms in %d; %.1f ms of it in packages the kubelet and kube-proxy config packages import:\n",
		sum(extra), len(extra), sum(viaComponents))
	for _, p := range top(extra, 5) {
		s.printf("  %5.1f ms  %s\n", p.ms, p.pkg)
	}
	return nil
}

// componentConfigPkgs are the upstream KubeletConfiguration and KubeProxyConfiguration packages
// the lint core decodes and validates with; kubeadm itself validates neither.
var componentConfigPkgs = []string{
	"k8s.io/kubernetes/pkg/kubelet/apis/config/scheme",
	"k8s.io/kubernetes/pkg/kubelet/apis/config/validation",
	"k8s.io/kubernetes/pkg/proxy/apis/config/scheme",
	"k8s.io/kubernetes/pkg/proxy/apis/config/validation",
}

type pkgInit struct {
	pkg string
	ms  float64
}

// inittrace runs 'bin version' n times with GODEBUG=inittrace=1 and returns each package's
// median init clock. Lines look like "init k8s.io/x @87 ms, 6.4 ms clock, 249160 bytes, 2016 allocs".
func inittrace(bin string, n int) ([]pkgInit, error) {
	clocks := map[string][]float64{}
	var order []string
	for range n {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("%s version: %w", bin, err)
		}
		sc := bufio.NewScanner(&stderr)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
				continue
			}
			v, err := strconv.ParseFloat(f[4], 64)
			if err != nil {
				continue
			}
			if _, ok := clocks[f[1]]; !ok {
				order = append(order, f[1])
			}
			clocks[f[1]] = append(clocks[f[1]], v)
		}
	}
	out := make([]pkgInit, 0, len(order))
	for _, p := range order {
		c := clocks[p]
		slices.Sort(c)
		out = append(out, pkgInit{pkg: p, ms: c[len(c)/2]})
	}
	return out, nil
}

func sum(ps []pkgInit) float64 {
	var t float64
	for _, p := range ps {
		t += p.ms
	}
	return t
}

func top(ps []pkgInit, n int) []pkgInit {
	s := slices.Clone(ps)
	slices.SortFunc(s, func(a, b pkgInit) int {
		switch {
		case a.ms > b.ms:
			return -1
		case a.ms < b.ms:
			return 1
		}
		return strings.Compare(a.pkg, b.pkg)
	})
	return s[:min(n, len(s))]
}

// measure is one run of a command.
type measure struct {
	wall, cpu time.Duration
	maxRSS    int64 // KiB
	code      int
	stdout    []byte
}

// timed runs a command and measures it. Exit codes 1 and 2 are answers (findings, invalid or
// unreadable input), not failures of the benchmark.
func timed(name string, args ...string) (measure, error) {
	cmd := exec.Command(name, args...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	start := time.Now()
	err := cmd.Run()
	m := measure{wall: time.Since(start), stdout: stdout.Bytes()}
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() <= 2 && ee.ExitCode() > 0 {
		err = nil
	}
	if err != nil {
		return m, fmt.Errorf("%s: %w", name, err)
	}
	m.code = cmd.ProcessState.ExitCode()
	m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}
	return m, nil
}

// interleaved runs a and b alternately n times each, after one unmeasured run of each, and
// returns their medians.
func interleaved(n int, a, b []string) (measure, measure, error) {
	var ra, rb []measure
	for i := -1; i < n; i++ {
		x, err := timed(a[0], a[1:]...)
		if err != nil {
			return measure{}, measure{}, err
		}
		y, err := timed(b[0], b[1:]...)
		if err != nil {
			return measure{}, measure{}, err
		}
		if i >= 0 {
			ra, rb = append(ra, x), append(rb, y)
		}
	}
	return median(ra), median(rb), nil
}

// median returns the median wall and, separately, the median CPU time of the runs.
func median(runs []measure) measure {
	walls := make([]time.Duration, len(runs))
	cpus := make([]time.Duration, len(runs))
	for i, r := range runs {
		walls[i], cpus[i] = r.wall, r.cpu
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	return measure{wall: walls[len(walls)/2], cpu: cpus[len(cpus)/2]}
}

// command runs a command with its output going to s.
func command(s *section, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = s, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

type machineInfo struct {
	cpu, goVersion, kernel string
	cores                  int
	ramGiB                 float64
}

func (m machineInfo) oneLine() string {
	return fmt.Sprintf("%s, %d cores, %.1f GiB, %s, Linux %s", m.cpu, m.cores, m.ramGiB, m.goVersion, m.kernel)
}

func machine() machineInfo {
	m := machineInfo{cpu: "unknown", cores: runtime.NumCPU(), goVersion: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
				m.ramGiB = kb / (1 << 20)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	return m
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

func kubeadmVersion(bin string) string {
	out, err := exec.Command(bin, "version", "-o", "short").Output()
	if err != nil {
		return "version unknown"
	}
	return strings.TrimSpace(string(out))
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
