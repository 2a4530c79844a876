package lint_test

import (
	"context"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

func TestConfigSeverityAndDisabled(t *testing.T) {
	src := lint.Source{Name: "overlap.yaml", Data: []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrolPlaneEndpoint: k8s.example.com\nnetworking:\n  podSubnet: 10.0.0.0/8\n")}
	tests := map[string]struct {
		cfg  lint.Config
		want map[string]lint.Severity
	}{
		"defaults": {
			cfg:  lint.Config{Rules: rules.All()},
			want: map[string]lint.Severity{"KL101": lint.SeverityError},
		},
		"a severity override": {
			cfg:  lint.Config{Rules: rules.All(), Severity: map[string]lint.Severity{"KL101": lint.SeverityInfo}},
			want: map[string]lint.Severity{"KL101": lint.SeverityInfo},
		},
		"a disabled rule": {
			cfg:  lint.Config{Rules: rules.All(), Disabled: map[string]bool{"KL101": true}},
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
	if _, err := lint.New(lint.Config{Rules: rules.All(), Disabled: map[string]bool{"KL999": true}}); err == nil {
		t.Error("disabling an unknown rule must fail")
	}
}
