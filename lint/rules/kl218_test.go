package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/linttest"
)

// TestOneConfigurationAllCases: one ClusterConfiguration that carries every case of the
// components' own option checks gets an error on each of its extraArgs values, at v1.37 and at
// v1.36, and the same flags with values the components accept get none, from any rule. A value
// whose comment begins "needed:" turns a backend on for the next ones and is valid itself.
func TestOneConfigurationAllCases(t *testing.T) {
	for _, name := range []string{"fail_all_cases.yaml", "fail_all_cases_v136.yaml", "pass_all_cases.yaml", "pass_all_cases_v136.yaml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(testdata, "KL218", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			opts, err := linttest.Options(string(data))
			if err != nil {
				t.Fatal(err)
			}
			l, err := lint.New(lint.Config{Rules: catalog.All(), Options: opts})
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.Lint(context.Background(), lint.Source{Name: name, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			errorsOn := map[int][]string{}
			for _, f := range res.Findings {
				if f.Severity == lint.SeverityError {
					errorsOn[f.Pos.Line] = append(errorsOn[f.Pos.Line], f.Rule+" "+f.Message)
				}
			}
			values := 0
			for i, line := range strings.Split(string(data), "\n") {
				if !strings.HasPrefix(strings.TrimSpace(line), "value:") || strings.Contains(line, "# needed:") {
					continue
				}
				values++
				switch found := errorsOn[i+1]; {
				case strings.HasPrefix(name, "fail_") && len(found) == 0:
					t.Errorf("%s:%d: no error on %s", name, i+1, strings.TrimSpace(line))
				}
			}
			if strings.HasPrefix(name, "pass_") && len(errorsOn) > 0 {
				t.Errorf("%s: errors by line %v", name, errorsOn)
			}
			if values < 18 {
				t.Errorf("%s holds %d values; it should carry every case", name, values)
			}
		})
	}
}
