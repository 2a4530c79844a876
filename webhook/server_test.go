package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"

	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
)

// testServer runs a Server on loopback ports with a fresh CA until the test ends.
type testServer struct {
	*Server
	client            *http.Client
	certFile, keyFile string
	cancel            context.CancelFunc
	done              chan error
}

func writeCerts(t *testing.T, certFile, keyFile string) *x509.CertPool {
	t.Helper()
	c, err := cert.Generate([]string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, c.Cert, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, c.Key, 0o600); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(c.CA)
	return pool
}

func startServer(t *testing.T, edit func(*Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{certFile: filepath.Join(dir, "tls.crt"), keyFile: filepath.Join(dir, "tls.key"), done: make(chan error, 1)}
	pool := writeCerts(t, ts.certFile, ts.keyFile)
	cfg := DefaultConfig()
	cfg.Listen, cfg.HealthListen = "127.0.0.1:0", "127.0.0.1:0"
	cfg.TLS = TLS{CertFile: ts.certFile, KeyFile: ts.keyFile, ReloadInterval: Duration{20 * time.Millisecond}}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := NewServer(cfg, testLogger)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = srv
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel = cancel
	go func() { ts.done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-ts.done
	})
	ts.client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	waitFor(t, func() bool {
		resp, err := http.Get("http://" + srv.HealthAddr().String() + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return ts
}

// waitFor polls cond; the deadline is generous because it only bounds a hang, never a speed.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 30s")
}

func (ts *testServer) post(t *testing.T, path string, body []byte) (int, *admissionv1.AdmissionReview) {
	t.Helper()
	resp, err := ts.client.Post("https://"+ts.Addr().String()+path, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out admissionv1.AdmissionReview
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("response %s: %v", data, err)
		}
	}
	return resp.StatusCode, &out
}

// TestHTTP posts the fixtures, real admission.k8s.io/v1 AdmissionReviews, over TLS.
func TestHTTP(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.ConfigMaps.Mode = ModeEnforce })
	tests := []struct {
		name, path, fixture string
		wantAllowed         bool
		wantPatch           string // substring of the JSON patch; "" means no patch
		wantWarning         string
	}{
		{name: "kube-proxy is patched", path: PathKubeProxy, fixture: "kube-proxy-create.json", wantAllowed: true,
			wantPatch: `"path":"/spec/template/spec/tolerations`, wantWarning: "kube-proxy tolerations changed"},
		{name: "a complying kube-proxy is not", path: PathKubeProxy, fixture: "kube-proxy-compliant.json", wantAllowed: true},
		{name: "CoreDNS is left alone by default", path: PathCoreDNS, fixture: "coredns-create.json", wantAllowed: true},
		{name: "a bad kubeadm-config is denied in enforce mode", path: PathConfigMaps, fixture: "kubeadm-config-overlap.json", wantWarning: "KL101"},
		{name: "a clean kubeadm-config is allowed", path: PathConfigMaps, fixture: "kubeadm-config-create.json", wantAllowed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar, body := fixture(t, tt.fixture)
			code, out := ts.post(t, tt.path, body)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			r := out.Response
			if r == nil || r.UID != ar.Request.UID {
				t.Fatalf("response %+v does not answer uid %s", r, ar.Request.UID)
			}
			if r.Allowed != tt.wantAllowed {
				t.Errorf("allowed = %v, want %v (%+v)", r.Allowed, tt.wantAllowed, r.Result)
			}
			hasPatch := len(r.Patch) > 2
			if hasPatch != (tt.wantPatch != "") || !strings.Contains(string(r.Patch), tt.wantPatch) {
				t.Errorf("patch %s, want one containing %q", r.Patch, tt.wantPatch)
			}
			if hasPatch && (r.PatchType == nil || *r.PatchType != admissionv1.PatchTypeJSONPatch) {
				t.Errorf("patchType %v, want JSONPatch", r.PatchType)
			}
			if got := strings.Join(r.Warnings, "\n"); !strings.Contains(got, tt.wantWarning) || (tt.wantWarning == "") != (got == "") {
				t.Errorf("warnings %q, want %q", r.Warnings, tt.wantWarning)
			}
		})
	}
	t.Run("a body over the limit is refused with 4xx", func(t *testing.T) {
		code, _ := ts.post(t, PathKubeProxy, bytes.Repeat([]byte(" "), MaxBodyBytes+1))
		if code < 400 || code >= 500 {
			t.Errorf("status %d, want 4xx", code)
		}
	})
	t.Run("an unknown path is 404", func(t *testing.T) {
		_, body := fixture(t, "kube-proxy-create.json")
		if code, _ := ts.post(t, "/mutate/other", body); code != http.StatusNotFound {
			t.Errorf("status %d, want 404", code)
		}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	ts := startServer(t, nil)
	_, body := fixture(t, "kube-proxy-create.json")
	ts.post(t, PathKubeProxy, body)
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + ts.HealthAddr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
	code, metrics := get("/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	for _, m := range []string{"kubewebhook_mutating_webhook_review_duration_seconds", "go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	// After shutdown begins, readiness is the first thing to go.
	ts.cancel()
	if err := <-ts.done; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
	ts.done <- nil // for the cleanup
	if _, err := http.Get("http://" + ts.HealthAddr().String() + "/readyz"); err == nil {
		t.Error("health server still answering after shutdown")
	}
}

// TestCertRotation replaces the serving pair on disk while reviews flow from several clients,
// each request a new handshake: every request succeeds, and new handshakes get the new
// certificate. The end-to-end suite rotates under load through a real API server as well.
func TestCertRotation(t *testing.T) {
	const workers = 8
	ts := startServer(t, nil)
	next, err := cert.Generate([]string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(next.Cert)
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	newSerial := leaf.SerialNumber.String()
	// The clients trust both CAs, as API servers do during a caBundle rollover.
	pool := ts.client.Transport.(*http.Transport).TLSClientConfig.RootCAs.Clone()
	pool.AppendCertsFromPEM(next.CA)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, DisableKeepAlives: true}}
	_, body := fixture(t, "kube-proxy-create.json")

	var (
		mu     sync.Mutex
		served = map[string]int{} // requests by serial of the certificate that served them
	)
	snapshot := func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(served)
	}
	stop := make(chan struct{})
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				// No keep-alive: every request is a new handshake, racing the rotation.
				resp, err := client.Post("https://"+ts.Addr().String()+PathKubeProxy, "application/json", bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
					return
				}
				mu.Lock()
				served[resp.TLS.PeerCertificates[0].SerialNumber.String()]++
				mu.Unlock()
			}
		})
	}
	// Written one file after the other, as a careless rotation would: for a moment the pair on
	// disk does not match, and the server must keep serving the old one.
	waitFor(t, func() bool { return len(snapshot()) > 0 })
	if err := os.WriteFile(ts.certFile, next.Cert, 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if err := os.WriteFile(ts.keyFile, next.Key, 0o600); err != nil {
		t.Fatal(err)
	}
	// Run on until the new certificate has served a few handshakes per worker, or one failed.
	waitFor(t, func() bool { return snapshot()[newSerial] >= 5*workers || len(errs) > 0 })
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a request failed during rotation: %v", err)
	}
	if got := snapshot(); len(got) != 2 || got[newSerial] == 0 {
		t.Errorf("requests by certificate serial %v, want some with the old and some with the new (%s)", got, newSerial)
	}
}

