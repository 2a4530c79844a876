// Package audit checks a running kubeadm cluster through its API server. The kubeadm ConfigMaps
// are linted with the same core and rules as files, for the cluster's own release; the checks
// here look at what only a cluster has: nodes, certificate signing requests, the add-ons' Pods,
// the RBAC that 'kubeadm join' needs, admission webhooks and certificates.
//
// An audit only reads. It lists each resource type once, a page at a time, and keeps a summary
// of what it needs rather than the objects, so that its memory follows the findings, not the
// cluster's size.
package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Linter lints one kubeadm ConfigMap key as a file. pipeline.Pipeline is one: its settings
// apply to the ConfigMaps as they do to files.
type Linter interface {
	Lint(ctx context.Context, src lint.Source) (*lint.Result, error)
}

// Config configures an audit.
type Config struct {
	Client kubernetes.Interface
	// REST is the configuration Client was made from: the audit reads the API server's address
	// and the CA it trusts from it.
	REST *rest.Config
	// Linter returns the linter for a kubeadm release, "v1.37": the one the cluster runs.
	Linter func(release string) (Linter, error)
	// Rules are the catalog: the audit runs the checks of its cluster rules.
	Rules []*lint.Rule
	// Policy applies the settings file to the cluster rules, as to every other.
	Policy lint.Policy
	// Now is the time certificates and requests are judged at; zero is the time of the call.
	Now time.Time
	// PageSize is how many objects one list request asks for; zero is 500, as kubectl asks.
	PageSize int64
	// Upgrade is the path of releases 'kubeadm upgrade apply' is to take, "v1.36", "v1.37", one
	// step each; empty checks no upgrade.
	Upgrade []string
	// LinterAt returns the linter for a release whatever --kubernetes-version chose: the upgrade
	// lints for both ends of each step. Needed with Upgrade.
	LinterAt func(release string) (Linter, error)
}

// Report is what an audit found.
type Report struct {
	Findings []lint.Finding // sorted
	// Objects names what was linted or had findings, for formats that list every input.
	Objects []string
	// Sources holds the text of each linted ConfigMap key, by the name its findings carry.
	Sources map[string][]byte
	// Release is the kubeadm release the ConfigMaps were linted for.
	Release string
	// Checked counts the objects the audit read.
	Checked int
	// Upgrade lists the steps of the upgrade that were checked: "v1.36 to v1.37".
	Upgrade []string
}

// Run audits the cluster. An error means the API server could not be asked at all, or stopped
// answering; a request that RBAC forbids is a finding instead, and the other checks still run.
func Run(ctx context.Context, cfg Config) (rep *Report, err error) {
	// Whatever the API returns, a check must not take the process down.
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("internal error, please report it: %v", r)
		}
	}()
	if cfg.PageSize == 0 {
		cfg.PageSize = 500
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	if len(cfg.Upgrade) > 0 && cfg.LinterAt == nil {
		return nil, fmt.Errorf("an upgrade check needs Config.LinterAt")
	}
	a := &auditor{cfg: cfg, rep: &Report{Sources: map[string][]byte{}}, out: lint.NewCollector(cfg.Policy)}
	info, err := cfg.Client.Discovery().ServerVersion()
	if err != nil {
		return nil, fmt.Errorf("cannot reach the API server at %s: %w", cfg.REST.Host, err)
	}
	a.serverVersion = info.GitVersion
	for _, c := range checksOf(cfg.Rules) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := runs[c](a, ctx); err != nil {
			return nil, err
		}
	}
	a.out.Summarise(func(_ *lint.Rule, _ any, f lint.Finding) lint.Finding {
		f.Pos.File = "cluster"
		return f
	})
	a.rep.Findings = append(a.rep.Findings, a.out.Findings()...)
	lint.SortFindings(a.rep.Findings)
	a.rep.Objects = objects(a.rep)
	return a.rep, nil
}

// auditor is one audit's state: what the checks read, for the checks after them.
type auditor struct {
	cfg           Config
	rep           *Report
	serverVersion string
	cluster       clusterConfig
	nodeStats     *nodeSummary
	webhookStats  webhookSummary
	kubeSystem    labels.Set      // the kube-system namespace's labels
	out           *lint.Collector // the cluster rules' findings
	denied        []denial        // requests RBAC refused, for KL601
	sources       []lint.Source   // the kubeadm ConfigMaps' keys, for the upgrade
	// coreDNSVersion is the CoreDNS release the coredns Pods run, "1.14.2"; empty when unknown.
	coreDNSVersion string
	linters        map[string]Linter // by release, for the upgrade
}

// report adds a finding of rule r about object; a zero sev is the rule's severity. The
// collector applies the settings and caps each rule: five thousand nodes with one mistake are one
// finding repeated.
func (a *auditor) report(r *lint.Rule, sev lint.Severity, object, msg, hint string) {
	if a.out.Take(r, nil) {
		a.out.Add(r, lint.Finding{Severity: sev, Pos: lint.Position{File: object}, Message: msg, Hint: hint})
	}
}

// reportAt adds a finding of rule r at a position inside an object's text, at the rule's
// severity.
func (a *auditor) reportAt(r *lint.Rule, pos lint.Position, path, hint, msg string) {
	if a.out.Take(r, nil) {
		a.out.Add(r, lint.Finding{Pos: pos, Path: path, Message: msg, Hint: hint})
	}
}

// reportf reports at the rule's severity.
func (a *auditor) reportf(r *lint.Rule, object, hint, format string, args ...any) {
	a.report(r, 0, object, fmt.Sprintf(format, args...), hint)
}

// objects lists the linted ConfigMap keys and every object with a finding, sorted.
func objects(rep *Report) []string {
	seen := map[string]bool{}
	for name := range rep.Sources {
		seen[name] = true
	}
	for _, f := range rep.Findings {
		seen[f.Pos.File] = true
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ref names an object as kubectl does: "node/cp-1", "configmap/kube-system/kubeadm-config".
func ref(kind, namespace, name string) string {
	if namespace == "" {
		return strings.ToLower(kind) + "/" + name
	}
	return strings.ToLower(kind) + "/" + namespace + "/" + name
}
