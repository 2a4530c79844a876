package lint_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

func TestInputErrorFinding(t *testing.T) {
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
		want lint.Finding
	}{
		{
			name: "invalid YAML is a KL001 error at the line the parser reports",
			data: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n\tpodSubnet: 10.244.0.0/16\n",
			want: lint.Finding{Rule: "KL001", Severity: lint.SeverityError, Pos: lint.Position{File: "cm.yaml", Line: 4, Column: 1},
				Message: "invalid YAML: found character that cannot start any token"},
		},
		{
			name: "aliases that expand past the limit are a KL001 error at the alias",
			data: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: &n " + strings.Repeat("x", 100_000) +
				"\napiServer:\n  certSANs:\n" + strings.Repeat("  - *n\n", 3),
			want: lint.Finding{Rule: "KL001", Severity: lint.SeverityError, Pos: lint.Position{File: "cm.yaml", Line: 7, Column: 1}, // the second alias passes the source's size plus 64 KiB
				Message: "YAML aliases and merge keys expand the source by more than its own size plus 64 KiB"},
		},
		{
			name: "an empty source is a KL001 error about the whole source",
			data: "\n",
			want: lint.Finding{Rule: "KL001", Severity: lint.SeverityError, Pos: lint.Position{File: "cm.yaml"}, Message: "empty file"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Lint(context.Background(), lint.Source{Name: "cm.yaml", Data: []byte(tt.data)})
			var inputErr *lint.InputError
			if !errors.As(err, &inputErr) {
				t.Fatalf("got %v, want an *lint.InputError", err)
			}
			if diff := cmp.Diff(tt.want, inputErr.Finding()); diff != "" {
				t.Errorf("finding (-want +got):\n%s", diff)
			}
		})
	}
}
