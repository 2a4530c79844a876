package rules

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Lookup finds a rule by ID (case-insensitive) or by name.
func Lookup(key string) *lint.Rule {
	for _, r := range All() {
		if strings.EqualFold(r.ID, key) || r.Name == key {
			return r
		}
	}
	return nil
}

// Markdown renders a rule's documentation page. docs/rules/KLnnn.md and 'kubeadm-lint explain'
// both come from here.
func Markdown(r *lint.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", r.ID, r.Name)
	fmt.Fprintf(&b, "%s.\n\n", capitalize(r.Summary))
	fmt.Fprintf(&b, "- Default severity: %s\n", r.Severity)
	if len(r.Kinds) > 0 {
		fmt.Fprintf(&b, "- Applies to: %s\n", strings.Join(r.Kinds, ", "))
	}
	fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(r.Doc))
	return b.String()
}

// Table renders the rule list as a markdown table for the README.
func Table(rs []*lint.Rule) string {
	var b strings.Builder
	b.WriteString("| ID | Name | Severity | What it catches |\n|---|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| [%s](docs/rules/%s.md) | %s | %s | %s |\n", r.ID, r.ID, r.Name, r.Severity, r.Summary)
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
