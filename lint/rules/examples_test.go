package rules_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var goodExample = regexp.MustCompile("(?s)\nGood:\n\n```yaml\n(.*?)\n```")

// TestGoodExamples holds each rule's documented good example, which 'explain' shows as the
// remedy, to producing no finding of that rule.
func TestGoodExamples(t *testing.T) {
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range catalog.All() {
		if r.Pass() != lint.FilePass {
			continue // a cluster rule's good example is a cluster's state, not a file
		}
		m := goodExample.FindStringSubmatch(r.Doc)
		if m == nil {
			t.Errorf("%s: no good example in its doc", r.ID)
			continue
		}
		res, err := l.Lint(context.Background(), lint.Source{Name: r.ID + "-good.yaml", Data: []byte(m[1])})
		if err != nil || res == nil {
			continue // a fragment, not a whole file: nothing to run
		}
		for _, f := range res.Findings {
			if f.Rule == r.ID {
				t.Errorf("%s: its good example gets %s at line %d: %s", r.ID, f.Rule, f.Pos.Line, f.Message)
			}
		}
	}
}
