package lint_test

import (
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

func TestParseTarget(t *testing.T) {
	supported := strings.Join(release.Supported(), ", ")
	tests := []struct {
		name      string
		in        string
		wantMinor int
		wantErr   string
	}{
		{name: "a release with a v", in: "v1.37", wantMinor: 37},
		{name: "a release without a v", in: "1.36", wantMinor: 36},
		{name: "a patch release stands for its minor release", in: "v1.35.4", wantMinor: 35},
		{name: "a word is not a release", in: "banana", wantErr: `invalid kubernetes version "banana": want a release such as v1.37`},
		{name: "a major version alone is not a release", in: "v1", wantErr: `invalid kubernetes version "v1": want a release such as v1.37`},
		{name: "a major version other than 1 is not a release", in: "2.0", wantErr: `invalid kubernetes version "2.0": want a release such as v1.37`},
		{name: "nothing is not a release", in: "", wantErr: `invalid kubernetes version "": want a release such as v1.37`},
		{name: "an old release with history tables only is unsupported", in: "v1.34", wantErr: `unsupported kubernetes version "v1.34": kubeadm-lint knows ` + supported + `; lint a config written for an older release with --kubernetes-version ` + release.Supported()[0] + `, run 'kubeadm-lint fix --migrate' to move it to kubeadm.k8s.io/v1beta4, and upgrade the cluster one minor release at a time`},
		{name: "a future release is unsupported", in: "1.99", wantErr: `unsupported kubernetes version "1.99": kubeadm-lint knows ` + supported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := lint.ParseTarget(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Minor != tt.wantMinor {
				t.Errorf("minor %d, want %d", r.Minor, tt.wantMinor)
			}
		})
	}
}
