// Command loadgen measures the admission webhook over HTTPS on loopback. In one process it starts
// the real server (webhook.NewServer) and, as the practical ceiling, a no-op kubewebhook handler
// on a TLS server with the same settings, then sends each kind of review to both at several
// concurrencies and prints throughput, latency, RSS and our throughput as a ratio of the
// no-op's. It asserts nothing: PASS and MISS only say where a figure stands against its goal.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	admissionv1 "k8s.io/api/admission/v1"

	"github.com/kubeadm-lint/kubeadm-lint/hack/internal/noopwebhook"
	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// Goals from issues 7 and 12; each review kind has its throughput goal.
const (
	goalP99  = 2 * time.Millisecond
	goalConc = 16
)

func main() {
	admission := flag.String("admission", "testdata/admission", "directory of admission review fixtures")
	duration := flag.Duration("duration", 3*time.Second, "measured time per server, case and concurrency")
	warmup := flag.Duration("warmup", 300*time.Millisecond, "unmeasured load on each server before the rounds of a cell")
	rounds := flag.Int("rounds", 6, "the measured time is split into this many rounds, alternating no-op and ours, so drift on a shared machine hits both alike")
	concs := flag.String("concurrency", "1,16,64", "comma-separated client concurrencies")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (servers and client) to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var cs []int
	for _, s := range strings.Split(*concs, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 {
			fmt.Fprintf(os.Stderr, "loadgen: bad concurrency %q\n", s)
			os.Exit(2)
		}
		cs = append(cs, c)
	}
	if err := run(*admission, *duration, *warmup, *rounds, cs); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// review is one kind of request: the same body goes to our server and to the no-op's, on the same path.
type review struct {
	name, file     string
	ours           string // path, the no-op's too
	body           []byte
	varyContent    bool // give every request a different ConfigMap content
	prefix, suffix []byte
	wantPatch      bool    // our response must carry a JSON patch
	goal           float64 // least throughput, as a share of the no-op's
}

func run(dir string, duration, warmup time.Duration, rounds int, concs []int) error {
	reviews := []*review{
		{name: "kube-proxy DaemonSet (mutating)", file: "kube-proxy-create.json", ours: webhook.PathKubeProxy, wantPatch: true, goal: 0.9},
		{name: "kubeadm-config ConfigMap (validating)", file: "kubeadm-config-create.json", ours: webhook.PathConfigMaps, goal: 0.8},
		{name: "kubeadm-config ConfigMap, new content each request", file: "kubeadm-config-create.json", ours: webhook.PathConfigMaps, varyContent: true, goal: 0.8},
	}
	for _, r := range reviews {
		b, err := os.ReadFile(filepath.Join(dir, r.file))
		if err != nil {
			return err
		}
		r.body = b
		if err := r.prepare(); err != nil {
			return err
		}
	}

	tmp, err := os.MkdirTemp("", "loadgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	certs, err := cert.Generate(nil, []net.IP{net.IPv4(127, 0, 0, 1)}, 24*time.Hour)
	if err != nil {
		return err
	}
	certFile, keyFile := filepath.Join(tmp, "tls.crt"), filepath.Join(tmp, "tls.key")
	if err := os.WriteFile(certFile, certs.Cert, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(keyFile, certs.Key, 0o600); err != nil {
		return err
	}
	rssBase := readRSS()

	// Our server, as the binary runs it: JSON log line per review (formatted, then discarded,
	// so the cost of formatting counts but no terminal does), Prometheus metrics on.
	cfg := webhook.DefaultConfig()
	cfg.Listen, cfg.HealthListen = "127.0.0.1:0", "127.0.0.1:0"
	cfg.TLS.CertFile, cfg.TLS.KeyFile = certFile, keyFile
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := webhook.NewServer(cfg, logger)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 2)
	go func() { errc <- srv.Run(ctx) }()

	noop, err := startNoop(certs.Cert, certs.Key, logger)
	if err != nil {
		return err
	}
	defer noop.Close()

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certs.CA)
	oursURL := "https://" + srv.Addr().String()
	noopURL := "https://" + noop.Listener.Addr().String()
	if err := waitReady(pool, oursURL); err != nil {
		return err
	}
	var tlsVersion uint16
	for _, r := range reviews {
		if tlsVersion, err = check(pool, oursURL, noopURL, r); err != nil {
			return err
		}
	}
	rssServers := readRSS()

	fmt.Printf("each cell: %v per server measured in %d rounds alternating no-op and ours, after %v of warm-up on each; HTTP/1.1 keep-alive over %s on loopback, one connection per client\n",
		duration, rounds, warmup, tls.VersionName(tlsVersion))
	fmt.Printf("process RSS (client, our server and the no-op in one process): %.1f MiB at start, %.1f MiB with both servers up\n\n", mib(rssBase.rss), mib(rssServers.rss))

	type row struct {
		r          *review
		conc       int
		ours, noop result
		rss        rss
	}
	var rows []row
	fmt.Printf("%-52s %4s  %-6s %9s %8s %8s %8s %8s %6s  %s\n", "review", "conc", "server", "requests", "req/s", "p50", "p99", "max", "errors", "RSS MiB")
	for _, r := range reviews {
		for _, c := range concs {
			var ours, nop result
			nc, oc := newClient(pool, c), newClient(pool, c)
			load(nc, noopURL+r.ours, r, c, warmup, false)
			load(oc, oursURL+r.ours, r, c, warmup, false)
			for range rounds {
				slice := duration / time.Duration(rounds)
				nop.add(load(nc, noopURL+r.ours, r, c, slice, true))
				ours.add(load(oc, oursURL+r.ours, r, c, slice, true))
			}
			nc.CloseIdleConnections()
			oc.CloseIdleConnections()
			m := readRSS()
			rows = append(rows, row{r: r, conc: c, ours: ours, noop: nop, rss: m})
			for _, x := range []struct {
				name string
				res  result
			}{{"no-op", nop}, {"ours", ours}} {
				fmt.Printf("%-52s %4d  %-6s %9d %8.0f %8s %8s %8s %6d  %.1f\n", r.name, c, x.name, len(x.res.lat), x.res.rps(),
					msStr(x.res.pct(50)), msStr(x.res.pct(99)), msStr(x.res.pct(100)), x.res.errors, mib(m.rss))
			}
		}
	}
	end := readRSS()
	fmt.Printf("\npeak process RSS (VmHWM) %.1f MiB, RSS at the end %.1f MiB\n", mib(end.hwm), mib(end.rss))

	fmt.Printf("\ngoals: throughput at least 0.9 (kube-proxy) or 0.8 (ConfigMaps) of the no-op's at every concurrency; p99 under %v at concurrency %d\n", goalP99, goalConc)
	for _, x := range rows {
		ratio := x.ours.rps() / x.noop.rps()
		line := fmt.Sprintf("  %-52s conc %2d: %.2f of no-op throughput %s", x.r.name, x.conc, ratio, verdict(ratio >= x.r.goal))
		if x.conc == goalConc {
			p99 := x.ours.pct(99)
			line += fmt.Sprintf(", p99 %s %s (no-op p99 %s)", msStr(p99), verdict(p99 < goalP99), msStr(x.noop.pct(99)))
		}
		if n := x.ours.errors + x.noop.errors; n > 0 {
			line += fmt.Sprintf(", %d errors", n)
		}
		fmt.Println(line)
	}

	cancel()
	select {
	case err := <-errc:
		if err != nil && !errors.Is(err, context.Canceled) {
			return fmt.Errorf("webhook server: %w", err)
		}
	case <-time.After(30 * time.Second):
		return errors.New("webhook server did not stop")
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// startNoop serves internal/noopwebhook's reviews, which do nothing, on our paths and with
// webhook.Server's http.Server settings.
func startNoop(certPEM, keyPEM []byte, logger *slog.Logger) (*noopServer, error) {
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := webhook.ReviewServer(noopwebhook.Handler(), func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &cert, nil }, logger)
	go s.ServeTLS(ln, "", "")
	return &noopServer{Server: s, Listener: ln}, nil
}

type noopServer struct {
	*http.Server
	Listener net.Listener
}

func newClient(pool *x509.CertPool, conns int) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			MaxIdleConnsPerHost: conns,
			MaxIdleConns:        conns,
			IdleConnTimeout:     time.Minute,
		},
	}
}

