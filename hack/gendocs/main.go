// Command gendocs writes docs/rules/KLnnn.md and the rule table in README.md from the rule values.
// Run it with 'make docs'; a test fails when the committed files drift.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

func main() {
	if err := run("."); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	dir := filepath.Join(root, "docs", "rules")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "KL*.md"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	for _, r := range rules.All() {
		if err := os.WriteFile(filepath.Join(dir, r.ID+".md"), []byte(rules.Markdown(r)), 0o644); err != nil {
			return err
		}
	}
	readme := filepath.Join(root, "README.md")
	data, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	updated, err := rules.ReplaceTable(string(data))
	if err != nil {
		return fmt.Errorf("%s: %w", readme, err)
	}
	return os.WriteFile(readme, []byte(updated), 0o644)
}
