package cert

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name       string
		dnsNames   []string
		ips        []net.IP
		verifyName string // what a client dials
		wantCN     string
	}{
		{
			name:       "a certificate for the Service names verifies for each of them",
			dnsNames:   ServiceDNSNames("kubeadm-lint-webhook", "kubeadm-lint"),
			verifyName: "kubeadm-lint-webhook.kubeadm-lint.svc",
			wantCN:     "kubeadm-lint-webhook",
		},
		{
			name:       "a certificate for a loopback address only verifies for that address",
			ips:        []net.IP{net.IPv4(127, 0, 0, 1)},
			verifyName: "127.0.0.1",
			wantCN:     "kubeadm-lint-webhook",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Generate(tt.dnsNames, tt.ips, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tls.X509KeyPair(set.Cert, set.Key); err != nil {
				t.Fatalf("the key does not match the certificate: %v", err)
			}
			leaf := parse(t, set.Cert)
			if leaf.Subject.CommonName != tt.wantCN {
				t.Errorf("common name %q, want %q", leaf.Subject.CommonName, tt.wantCN)
			}
			roots := x509.NewCertPool()
			if !roots.AppendCertsFromPEM(set.CA) {
				t.Fatal("the CA is not PEM")
			}
			if _, err := leaf.Verify(x509.VerifyOptions{
				DNSName:   tt.verifyName,
				Roots:     roots,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			}); err != nil {
				t.Errorf("verifying for %s: %v", tt.verifyName, err)
			}
			if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "other.example", Roots: roots}); err == nil {
				t.Error("the certificate verifies for a name it was not issued for")
			}
		})
	}
}

func TestIssueKeepsTheCA(t *testing.T) {
	ca, err := NewCA(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.PEM)
	// Two pairs from one CA, as a rotation writes them: a client holding the CA trusts both.
	for range 2 {
		certPEM, _, err := ca.Issue([]string{"localhost"}, nil, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parse(t, certPEM).Verify(x509.VerifyOptions{DNSName: "localhost", Roots: roots}); err != nil {
			t.Error(err)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "generated")
	written, err := Write(dir, ServiceDNSNames("kubeadm-lint-webhook", "ops"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		file     string
		mode     os.FileMode
		webhooks int // caBundle patches in the file; 0 for a PEM file
	}{
		{name: "the CA is readable by all", file: "ca.crt", mode: 0o644},
		{name: "the serving certificate is readable by all", file: "tls.crt", mode: 0o644},
		{name: "the serving key is readable by its owner only", file: "tls.key", mode: 0o600},
		{name: "the mutating patch covers both mutating webhooks", file: "cabundle-mutating.yaml", mode: 0o644, webhooks: 2},
		{name: "the validating patch covers the validating webhook", file: "cabundle-validating.yaml", mode: 0o644, webhooks: 1},
	}
	if len(written) != len(tests) {
		t.Errorf("wrote %v, want %d files", written, len(tests))
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != tt.mode {
				t.Errorf("mode %v, want %v", info.Mode().Perm(), tt.mode)
			}
			if tt.webhooks == 0 {
				return
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(data), "value: "+base64.StdEncoding.EncodeToString(caPEM)); got != tt.webhooks {
				t.Errorf("%d caBundle patches with the written CA, want %d:\n%s", got, tt.webhooks, data)
			}
		})
	}
}

func parse(t *testing.T, certPEM []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(certPEM)
	if block == nil {
		t.Fatal("not PEM")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