func waitReady(pool *x509.CertPool, base string) error {
	c := newClient(pool, 1)
	defer c.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := c.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("webhook not serving: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// check sends one review to both servers and makes sure each answers as expected, so that the
// figures measure reviews and not error paths.
func check(pool *x509.CertPool, oursURL, noopURL string, r *review) (tlsVersion uint16, err error) {
	c := newClient(pool, 1)
	defer c.CloseIdleConnections()
	for _, target := range []struct {
		url   string
		ours  bool
		patch bool
	}{{oursURL + r.ours, true, r.wantPatch}, {noopURL + r.ours, false, false}} {
		resp, err := c.Post(target.url, "application/json", bytes.NewReader(r.bodyFor()))
		if err != nil {
			return 0, err
		}
		if resp.TLS != nil {
			tlsVersion = resp.TLS.Version
		}
		var ar admissionv1.AdmissionReview
		err = json.NewDecoder(resp.Body).Decode(&ar)
		resp.Body.Close()
		switch {
		case err != nil:
			return 0, fmt.Errorf("%s: %s: decoding response: %w", r.name, target.url, err)
		case resp.StatusCode != http.StatusOK || ar.Response == nil:
			return 0, fmt.Errorf("%s: %s: status %d", r.name, target.url, resp.StatusCode)
		case !ar.Response.Allowed:
			return 0, fmt.Errorf("%s: %s: denied: %v", r.name, target.url, ar.Response.Result)
		case target.patch && len(ar.Response.Patch) <= 2:
			return 0, fmt.Errorf("%s: %s: no patch in the response", r.name, target.url)
		case !target.ours && len(ar.Response.Patch) > 2:
			return 0, fmt.Errorf("%s: %s: the no-op returned a patch", r.name, target.url)
		}
	}
	return tlsVersion, nil
}

// prepare makes a varying review's body template: the ConfigMap's config gets a comment with
// a sequence number, spliced in per request, so no two requests carry the same content and the
// client spends no measured time re-encoding JSON.
func (r *review) prepare() error {
	if !r.varyContent {
		return nil
	}
	var ar map[string]any
	if err := json.Unmarshal(r.body, &ar); err != nil {
		return err
	}
	data := ar["request"].(map[string]any)["object"].(map[string]any)["data"].(map[string]any)
	data["ClusterConfiguration"] = data["ClusterConfiguration"].(string) + "# request " + seqMark
	b, err := json.Marshal(ar)
	if err != nil {
		return err
	}
	var ok bool
	r.prefix, r.suffix, ok = bytes.Cut(b, []byte(seqMark))
	if !ok {
		return fmt.Errorf("%s: no place for the sequence number", r.file)
	}
	return nil
}

const seqMark = "SEQUENCE-NUMBER"

var seq atomic.Uint64

// bodyFor returns the next request body.
func (r *review) bodyFor() []byte {
	if !r.varyContent {
		return r.body
	}
	b := make([]byte, 0, len(r.prefix)+len(r.suffix)+20)
	b = append(b, r.prefix...)
	b = strconv.AppendUint(b, seq.Add(1), 10)
	b = append(b, `\n`...)
	return append(b, r.suffix...)
}

type result struct {
	lat     []time.Duration
	errors  int
	elapsed time.Duration
}

func (r *result) add(o result) {
	r.lat = append(r.lat, o.lat...)
	r.errors += o.errors
	r.elapsed += o.elapsed
}

func (r result) rps() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.lat)) / r.elapsed.Seconds()
}

// pct returns the p-th percentile latency (nearest rank); 100 is the maximum.
func (r result) pct(p int) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i-1, 0)]
}

// load runs conc clients against url for d; with measure it records each request's latency.
func load(c *http.Client, url string, r *review, conc int, d time.Duration, measure bool) result {
	var (
		mu  sync.Mutex
		out result
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range conc {
		wg.Go(func() {
			var lat []time.Duration
			errs := 0
			for time.Now().Before(deadline) {
				body := r.bodyFor()
				t0 := time.Now()
				resp, err := c.Post(url, "application/json", bytes.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					errs++
					continue
				}
				if measure {
					lat = append(lat, time.Since(t0))
				}
			}
			mu.Lock()
			out.lat = append(out.lat, lat...)
			out.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

type rss struct{ rss, hwm int64 } // KiB

// readRSS reads VmRSS and VmHWM of this process.
func readRSS() rss {
	var m rss
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			m.rss = n
		case "VmHWM":
			m.hwm = n
		}
	}
	return m
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

func msStr(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
