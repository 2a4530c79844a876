package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmitCommand(t *testing.T) {
	tests := []struct {
		name        string
		version     []string
		wantCode    int
		wantFiles   []string
		wantVersion string
		wantStderr  []string
	}{
		{name: "the default target gets v1 and the kube-proxy patch", wantFiles: []string{"kubeproxydaemonset+strategic.yaml", "mutating-admission-policy.yaml"}, wantVersion: "admissionregistration.k8s.io/v1\n"},
		{name: "v1.36 gets v1 and a note that kubeadm has no kube-proxy patch target", version: []string{"--kubernetes-version", "v1.36"}, wantFiles: []string{"mutating-admission-policy.yaml"}, wantVersion: "admissionregistration.k8s.io/v1\n", wantStderr: []string{"no kubeproxydaemonset patch target"}},
		{name: "v1.35 gets v1beta1 and a note that the gate is off by default", version: []string{"--kubernetes-version", "v1.35.4"}, wantFiles: []string{"mutating-admission-policy.yaml"}, wantVersion: "admissionregistration.k8s.io/v1beta1\n", wantStderr: []string{"no kubeproxydaemonset", "off by default on v1.35"}},
		{name: "v1.33 is refused", version: []string{"--kubernetes-version", "v1.33"}, wantCode: 2, wantStderr: []string{"needs v1.34 or later"}},
		{name: "a version that is no version is refused", version: []string{"--kubernetes-version", "stable"}, wantCode: 2, wantStderr: []string{`"stable"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"emit", "--dir", dir}, tt.version...), strings.NewReader(""), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr.String())
				}
			}
			if len(tt.wantStderr) == 0 && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", stderr.String())
			}
			entries, _ := os.ReadDir(dir)
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if strings.Join(got, " ") != strings.Join(tt.wantFiles, " ") {
				t.Errorf("wrote %q, want %q", got, tt.wantFiles)
			}
			if tt.wantVersion == "" {
				return
			}
			policy, err := os.ReadFile(filepath.Join(dir, "mutating-admission-policy.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(policy), "apiVersion: "+tt.wantVersion); n != 2 {
				t.Errorf("%d documents in apiVersion %s, want 2:\n%s", n, tt.wantVersion, policy)
			}
		})
	}
}
