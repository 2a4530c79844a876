package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

// reportProblems returns a Run function that reports what decoding and kubeadm's validation
// recorded under code. The KL0xx rules are these reports, so that they can be configured, ignored
// and documented like any other rule.
func reportProblems(code lint.ProblemCode) func(*lint.Pass) {
	return func(p *lint.Pass) {
		for _, d := range p.File.Docs {
			for _, pr := range d.Problems {
				if pr.Code == code {
					p.Report(d, lint.Finding{Path: pr.Path, Node: pr.Node, Message: pr.Message, Hint: pr.Hint, Severity: pr.Severity})
				}
			}
			p.Omit(d, d.Omitted(code))
		}
	}
}
