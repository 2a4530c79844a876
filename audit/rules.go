package audit

import (
	"context"
	"slices"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Pass is the name of the cluster pass, which Run drives: the lint.Check of every cluster rule is
// one of its checks.
const Pass = "cluster"

// check is the code of one or more cluster rules: it reads what it needs, a page at a time, and
// reports. A check runs whenever the audit does, even when its rules are off, because later checks
// read what it read; the rules' settings apply where the findings are collected. Checks run in
// the order of their values: the first ones read what later ones need.
type check int

const (
	checkConfigMaps check = iota + 1
	checkNodes
	checkWebhooks
	checkKubeProxy
	checkCoreDNS
	// checkUpgrade reads what the ConfigMaps, nodes and CoreDNS checks read.
	checkUpgrade
	checkServingCSRs
	checkJoin
	checkCertificates
	// checkForbidden runs last: it reports the requests the other checks were refused.
	checkForbidden
)

// Pass makes a check the lint.Check of a cluster rule.
func (check) Pass() string { return Pass }

// runs holds each check's code. A table, not a field of check, since the rules name their check
// and the code reports those rules.
var runs = map[check]func(*auditor, context.Context) error{
	checkConfigMaps:   (*auditor).configMaps,
	checkNodes:        (*auditor).nodes,
	checkWebhooks:     (*auditor).webhooks,
	checkKubeProxy:    (*auditor).kubeProxy,
	checkCoreDNS:      (*auditor).coreDNS,
	checkUpgrade:      (*auditor).upgrade,
	checkServingCSRs:  (*auditor).servingCSRs,
	checkJoin:         (*auditor).join,
	checkCertificates: (*auditor).certificates,
	checkForbidden:    (*auditor).reportDenied,
}

// checksOf returns the checks of the cluster rules among rules, once each, in their order.
func checksOf(rules []*lint.Rule) []check {
	var out []check
	for _, r := range rules {
		if c, ok := r.Check.(check); ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}
