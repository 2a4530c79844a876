package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

// lintCIS lints a file with every rule and the CIS profile on, for kubeadm v1.37.
func lintCIS(t *testing.T, file string) []lint.Finding {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: "v1.37", Profiles: []string{rules.ProfileCIS}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Lint(context.Background(), lint.Source{Name: filepath.Base(file), Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

// TestCISInitDefaults lints the configuration the real kubeadm v1.37.2 prints with
// 'kubeadm config print init-defaults --component-configs KubeletConfiguration,KubeProxyConfiguration'
// (testdata/cis): the profile must report exactly the controls whose docs say that kubeadm's
// defaults fail them, each once, so that what a rule page claims about kubeadm is what kubeadm
// does.
func TestCISInitDefaults(t *testing.T) {
	found := map[string]int{}
	for _, f := range lintCIS(t, filepath.Join("..", "..", "testdata", "cis", "init-defaults-v1.37.2.yaml")) {
		if r := rules.Lookup(catalog.All(), f.Rule); r.Profile == rules.ProfileCIS {
			found[f.Rule]++
			if len(f.References) != 1 || f.References[0].Standard != "cis-1.12" {
				t.Errorf("%s: finding carries references %v, want its CIS control", f.Rule, f.References)
			}
		}
	}
	fails := 0
	for _, r := range rules.InProfile(catalog.All(), rules.ProfileCIS) {
		claims := strings.Contains(r.Doc, "kubeadm's defaults fail this control")
		if claims {
			fails++
		}
		switch n := found[r.ID]; {
		case claims && n != 1:
			t.Errorf("%s (CIS %s): the doc says kubeadm's defaults fail it, and init-defaults gets %d findings", r.ID, r.References[0].ID, n)
		case !claims && n != 0:
			t.Errorf("%s (CIS %s): the doc says kubeadm's defaults pass it, and init-defaults gets %d findings", r.ID, r.References[0].ID, n)
		}
	}
	if fails < 10 {
		t.Errorf("only %d controls fail on kubeadm's defaults; the table of controls lost its failsByDefault marks", fails)
	}
	if n := len(rules.InProfile(catalog.All(), rules.ProfileCIS)); n < 30 {
		t.Errorf("the CIS profile has %d controls, want at least 30", n)
	}
}

// TestCISHardenedExample holds the shipped hardened example to passing every control, and to no
// warning or error of any other rule.
func TestCISHardenedExample(t *testing.T) {
	for _, f := range lintCIS(t, filepath.Join("..", "..", "testdata", "examples", "cis-hardened.yaml")) {
		if r := rules.Lookup(catalog.All(), f.Rule); r.Profile != "" || f.Severity >= lint.SeverityWarning {
			t.Errorf("%s: %s %s: %s", f.Pos, f.Severity, f.Rule, f.Message)
		}
	}
}

// TestProfileOff keeps the profile opt-in: without it, none of its rules runs.
func TestProfileOff(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cis", "init-defaults-v1.37.2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Lint(context.Background(), lint.Source{Name: "init-defaults.yaml", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(res.Findings, func(f lint.Finding) bool { return rules.Lookup(catalog.All(), f.Rule).Profile != "" }); i >= 0 {
		t.Errorf("without --profile, %s reported: %s", res.Findings[i].Rule, res.Findings[i].Message)
	}
}
