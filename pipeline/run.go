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
	// Each outcome keeps the findings and counts of one file, not its text or its parse: at most
	// GOMAXPROCS files are in memory at once.
	type outcome struct {
		name          string
		data          []byte // only with KeepSources
		script        bool
		docs, skipped int
		findings      []lint.Finding
		err           error
	}
	related := p.related(inputs)
	outcomes := make([]outcome, len(inputs.List))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, in := range inputs.List {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			o := &outcomes[i]
			o.name, o.script = in.Name, in.Script
			src, err := p.Read(in)
			if err != nil {
				o.err = err
				return
			}
			res, err := p.lint(ctx, src, lint.ObjectOptions{Related: related})
			if err != nil {
				o.err = err
				return
			}
			for i := range res.Findings {
				res.Findings[i].Doc, res.Findings[i].Node = nil, nil // they would keep the parse alive
			}
			o.docs, o.skipped, o.findings = len(res.File.Docs)+len(res.File.Objects), res.File.Skipped, res.Findings
			if p.cfg.KeepSources {
				o.data = src.Data
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
		if o.script {
			scripts++
		}
		if o.data != nil {
			rep.Sources[o.name] = o.data
		}
		rep.Files = append(rep.Files, o.name)
		rep.Summary.Files++
		rep.Summary.Documents += o.docs
		rep.Summary.Skipped += o.skipped
		rep.Findings = append(rep.Findings, o.findings...)
	}
	lint.SortFindings(rep.Findings)
	rep.Summary.Count(rep.Findings)
	if len(run.Errors) == 0 && rep.Summary.Documents == 0 && scripts == 0 && inputs.Excluded == 0 && inputs.NotRegular == 0 && !p.cfg.AsWalked {
		run.Errors = append(run.Errors, fmt.Errorf("no kubeadm, kubelet or kube-proxy configuration found in %v", args))
	}
	rep.Errors = run.Errors
	return run
}

// related indexes the Cluster API objects of the run, which give the Cluster API templates of any
// file their version and networking: a MachineDeployment in one file names the release of the
// KubeadmConfigTemplate in another; and the control-plane configuration files of the run, which
// a ClusterConfiguration's flags name, with those flags. Only files that mention Cluster API,
// kubeadm or the groups of those files are parsed, once more each; stdin cannot be read twice and is indexed when it is linted.
func (p *Pipeline) related(inputs *Inputs) *lint.Related {
	r := &lint.Related{}
	for _, in := range inputs.List {
		if in.Script || in.Name == StdinName {
			continue
		}
		if src, err := p.Read(in); err == nil {
			r.Add(src.Name, src.Data)
		}
	}
	return r
}
