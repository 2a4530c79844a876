package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartupErrors checks that each way start-up can fail exits non-zero with one line that
// names the problem.
func TestStartupErrors(t *testing.T) {
	dir := t.TempDir()
	certs := filepath.Join(dir, "certs")
	if code := run([]string{"certs", "--dir", certs}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("certs exited %d", code)
	}
	badConfig := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badConfig, []byte("listen: \":8443\"\nkubeProxi: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tls := []string{"--tls-cert-file", filepath.Join(certs, "tls.crt"), "--tls-key-file", filepath.Join(certs, "tls.key"), "--health-listen", "127.0.0.1:0"}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantLine string
	}{
		{name: "an unknown field in the config file", args: []string{"--config", badConfig}, wantCode: 1, wantLine: `unknown field "kubeProxi"`},
		{name: "a missing config file", args: []string{"--config", filepath.Join(dir, "none.yaml")}, wantCode: 1, wantLine: "reading config"},
		{name: "a bad mode", args: append([]string{"--mode", "deny"}, tls...), wantCode: 1, wantLine: `configMaps.mode: "deny" is neither "warn" nor "enforce"`},
		{name: "a bad kubernetes version", args: append([]string{"--kubernetes-version", "2.0"}, tls...), wantCode: 1, wantLine: `configMaps.kubernetesVersion: invalid kubernetes version "2.0": want a release such as v1.37`},
		{name: "an unsupported kubernetes version", args: append([]string{"--kubernetes-version", "v1.34"}, tls...), wantCode: 1, wantLine: `configMaps.kubernetesVersion: unsupported kubernetes version "v1.34": kubeadm-lint knows v1.`},
		{name: "a missing certificate", args: []string{"--tls-cert-file", filepath.Join(dir, "none.crt"), "--tls-key-file", filepath.Join(dir, "none.key")}, wantCode: 1, wantLine: "reading serving certificate"},
		{name: "a port in use", args: append([]string{"--listen", busy.Addr().String()}, tls...), wantCode: 1, wantLine: "address already in use"},
		{name: "an unknown flag", args: []string{"--moda", "warn"}, wantCode: 2, wantLine: "unknown flag: --moda"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			out := stderr.String()
			if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "kubeadm-lint-webhook: ") || !strings.Contains(out, tt.wantLine) {
				t.Errorf("stderr %q, want one line containing %q", out, tt.wantLine)
			}
		})
	}
}

func TestCerts(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	if code := run([]string{"certs", "--dir", dir, "--namespace", "ops"}, &stdout, &bytes.Buffer{}); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	for _, f := range []string{"ca.crt", "tls.crt", "tls.key", "cabundle-mutating.yaml", "cabundle-validating.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, "tls.key")); err == nil && info.Mode().Perm() != 0o600 {
		t.Errorf("tls.key mode %v, want 0600", info.Mode().Perm())
	}
	patch, _ := os.ReadFile(filepath.Join(dir, "cabundle-mutating.yaml"))
	if strings.Count(string(patch), "path: /webhooks/") != 2 {
		t.Errorf("mutating patch should add the caBundle to both webhooks:\n%s", patch)
	}
}
