package lint_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

// TestV1beta3FindingsLandWhereV1beta4Ones: the same mistakes written in v1beta3 and in
// v1beta4 must be reported at the same lines and columns, through the migration.
func TestV1beta3FindingsLandWhereV1beta4Ones(t *testing.T) {
	places := func(file string) map[string]bool {
		data, err := os.ReadFile("../testdata/parity/cases/" + file)
		if err != nil {
			t.Fatal(err)
		}
		l, err := lint.New(lint.Config{Rules: rules.All(), Options: lint.Options{KubernetesVersion: "v1.36"}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.Lint(context.Background(), lint.Source{Name: file, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, f := range res.Findings {
			if f.Rule != "KL002" { // the API version itself differs
				out[fmt.Sprintf("%s %d:%d", f.Rule, f.Pos.Line, f.Pos.Column)] = true
			}
		}
		return out
	}
	v4, v3 := places("v1beta4-three-errors.yaml"), places("v1beta3-three-errors.yaml")
	for _, want := range []string{"KL008 6:3", "KL008 11:5", "KL005 12:3"} {
		if !v4[want] {
			t.Errorf("v1beta4: no finding %s; got %v", want, v4)
		}
	}
	if fmt.Sprint(v3) != fmt.Sprint(v4) {
		t.Errorf("v1beta3 findings %v differ from v1beta4 findings %v", v3, v4)
	}
}
