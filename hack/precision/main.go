// Command precision is 'make precision': it lints testdata/corpus with the defaults, in process,
// and prints, rule by rule, how many findings it gives there and how many of them the reviewed
// expectations (testdata/corpus/EXPECTED.tsv) call true positives. A rule's precision is that
// share; a finding that is not reviewed yet counts against it.
//
//	go run ./hack/precision [-corpus testdata/corpus] [-expected testdata/corpus/EXPECTED.tsv]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"text/tabwriter"

	"k8s.io/klog/v2"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/internal/corpus"
)

func main() {
	dir := flag.String("corpus", "testdata/corpus", "directory of real configs")
	expectedPath := flag.String("expected", "", "reviewed expectations (default: EXPECTED.tsv in -corpus)")
	flag.Parse()
	// kubeadm's and the kubelet's code log feature gate notes through klog, as in the CLI.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	if *expectedPath == "" {
		*expectedPath = filepath.Join(*dir, "EXPECTED.tsv")
	}
	if err := run(os.Stdout, *dir, *expectedPath); err != nil {
		fmt.Fprintln(os.Stderr, "precision:", err)
		os.Exit(2)
	}
}

func run(w io.Writer, dir, expectedPath string) error {
	expected, err := corpus.Read(expectedPath)
	if err != nil {
		return err
	}
	got, err := corpus.Lint(context.Background(), dir)
	if err != nil {
		return err
	}
	// The rules that run on files with the defaults: not the cluster audit's, nor an opt-in
	// profile's, which the corpus run does not turn on.
	var ids []string
	for _, r := range catalog.All() {
		if r.Run != nil && r.Profile == "" {
			ids = append(ids, r.ID)
		}
	}
	files := map[string]bool{}
	for _, e := range got {
		files[e.File] = true
	}
	fmt.Fprintf(w, "precision on %s: %d findings in %d of its files, against %s\n\n", dir, len(got), len(files), expectedPath)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rule\tfindings\ttrue positives\tfalse positives\tunreviewed\tprecision\t")
	var quiet []string
	var total corpus.RulePrecision
	for _, r := range corpus.Precision(ids, expected, got) {
		if r.Findings == 0 && slices.Contains(ids, r.Rule) {
			quiet = append(quiet, r.Rule)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.2f\t\n", r.Rule, r.Findings, r.TruePositives, r.FalsePositives, r.Unreviewed+r.Unexpected, r.Ratio())
		total.Findings += r.Findings
		total.TruePositives += r.TruePositives
		total.FalsePositives += r.FalsePositives
		total.Unreviewed += r.Unreviewed + r.Unexpected
	}
	fmt.Fprintf(tw, "all\t%d\t%d\t%d\t%d\t%.2f\t\n", total.Findings, total.TruePositives, total.FalsePositives, total.Unreviewed, total.Ratio())
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d of the %d file rules that run by default give no finding on the corpus: %v\n", len(quiet), len(ids), quiet)
	if total.Unreviewed > 0 {
		fmt.Fprintf(w, "%d findings are not reviewed: run 'go test ./pipeline -run TestCorpusExpectations -update' and review the rows marked UNREVIEWED\n", total.Unreviewed)
	}
	return nil
}
