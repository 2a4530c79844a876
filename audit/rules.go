package audit

import "github.com/kubeadm-lint/kubeadm-lint/lint"

// checks run in this order: each of the first three reads what later ones need.
var checks = []check{
	(*auditor).configMaps,
	(*auditor).nodes,
	(*auditor).webhooks,
	(*auditor).kubeProxy,
	(*auditor).coreDNS,
	(*auditor).servingCSRs,
	(*auditor).join,
	(*auditor).certificates,
}

// rules are the cluster rules, in ID order. A check may report several.
var rules = []*lint.Rule{
	ruleForbidden, ruleConfigMap, ruleKubeProxy, ruleCoreDNSPending, ruleCoreDNSCrash,
	ruleSharedIP, ruleNATIP, ruleSkew, ruleNotReady, ruleServingCSR,
	ruleGetNodes, ruleClusterInfo, ruleWebhook, ruleExpiry, ruleVersion,
}

var byID = func() map[string]*lint.Rule {
	m := map[string]*lint.Rule{}
	for _, r := range rules {
		m[r.ID] = r
	}
	return m
}()

// Rules returns the cluster rules. They have no Run: the linter lists them, so that settings and
// 'kubeadm-lint rules' know them, but only an audit runs them.
func Rules() []*lint.Rule { return rules }
