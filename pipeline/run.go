package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
)

// Run is the outcome of linting what args name.
type Run struct {
	Report *output.Report
	// Errors are the inputs that could not be looked at, read or linted. Any of them makes the
	// run fail with exit code 2, whatever the findings.
	Errors []error
}

// Failed reports whether the run has findings at or above the pipeline's FailOn.
func (p *Pipeline) Failed(r *Run) bool {
	for _, f := range r.Report.Findings {
		if f.Severity >= p.FailOn {
			return true
		}
	}
	return false
}

// Run discovers, reads and lints the inputs that args name, in parallel, and summarises the
// findings in a sorted report.
func (p *Pipeline) Run(ctx context.Context, args []string) *Run {
	inputs := p.Discover(args)
	type outcome struct {
		src lint.Source
		res *lint.Result
		err error
	}
	outcomes := make([]outcome, len(inputs.List))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, in := range inputs.List {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			o := &outcomes[i]
			if o.src, o.err = p.Read(in); o.err == nil {
				o.res, o.err = p.Lint(ctx, o.src)
			}
		}()
	}
	wg.Wait()

	run := &Run{Report: &output.Report{Sources: map[string][]byte{}, Rules: p.cfg.Rules}, Errors: inputs.Errors}
	rep, scripts := run.Report, 0
	rep.Summary.NotRegular = inputs.NotRegular
	for _, o := range outcomes {
		if o.err != nil {
			run.Errors = append(run.Errors, o.err)
			continue
		}
		if o.src.Script {
			scripts++
		}
		rep.Sources[o.src.Name] = o.src.Data
		rep.Summary.Files++
		rep.Summary.Documents += len(o.res.File.Docs)
		rep.Summary.Skipped += o.res.File.Skipped
		rep.Findings = append(rep.Findings, o.res.Findings...)
	}
	rep.Errors = run.Errors
	lint.SortFindings(rep.Findings)
	rep.Summary.Count(rep.Findings)
	if len(run.Errors) == 0 && rep.Summary.Documents == 0 && scripts == 0 && inputs.Excluded == 0 && inputs.NotRegular == 0 && !p.cfg.AsWalked {
		run.Errors = append(run.Errors, fmt.Errorf("no kubeadm, kubelet or kube-proxy configuration found in %v", args))
		rep.Errors = run.Errors
	}
	return run
}
