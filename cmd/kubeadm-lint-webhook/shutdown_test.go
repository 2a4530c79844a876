package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"

	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// runWebhookEnv makes the test binary run the webhook instead of the tests, so that a test can
// send a real SIGTERM to a real process.
const runWebhookEnv = "KUBEADM_LINT_WEBHOOK_TEST_RUN"

func TestMain(m *testing.M) {
	if os.Getenv(runWebhookEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestShutdownDrainsReviews sends SIGTERM to the webhook while 100 reviews are in flight. Each
// review is held in flight deterministically: the client asks for "100 Continue", which the
// server sends only once the review handler reads the body, and sends the body only after
// shutdown has begun. All 100 must be answered, and the process must exit 0 within its grace.
func TestShutdownDrainsReviews(t *testing.T) {
	const inFlight, grace = 100, 20 * time.Second
	dir := t.TempDir()
	if code := run([]string{"certs", "--dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("certs exited %d", code)
	}
	config := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(config, fmt.Appendf(nil, "listen: 127.0.0.1:0\nhealthListen: 127.0.0.1:0\nshutdownGrace: %s\ntls:\n  certFile: %s\n  keyFile: %s\n",
		grace, filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")), 0o600); err != nil {
		t.Fatal(err)
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	tlsConfig := &tls.Config{RootCAs: roots, ServerName: cert.ServiceDNSNames("kubeadm-lint-webhook", "kubeadm-lint")[2]}

	cmd := exec.Command(os.Args[0], "--config", config)
	cmd.Env = append(os.Environ(), runWebhookEnv+"=1")
	logs := &lockedBuffer{}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	serving := make(chan map[string]string, 1)
	go func() {
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			logs.Write(append(scanner.Bytes(), '\n'))
			var line map[string]string
			if json.Unmarshal(scanner.Bytes(), &line) == nil && line["msg"] == "serving" {
				serving <- line
			}
		}
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("webhook log:\n%s", logs)
		}
	})
	var addrs map[string]string
	select {
	case addrs = <-serving:
	case err := <-exited:
		t.Fatalf("the webhook exited before serving: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("the webhook did not start within 60 s")
	}

	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "admission", "kube-proxy-create.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fixture admissionv1.AdmissionReview
	if err := json.Unmarshal(body, &fixture); err != nil {
		t.Fatal(err)
	}
	reviews := make([]*heldReview, inFlight)
	for i := range reviews {
		uid := fmt.Sprintf("shutdown-%d", i)
		r, err := holdReview(addrs["reviews"], tlsConfig, bytes.Replace(body, []byte(fixture.Request.UID), []byte(uid), 1))
		if err != nil {
			t.Fatalf("review %d: %v", i, err)
		}
		r.uid = uid
		defer r.conn.Close()
		reviews[i] = r
	}

	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown has begun once the review listener is closed.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		c, err := net.Dial("tcp", addrs["reviews"])
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the webhook still accepts connections 30 s after SIGTERM")
		}
	}
	if code := readyz(addrs["health"]); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d while draining, want 503", code)
	}

	var wg sync.WaitGroup
	for i, r := range reviews {
		wg.Go(func() {
			if err := r.finish(); err != nil {
				t.Errorf("review %d, in flight at SIGTERM: %v", i, err)
			}
		})
	}
	wg.Wait()

	select {
	case err := <-exited:
		took := time.Since(signalled)
		if err != nil {
			t.Errorf("the webhook exited with %v after SIGTERM, want exit code 0", err)
		}
		if took > grace {
			t.Errorf("the webhook took %v to exit, longer than its grace of %v", took, grace)
		}
		t.Logf("exited %v after SIGTERM", took.Round(time.Millisecond))
	case <-time.After(grace + 30*time.Second):
		t.Fatalf("the webhook did not exit within %v of SIGTERM", grace+30*time.Second)
	}
	if !strings.Contains(logs.String(), `"msg":"shutting down"`) {
		t.Errorf("no shutdown in the log")
	}
}

// heldReview is a review whose headers the server has read and whose body it is waiting for.
type heldReview struct {
	conn *tls.Conn
	br   *bufio.Reader
	body []byte
	uid  string
}

func holdReview(addr string, cfg *tls.Config, body []byte) (*heldReview, error) {
	conn, err := tls.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", webhook.PathKubeProxy, len(body))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("waiting for 100 Continue: %w", err)
	}
	if resp.StatusCode != http.StatusContinue {
		conn.Close()
		return nil, fmt.Errorf("status %d, want 100 Continue", resp.StatusCode)
	}
	return &heldReview{conn: conn, br: br, body: body}, nil
}

// finish sends the body and checks the answer: kube-proxy patched, for this review's uid.
func (r *heldReview) finish() error {
	if _, err := r.conn.Write(r.body); err != nil {
		return fmt.Errorf("sending the body: %w", err)
	}
	resp, err := http.ReadResponse(r.br, nil)
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, data)
	}
	var out admissionv1.AdmissionReview
	if err := json.Unmarshal(data, &out); err != nil {
		return err
	}
	if out.Response == nil || string(out.Response.UID) != r.uid || len(out.Response.Patch) <= 2 {
		return fmt.Errorf("answer %s, want a patch for uid %s", data, r.uid)
	}
	return nil
}

func readyz(addr string) int {
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// lockedBuffer collects the subprocess's log while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
