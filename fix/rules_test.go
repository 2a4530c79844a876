package fix_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/fix"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/linttest"
)

func allRules() []*lint.Rule { return catalog.All() }

// TestRuleFixGoldens fixes each rule case of testdata/rules with its rule alone. A case that fix
// changes has the result beside it as NAME.golden, and one that fix leaves alone has none, so
// that a rule's fix cannot change or disappear unnoticed. -update rewrites them.
func TestRuleFixGoldens(t *testing.T) {
	goldens := 0
	for _, r := range catalog.All() {
		cases, _ := filepath.Glob(filepath.Join("../testdata/rules", r.ID, "*.yaml"))
		for _, file := range cases {
			t.Run(r.ID+"/"+filepath.Base(file), func(t *testing.T) {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				opts, err := linttest.Options(string(data))
				if err != nil {
					t.Fatal(err)
				}
				l, err := lint.New(lint.Config{Rules: []*lint.Rule{r}, Options: opts})
				if err != nil {
					t.Fatal(err)
				}
				f, err := fix.New(fix.Config{Linter: l, Fixes: true})
				if err != nil {
					t.Fatal(err)
				}
				res, err := f.Fix(context.Background(), lint.Source{Name: filepath.Base(file), Data: data})
				var inputErr *lint.InputError
				switch {
				case errors.As(err, &inputErr):
					return // a case of invalid YAML
				case err != nil:
					t.Fatal(err)
				}
				path := strings.TrimSuffix(file, ".yaml") + ".golden"
				_, statErr := os.Stat(path)
				switch {
				case res.Changed():
					goldens++
					golden(t, path, res.After)
				case *update && statErr == nil:
					if err := os.Remove(path); err != nil {
						t.Fatal(err)
					}
				case statErr == nil:
					t.Errorf("fix changes nothing, but %s expects a change (rerun with -update if that is intended)", path)
				}
			})
		}
	}
	if goldens == 0 {
		t.Error("no rule case is fixed: the test proves nothing")
	}
}
