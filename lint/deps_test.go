package lint_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// corePackages is how many non-standard packages the core (lint and lint/...) builds from,
// itself included, for linux/amd64. Every one of them is compiled into each user of the library
// and adds to the init time of both binaries, so the number may change only on purpose.
const corePackages = 1266 // internal/wantcomment, which lint/linttest shares with audit/audittest

const module = "github.com/kubeadm-lint/kubeadm-lint/"

// TestCoreImports keeps the core a library: only the webhook and the binaries may import the
// webhook SDK, Prometheus or net/http.
//
// kubeadm's, the kubelet's and kube-proxy's validation bring client-go in transitively, which
// the dependency rule in docs/architecture.md accepts. They also bring the Prometheus client
// (through k8s.io/component-base/metrics) and HTTP server code (k8s.io/apiserver/pkg/server and
// net/http/pprof, through the kubelet's config defaults), so those are forbidden in the core's own
// imports only; the package count keeps the rest from growing unnoticed.
func TestCoreImports(t *testing.T) {
	own := goList(t, "-f", `{{.ImportPath}}: {{join .Imports " "}}`)
	for _, line := range own {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			if imp == "net/http" || strings.HasPrefix(imp, "net/http/") || isKubewebhook(imp) || strings.HasPrefix(imp, "github.com/prometheus/") {
				t.Errorf("%s imports %s; the lint core must not", pkg, imp)
			}
		}
	}

	deps := goList(t, "-deps", "-f", `{{if not .Standard}}{{.ImportPath}}{{end}}`)
	for _, dep := range deps {
		switch {
		case isKubewebhook(dep):
			t.Errorf("the lint core depends on %s; only webhook/ may", dep)
		case strings.HasPrefix(dep, module) && !strings.HasPrefix(dep, module+"lint") && !strings.HasPrefix(dep, module+"internal/"):
			// internal/ holds what the core shares with fix: the migration table, the YAML text scanner.
			t.Errorf("the lint core depends on %s, outside lint/... and internal/", strings.TrimPrefix(dep, module))
		}
	}
	if len(deps) != corePackages {
		t.Errorf("the lint core builds from %d non-standard packages; this test records %d. "+
			"If the change in dependencies is deliberate, set corePackages in lint/deps_test.go to %d. "+
			"('go list -deps ./lint/...' lists them.)", len(deps), corePackages, len(deps))
	}
}

func isKubewebhook(path string) bool { return strings.HasPrefix(path, "github.com/slok/kubewebhook") }

// goList runs 'go list' on the core for linux/amd64, whatever the machine, so that the package
// count does not depend on where the test runs. It returns the non-empty lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append(append([]string{"list"}, args...), "./...")...)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
