package rules

import (
	"fmt"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL002 = &lint.Rule{
	ID:       "KL002",
	Name:     "api-version",
	Summary:  "the kubeadm API version is removed or deprecated in the target release",
	Severity: lint.SeverityError,
	Also:     []lint.Severity{lint.SeverityWarning},
	Run:      reportAPIVersions,
	Doc: doc(`
Every kubeadm release reads a fixed set of API versions. v1beta2 and older are gone; the
message names the last release that can still migrate them. kubeadm v1.37 rejects v1beta3, which
v1.35 and v1.36 still read with a deprecation warning, so with --kubernetes-version v1.35 or v1.36
a v1beta3 document gets a warning instead of an error.

v1beta3 documents are still linted in full: they are migrated to v1beta4 in memory, and every
finding points at the line in the v1beta3 file. 'kubeadm-lint fix --migrate' writes the migration.`, `
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    audit-log-maxage: "30"`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: audit-log-maxage
    value: "30"`, `kubeadm's validateSupportedVersion; the v1beta4 package documentation.`),
}

// reportAPIVersions reports an old API version once per file, at its first document: the file
// is migrated as a whole, so the other documents of that version are counted in the hint.
func reportAPIVersions(p *lint.Pass) {
	type first struct {
		doc   *lint.Document
		pr    lint.Problem
		count int
	}
	seen := map[string]*first{}
	var order []string
	for _, d := range p.File.Docs {
		for _, pr := range d.Problems {
			if pr.Code != lint.ProblemAPIVersion {
				continue
			}
			if f := seen[d.APIVersion]; f != nil {
				f.count++
				continue
			}
			seen[d.APIVersion] = &first{doc: d, pr: pr, count: 1}
			order = append(order, d.APIVersion)
		}
	}
	for _, v := range order {
		f := seen[v]
		hint := f.pr.Hint
		if hint == "" {
			hint = "run 'kubeadm-lint fix --migrate' to rewrite the file as kubeadm.k8s.io/v1beta4, keeping its comments"
			if _, version := splitGroupVersion(v); version != "v1beta3" {
				hint = "rewrite the file as kubeadm.k8s.io/v1beta3 with 'kubeadm config migrate' of the release the message names, then run 'kubeadm-lint fix --migrate'"
			}
		}
		if f.count > 1 {
			hint += fmt.Sprintf("; %d documents of this file use %s", f.count, v)
		}
		p.Report(f.doc, lint.Finding{Path: f.pr.Path, Node: f.pr.Node, Message: f.pr.Message, Hint: hint, Severity: f.pr.Severity})
	}
}

// splitGroupVersion splits "group/version".
func splitGroupVersion(apiVersion string) (group, version string) {
	for i := len(apiVersion) - 1; i >= 0; i-- {
		if apiVersion[i] == '/' {
			return apiVersion[:i], apiVersion[i+1:]
		}
	}
	return "", apiVersion
}
