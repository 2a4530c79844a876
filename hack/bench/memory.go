package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const memoryAbout = `Files of just under 4 MiB (the per-file limit) each, generated on the fly: a small ClusterConfiguration
under a long comment, so that reading and parsing dominate. One process lints 1, 10, 100 and 1,000 of them; the peak
RSS must not grow with the number of files (goal: about 100 MiB at most). With a baseline, the baseline
lints the same files, up to 100: it holds every file, so 1,000 would take about 14 GiB. The 1,000 files are
hard links to one, so that they take 4 MiB of disk, not 4 GB; each is opened and read on its own.`

// memoryBench reports peak RSS against the number of large files.
func memoryBench(s *section, o options) error {
	dir, err := os.MkdirTemp("", "bench-memory")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	const size = 4<<20 - 4096
	head := "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: cp.example.com:6443\n"
	line := "# " + strings.Repeat("x", 76) + "\n"
	body := head + strings.Repeat(line, (size-len(head))/len(line))
	// One file and 999 hard links to it: each path is opened and read on its own, as 1,000
	// files would be, without 4 GB of disk.
	files := []string{filepath.Join(dir, "f000.yaml")}
	if err := os.WriteFile(files[0], []byte(body), 0o644); err != nil {
		return err
	}
	for i := 1; i < 1000; i++ {
		f := filepath.Join(dir, fmt.Sprintf("f%03d.yaml", i))
		if err := os.Link(files[0], f); err != nil {
			return err
		}
		files = append(files, f)
	}
	for _, n := range []int{1, 10, 100, 1000} {
		r, err := timed(o.linter, files[:n]...)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("  %4d files of %.1f MiB: peak RSS %6.1f MiB, %5.2f s", n, float64(len(body))/(1<<20), float64(r.maxRSS)/1024, r.wall.Seconds())
		// The baseline holds every file it reads: 1.4 GiB at 100 files, so 14 at 1,000.
		if o.baseline != "" && n <= 100 {
			b, err := timed(o.baseline, files[:n]...)
			if err != nil {
				return err
			}
			line += fmt.Sprintf("; baseline %6.1f MiB, %5.2f s", float64(b.maxRSS)/1024, b.wall.Seconds())
		}
		s.printf("%s\n", line)
	}
	return nil
}

const auditAbout = `'kubeadm-lint cluster' over 500 and 5,000 generated nodes of the size kubelets report, served a page of 500
at a time by a test server as the API server serves them (audit.BenchmarkNodes). peak-heap-MiB is the largest
live heap during the audit, the server's page included: it must stay near one page's worth, whatever the
number of nodes. "one-list" asks for every node in one response, for comparison.`
