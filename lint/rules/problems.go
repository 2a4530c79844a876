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

// reportIgnores returns the Run function of a rule about suppression comments: it reports the
// problems of the comments that the Linter recorded under the rule's ID.
func reportIgnores(p *lint.Pass) {
	for _, pr := range p.File.Ignores {
		if pr.Rule == p.Rule.ID {
			p.Report(nil, lint.Finding{Pos: pr.Pos, Message: pr.Message, Hint: pr.Hint})
		}
	}
}
