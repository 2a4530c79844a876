package lint_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCoreImports keeps the core a library: only the webhook and the binaries may import the
// webhook SDK, Prometheus or net/http. kubeadm's own packages bring client-go in transitively,
// which DESIGN.md accepts; this checks what the core itself imports.
func TestCoreImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			if imp == "net/http" || strings.HasPrefix(imp, "github.com/slok/kubewebhook") || strings.HasPrefix(imp, "github.com/prometheus/") {
				t.Errorf("%s imports %s; the lint core must not", pkg, imp)
			}
		}
	}
}
