package rules_test

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestPlaceholdersInitDefaults holds the generated placeholder table to what the real kubeadm
// v1.37.2 printed (testdata/cis): each placeholder is found, at its line, and nothing else.
func TestPlaceholdersInitDefaults(t *testing.T) {
	var lines []int
	for _, f := range lintCIS(t, filepath.Join("..", "..", "testdata", "cis", "init-defaults-v1.37.2.yaml")) {
		if f.Rule == "KL014" {
			lines = append(lines, f.Pos.Line)
		}
	}
	if want := []int{7, 14, 20}; !slices.Equal(lines, want) {
		t.Errorf("KL014 on kubeadm's init-defaults at lines %v, want %v (token, advertiseAddress, node name)", lines, want)
	}
}
