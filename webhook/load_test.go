package webhook

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
)

var loadReviews = flag.Int("load-reviews", 2_000, "reviews TestLoad sends; 'make test' runs 20000 under -race")

// TestLoad sends -load-reviews reviews at concurrency 64 over TLS with keep-alive: kube-proxy
// DaemonSets, CoreDNS Deployments and kubeadm-config ConfigMaps, the ConfigMaps mostly distinct
// so that they are linted rather than answered from the cache. Every answer must be right and
// answer its own request, and once the clients have gone, the goroutines and the heap must
// return to what they were after a warm-up. 'make test' runs it under -race.
func TestLoad(t *testing.T) {
	const concurrency = 64
	ts := startServer(t, nil)
	pool := ts.client.Transport.(*http.Transport).TLSClientConfig.RootCAs
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool},
		MaxIdleConnsPerHost: concurrency,
	}}

	type review struct {
		path, fixture string
		check         func(r *admissionv1.AdmissionResponse) error
	}
	reviews := []review{
		{path: PathKubeProxy, fixture: "kube-proxy-create.json", check: func(r *admissionv1.AdmissionResponse) error {
			if len(r.Patch) <= 2 || len(r.Warnings) != 1 {
				return fmt.Errorf("kube-proxy not patched: %s", r.Patch)
			}
			return nil
		}},
		{path: PathCoreDNS, fixture: "coredns-create.json", check: func(r *admissionv1.AdmissionResponse) error {
			if len(r.Patch) > 2 || len(r.Warnings) > 0 {
				return fmt.Errorf("CoreDNS patched without the option: %s", r.Patch)
			}
			return nil
		}},
		{path: PathConfigMaps, fixture: "kubeadm-config-overlap.json", check: func(r *admissionv1.AdmissionResponse) error {
			if !r.Allowed || len(r.Warnings) != 1 || !strings.HasPrefix(r.Warnings[0], "KL101") {
				return fmt.Errorf("kubeadm-config: allowed %v, warnings %q; want allowed with KL101", r.Allowed, r.Warnings)
			}
			return nil
		}},
	}
	bodies, uids := make([][]byte, len(reviews)), make([][]byte, len(reviews))
	for i, rv := range reviews {
		ar, body := fixture(t, rv.fixture)
		bodies[i], uids[i] = body, []byte(ar.Request.UID)
	}

	// send runs n reviews over concurrency workers and returns the failures.
	send := func(n int) []error {
		var (
			next   atomic.Int64
			mu     sync.Mutex
			errs   []error
			failed atomic.Int64
			wg     sync.WaitGroup
		)
		fail := func(err error) {
			if failed.Add(1) <= 10 {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}
		for range concurrency {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					rv := reviews[i%len(reviews)]
					// A UID of its own for every review: each answer must be for its request.
					uid := fmt.Sprintf("load-%d", i)
					body := bytes.Replace(bodies[i%len(reviews)], uids[i%len(reviews)], []byte(uid), 1)
					if rv.path == PathConfigMaps {
						body = bytes.Replace(body, []byte("clusterName: kubernetes"), fmt.Appendf(nil, "clusterName: kubernetes-%d", i%1000), 1)
					}
					if err := post(client, "https://"+ts.Addr().String()+rv.path, body, uid, rv.check); err != nil {
						fail(fmt.Errorf("review %d (%s): %w", i, rv.fixture, err))
					}
				}
			})
		}
		wg.Wait()
		if n := failed.Load(); n > 10 {
			errs = append(errs, fmt.Errorf("... %d failures in all", n))
		}
		return errs
	}

	// Warm-up: pools, caches and lazily built state reach their size.
	if errs := send(1000); len(errs) > 0 {
		t.Fatalf("warm-up failed: %v", errs)
	}
	client.CloseIdleConnections()
	goroutines := settledGoroutines(0)
	heap := liveHeap()
	t.Logf("after warm-up: %d goroutines, heap %d KiB", goroutines, heap>>10)

	for _, err := range send(*loadReviews) {
		t.Error(err)
	}

	client.CloseIdleConnections()
	after := settledGoroutines(goroutines + 2)
	heapAfter := liveHeap()
	t.Logf("after %d reviews: %d goroutines, heap %d KiB", *loadReviews, after, heapAfter>>10)
	if after > goroutines+2 {
		t.Errorf("%d goroutines after the load, %d before it:\n%s", after, goroutines, dumpGoroutines())
	}
	if limit := 2*heap + 8<<20; heapAfter > limit {
		t.Errorf("heap grew from %d KiB to %d KiB after the load (limit %d KiB)", heap>>10, heapAfter>>10, limit>>10)
	}
}

// settledGoroutines waits for the goroutine count to reach want, or to stop falling, and returns
// it. Closed connections end their goroutines on both sides a moment after the close; the 30 s
// bound only stops a leak from hanging the test.
func settledGoroutines(want int) int {
	n, steady := runtime.NumGoroutine(), 0
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && steady < 50; {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		switch {
		case m <= want:
			return m
		case m < n:
			steady = 0
		default:
			steady++ // one second without a goroutine ending
		}
		n = m
	}
	return n
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC() // the first may leave objects that finalizers keep for one more cycle
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// post sends one review and checks the answer is a 200 for uid that check accepts.
func post(client *http.Client, url string, body []byte, uid string, check func(*admissionv1.AdmissionResponse) error) error {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
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
	if out.Response == nil || string(out.Response.UID) != uid {
		return fmt.Errorf("answer %s is not for uid %s", data, uid)
	}
	return check(out.Response)
}

// dumpGoroutines is for a failing leak check: what is still running.
func dumpGoroutines() string {
	var b strings.Builder
	pprof.Lookup("goroutine").WriteTo(&b, 1)
	return b.String()
}
