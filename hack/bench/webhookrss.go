package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kubeadm-lint/kubeadm-lint/e2e"
	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
)

const goalWebhookRSS = 128.0 // MiB, the webhook's peak RSS while it denies the 20,000-error config

const webhookRSSAbout = `The webhook binary, as a process of its own in enforce mode, reviews a kubeadm-config ConfigMap with
20,000 invalid certSANs (the e2e suite's "e2" scenario, there denied through the real kube-apiserver): 12
reviews of distinct content, so that the verdict cache does not answer them, four at a time. The peak RSS is
the process's high-water mark (VmHWM); goal: under 128 MiB, half the Deployment's limit.`

// webhookRSSBench runs the webhook binary and measures its peak RSS over the reviews.
func webhookRSSBench(s *section, o options) error {
	dir, err := os.MkdirTemp("", "bench-webhook")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := cert.Write(dir, []string{"localhost"}, time.Hour); err != nil {
		return err
	}
	ports, err := e2e.FreePorts(2)
	if err != nil {
		return err
	}
	addr, health := fmt.Sprintf("127.0.0.1:%d", ports[0]), fmt.Sprintf("127.0.0.1:%d", ports[1])
	cmd := exec.Command(o.webhook, "--listen", addr, "--health-listen", health, "--mode", "enforce", "--log-level", "warn",
		"--tls-cert-file", filepath.Join(dir, "tls.crt"), "--tls-key-file", filepath.Join(dir, "tls.key"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if err := waitHTTP("http://" + health + "/readyz"); err != nil {
		return err
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"}}}

	const reviews, conc = 12, 4
	var mu sync.Mutex
	var denied, largest int
	var firstErr error
	work := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				allowed, size, err := review(client, "https://"+addr+"/validate/configmaps", i)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if !allowed && err == nil {
					denied++
				}
				largest = max(largest, size)
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	for i := range reviews {
		work <- i
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	hwm, err := highWaterMark(cmd.Process.Pid)
	if err != nil {
		return err
	}
	s.printf("  %d reviews in %.1f s: %d denied, largest response %d bytes; peak RSS %.1f MiB (goal under %.0f): %s\n",
		reviews, time.Since(start).Seconds(), denied, largest, hwm, goalWebhookRSS, verdict(hwm < goalWebhookRSS && denied == reviews))
	return nil
}

// review posts one CREATE of a kubeadm-config with 20,000 invalid certSANs, made distinct by n.
func review(client *http.Client, url string, n int) (allowed bool, size int, err error) {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.%d\napiServer:\n  certSANs:\n", n)
	for i := range 20_000 {
		fmt.Fprintf(&b, "  - bad_%d!\n", i)
	}
	obj := map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "kubeadm-config", "namespace": "kube-system"},
		"data":     map[string]string{"ClusterConfiguration": b.String()}}
	body, err := json.Marshal(map[string]any{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": map[string]any{
		"uid": "bench-" + strconv.Itoa(n), "kind": map[string]string{"group": "", "version": "v1", "kind": "ConfigMap"},
		"resource": map[string]string{"group": "", "version": "v1", "resource": "configmaps"}, "namespace": "kube-system",
		"name": "kubeadm-config", "operation": "CREATE", "object": obj,
	}})
	if err != nil {
		return false, 0, err
	}
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return false, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return false, 0, err
	}
	var out struct {
		Response struct {
			Allowed bool `json:"allowed"`
		} `json:"response"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return false, len(data), fmt.Errorf("webhook answered %s: %.200s", resp.Status, data)
	}
	return out.Response.Allowed, len(data), nil
}

// highWaterMark is a process's peak RSS in MiB, from /proc.
func highWaterMark(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

func waitHTTP(url string) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("webhook not ready at %s: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
