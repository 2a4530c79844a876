// Command bench measures kubeadm-lint over a corpus in one process and, when given a kubeadm
// binary, 'kubeadm config validate' over the same files, and prints both with their ratio.
// It asserts nothing: timings on shared machines are for reading, not for failing builds.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	linter := flag.String("linter", "bin/kubeadm-lint", "kubeadm-lint binary")
	corpus := flag.String("corpus", "../shared/corpus", "directory of configs")
	kubeadm := flag.String("kubeadm", "", "kubeadm binary to compare with (optional)")
	rounds := flag.Int("rounds", 5, "runs of the whole corpus; the fastest counts")
	flag.Parse()
	if err := run(*linter, *corpus, *kubeadm, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(linter, corpus, kubeadm string, rounds int) error {
	var files []string
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no *.yaml under %s", corpus)
	}
	host, _ := os.Hostname()
	fmt.Printf("machine: %s, %s/%s, %d CPUs, %s; date: %s\n", host, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format("2006-01-02"))
	fmt.Printf("corpus: %d files in %s\n\n", len(files), corpus)

	best, rss := time.Duration(1<<62), int64(0)
	for i := 0; i < rounds; i++ {
		d, r, err := timed(linter, append([]string{"--format", "json"}, files...)...)
		if err != nil {
			return err
		}
		best, rss = min(best, d), max(rss, r)
	}
	perFile := best / time.Duration(len(files))
	fmt.Printf("kubeadm-lint, whole corpus in one process (best of %d):\n", rounds)
	fmt.Printf("  %v total, %.0f files/s, %.3f ms/file, peak RSS %.1f MiB\n", best.Round(time.Microsecond),
		float64(len(files))/best.Seconds(), ms(perFile), float64(rss)/1024)
	single := time.Duration(1 << 62)
	for i := 0; i < rounds; i++ {
		d, _, err := timed(linter, files[0])
		if err != nil {
			return err
		}
		single = min(single, d)
	}
	fmt.Printf("  one file in its own process: %.1f ms\n", ms(single))

	if kubeadm == "" {
		fmt.Println("\nkubeadm: not measured (set KUBEADM=path/to/kubeadm)")
		return nil
	}
	args := []string{"config", "validate"}
	if out, _ := exec.Command(kubeadm, "config", "validate", "--help").CombinedOutput(); strings.Contains(string(out), "allow-experimental-api") {
		args = append(args, "--allow-experimental-api")
	}
	var total time.Duration
	for _, f := range files {
		d, _, err := timed(kubeadm, append(args, "--config", f)...)
		if err != nil {
			return err
		}
		total += d
	}
	kPerFile := total / time.Duration(len(files))
	fmt.Printf("\nkubeadm config validate, one process per file (%s):\n", kubeadm)
	fmt.Printf("  %v total, %.0f files/s, %.3f ms/file\n", total.Round(time.Millisecond), float64(len(files))/total.Seconds(), ms(kPerFile))
	fmt.Printf("\nratio: kubeadm-lint corpus throughput is %.1fx kubeadm's; one kubeadm-lint process takes %.2fx one kubeadm run\n",
		total.Seconds()/best.Seconds(), single.Seconds()/kPerFile.Seconds())
	return nil
}

// timed runs a command and returns its wall time and peak RSS in KiB. Exit codes 1 and 2 are
// answers (findings, unreadable input), not failures of the benchmark.
func timed(name string, args ...string) (time.Duration, int64, error) {
	cmd := exec.Command(name, args...)
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() <= 2 {
		err = nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", name, err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss
	}
	return d, rss, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
