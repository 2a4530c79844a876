package lint_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

func TestConfigSeverityAndDisabled(t *testing.T) {
	src := lint.Source{Name: "overlap.yaml", Data: []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.2\ncontrolPlaneEndpoint: k8s.example.com\nnetworking:\n  podSubnet: 10.0.0.0/8\n")}
	tests := map[string]struct {
		cfg  lint.Config
		want map[string]lint.Severity
	}{
		"defaults": {
			cfg:  lint.Config{Rules: catalog.All()},
			want: map[string]lint.Severity{"KL101": lint.SeverityError},
		},
		"a severity override": {
			cfg:  lint.Config{Rules: catalog.All(), Policy: lint.Policy{Severity: map[string]lint.Severity{"KL101": lint.SeverityInfo}}},
			want: map[string]lint.Severity{"KL101": lint.SeverityInfo},
		},
		"a disabled rule": {
			cfg:  lint.Config{Rules: catalog.All(), Policy: lint.Policy{Disabled: map[string]bool{"KL101": true}}},
			want: map[string]lint.Severity{},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			l, err := lint.New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.Lint(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]lint.Severity{}
			for _, f := range res.Findings {
				got[f.Rule] = f.Severity
			}
			if len(got) != len(tt.want) || got["KL101"] != tt.want["KL101"] {
				t.Errorf("got findings %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := lint.New(lint.Config{Rules: catalog.All(), Policy: lint.Policy{Disabled: map[string]bool{"KL999": true}}}); err == nil {
		t.Error("disabling an unknown rule must fail")
	}
}

// TestFindingsCappedPerRule: a rule reports at most MaxFindingsPerRule findings in a document, and
// one more that counts the rest.
func TestFindingsCappedPerRule(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  certSANs:\n")
	for i := range 250 {
		fmt.Fprintf(&b, "  - bad_%d!\n", i)
	}
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Lint(context.Background(), lint.Source{Name: "in.yaml", Data: []byte(b.String())})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var last lint.Finding
	for _, f := range res.Findings {
		if f.Rule == "KL008" {
			n++
			if strings.Contains(f.Message, "more") {
				last = f
			}
		}
	}
	if n != lint.MaxFindingsPerRule+1 || last.Message != "150 more KL008 findings in this document are not shown" || last.Pos.Line != 2 {
		t.Errorf("%d KL008 findings, the count %q at line %d; want %d and 150 more at the kind, line 2", n, last.Message, last.Pos.Line, lint.MaxFindingsPerRule+1)
	}
}