// TestExpiredPairIsNotServed: a pair outside its validity on disk is refused, so the pair being
// served stays.
func TestExpiredPairIsNotServed(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	writeCerts(t, certFile, keyFile)
	r, err := NewCertReloader(certFile, keyFile, testLogger)
	if err != nil {
		t.Fatal(err)
	}
	served := r.NotAfter()
	expired, err := cert.Generate([]string{"localhost"}, []net.IP{net.ParseIP("127.0.0.1")}, -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, expired.Key, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, expired.Cert, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.reload(); err == nil || !strings.Contains(err.Error(), "not valid now") {
		t.Errorf("reloading an expired pair: %v, want it refused", err)
	}
	if got := r.NotAfter(); !got.Equal(served) {
		t.Errorf("the served certificate changed to one expiring %v", got)
	}
	if _, err := NewCertReloader(certFile, keyFile, testLogger); err == nil {
		t.Error("starting with an expired pair succeeded")
	}
}

// TestHealthShowsCertificateExpiry: /readyz and the metrics tell when the serving certificate
// expires.
func TestHealthShowsCertificateExpiry(t *testing.T) {
	ts := startServer(t, nil)
	get := func(path string) string {
		resp, err := http.Get("http://" + ts.HealthAddr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	want := "serving certificate expires at " + ts.certs.NotAfter().UTC().Format(time.RFC3339)
	if body := get("/readyz"); !strings.Contains(body, want) {
		t.Errorf("/readyz says %q, want %q", body, want)
	}
	if body := get("/metrics"); !strings.Contains(body, "kubeadm_lint_webhook_serving_certificate_expiry_timestamp_seconds") {
		t.Error("/metrics has no serving certificate expiry")
	}
}
