// Command apilatency measures what the webhook adds to the latency of writes through a real
// kube-apiserver: kubeadm's kube-proxy DaemonSet and kubeadm-config ConfigMap, created and
// updated without any webhook, with a no-op webhook (hack/noopwebhook) and with ours, each as
// one process and as three, behind the same webhook configurations, at each concurrency. What
// ours adds is judged against what the no-op adds. It prints a Markdown section and, with -out,
// puts it into that file between markers; with -profile it then profiles the webhook processes
// under the same load. It asserts nothing: the goals are printed next to the figures.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"

	"github.com/kubeadm-lint/kubeadm-lint/e2e"
	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

const (
	beginMarker = "<!-- apilatency: begin (hack/apilatency writes this section) -->"
	endMarker   = "<!-- apilatency: end -->"
)

type options struct {
	webhookBin, noopBin string
	baselineBin         string
	baselineName        string
	requests            int
	warmup              int
	rounds              int
	concurrency         []int
	out                 string
	profileDir          string
	profileTime         time.Duration
}

func main() {
	var o options
	var conc string
	flag.StringVar(&o.webhookBin, "webhook", "bin/kubeadm-lint-webhook", "kubeadm-lint-webhook binary; each backend is a process of it")
	flag.StringVar(&o.noopBin, "noop", "bin/noopwebhook", "the no-op webhook's binary (hack/noopwebhook)")
	flag.StringVar(&o.baselineBin, "baseline", "", "another kubeadm-lint-webhook binary, such as an earlier commit's, measured beside ours")
	flag.StringVar(&o.baselineName, "baseline-name", "baseline", "what to call -baseline in the table")
	flag.IntVar(&o.requests, "requests", 1200, "measured requests per operation, setup and concurrency, over all rounds")
	flag.IntVar(&o.warmup, "warmup", 50, "requests sent and not measured before each series")
	flag.IntVar(&o.rounds, "rounds", 3, "the setups take turns this many times, each measuring requests/rounds, so that drift on a shared machine hits them alike")
	flag.StringVar(&o.profileDir, "profile", "", "after measuring, write CPU and allocation profiles of one process of ours and of the no-op, under each object's create load, into this directory")
	flag.DurationVar(&o.profileTime, "profile-time", 20*time.Second, "length of each CPU profile")
	flag.StringVar(&conc, "concurrency", "1,16", "comma-separated concurrency levels")
	flag.StringVar(&o.out, "out", "", "Markdown file to put the section into (replaced between its markers, else appended)")
	flag.Parse()
	for _, f := range strings.Split(conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "apilatency: bad -concurrency %q\n", conc)
			os.Exit(2)
		}
		o.concurrency = append(o.concurrency, n)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "apilatency:", err)
		os.Exit(1)
	}
}

// setup is what sits behind the API server's webhook configurations.
type setup struct {
	name, kind string
	// noop: the backends are hack/noopwebhook processes; ours: the webhook under test's.
	noop, ours bool
	backends   []*backend // none: no webhook configurations at all
	lb         *roundRobin
}

// url is where the webhook configurations point: the one process, or the round robin over
// several. Each setup has its own address, so that a connection the API server keeps alive
// from an earlier setup never reaches this one's processes.
func (s *setup) url() string {
	if s.lb != nil {
		return "https://" + s.lb.addr()
	}
	return "https://" + s.backends[0].addr
}

// processes is the setup's name without its kind, which pairs ours with the no-op.
func (s *setup) processes() string {
	if len(s.backends) == 1 {
		return "1 process"
	}
	return fmt.Sprintf("%d processes", len(s.backends))
}

// op is one kind of write. Creates are dry runs: the objects must carry kubeadm's names for
// the matchConditions to send them to the webhook, so they cannot be created many times
// over; a dry run goes through the whole admission chain, the webhooks included, and skips
// only the write to etcd. Updates, each with a new annotation, are measured both ways, but
// real writes at concurrency 1 only: concurrent writes of the one object the matchConditions
// let through conflict in etcd, and the API server runs admission again on each retry, so
// such a row would measure conflicts (14 to 45 webhook calls per request at 16 and 64).
type op struct {
	name   string
	create bool
	write  bool // a real update, written to etcd
	// do sends the request; a write returns the resourceVersion it wrote.
	do func(ctx context.Context, c kubernetes.Interface, seq int) (string, error)
	// settle, after a write and outside the measured time, waits until the API server's watch
	// cache holds what it wrote. The API server tries an update against the cached object
	// first, and a stale one costs a retry with the admission chain run again: at concurrency 1
	// that was 3 to 13 % more webhook calls than updates.
	settle func(ctx context.Context, c kubernetes.Interface, rv string) error
}

// writer is what the benchmark does with one kind of object.
type writer[T any] interface {
	Create(context.Context, T, metav1.CreateOptions) (T, error)
	Update(context.Context, T, metav1.UpdateOptions) (T, error)
	Get(context.Context, string, metav1.GetOptions) (T, error)
}

// objectOps are the operations on one object: a dry-run create of the template, and updates
// with a new annotation each, dry run and written.
func objectOps[T interface {
	metav1.Object
	DeepCopyObject() kruntime.Object
}](name string, api func(kubernetes.Interface) writer[T], template T) []op {
	annotated := func(seq int) T {
		o := template.DeepCopyObject().(T)
		o.SetAnnotations(map[string]string{"bench.kubeadm-lint.dev/seq": strconv.Itoa(seq)})
		return o
	}
	dryRun := []string{metav1.DryRunAll}
	return []op{
		{name: name + ", create", create: true, do: func(ctx context.Context, c kubernetes.Interface, _ int) (string, error) {
			_, err := api(c).Create(ctx, template.DeepCopyObject().(T), metav1.CreateOptions{DryRun: dryRun})
			return "", err
		}},
		{name: name + ", update (dry run)", do: func(ctx context.Context, c kubernetes.Interface, seq int) (string, error) {
			_, err := api(c).Update(ctx, annotated(seq), metav1.UpdateOptions{DryRun: dryRun})
			return "", err
		}},
		{name: name + ", update", write: true, do: func(ctx context.Context, c kubernetes.Interface, seq int) (string, error) {
			o, err := api(c).Update(ctx, annotated(seq), metav1.UpdateOptions{})
			if err != nil {
				return "", err
			}
			return o.GetResourceVersion(), nil
		}, settle: func(ctx context.Context, c kubernetes.Interface, rv string) error {
			// A get at a resourceVersion is served from the watch cache once it has caught up.
			_, err := api(c).Get(ctx, template.GetName(), metav1.GetOptions{ResourceVersion: rv})
			return err
		}},
	}
}

type result struct {
	setup          *setup
	op             string
	concurrency    int
	durations      []time.Duration
	errs, failOpen int
	calls          int
	webhookCPU     time.Duration
	firstErr       error
}

func run(ctx context.Context, o options) error {
	if _, err := os.Stat(o.webhookBin); err != nil {
		return fmt.Errorf("%s is missing: run 'make build'", o.webhookBin)
	}
	root, err := e2e.RepoRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "apilatency-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	date := time.Now().UTC().Format("2006-01-02 15:04 UTC")
	load0 := loadavg()
	fmt.Fprintf(os.Stderr, "starting etcd and kube-apiserver (load average %s)\n", load0)
	cluster, err := e2e.StartCluster(ctx, root, dir)
	defer cluster.Stop()
	if err != nil {
		return err
	}
	warns := &e2e.Warnings{}
	client, err := cluster.Client(warns)
	if err != nil {
		return err
	}
	k, err := e2e.NewKubeadm()
	if err != nil {
		return err
	}
	// kubeadm's own objects: what 'kubeadm init' writes, as the templates of every request.
	if err := k.EnsureProxy(client); err != nil {
		return err
	}
	if err := k.UploadConfig(client); err != nil {
		return err
	}
	ds, err := client.AppsV1().DaemonSets("kube-system").Get(ctx, "kube-proxy", metav1.GetOptions{})
	if err != nil {
		return err
	}
	cm, err := client.CoreV1().ConfigMaps("kube-system").Get(ctx, "kubeadm-config", metav1.GetOptions{})
	if err != nil {
		return err
	}
	dsTemplate, cmTemplate := fresh(ds), freshCM(cm)

	ca, err := cert.NewCA(24 * time.Hour)
	if err != nil {
		return err
	}
	certPEM, keyPEM, err := ca.Issue(nil, []net.IP{net.IPv4(127, 0, 0, 1)}, 24*time.Hour)
	if err != nil {
		return err
	}
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		return err
	}
	var all []*backend
	defer func() {
		for _, b := range all {
			b.stop()
		}
	}()
	start := func(bin string, n int, args ...string) ([]*backend, error) {
		var bs []*backend
		for range n {
			b, err := startBackend(bin, dir, len(all), certFile, keyFile, args...)
			if err != nil {
				return nil, err
			}
			all = append(all, b)
			bs = append(bs, b)
		}
		return bs, nil
	}
	type server struct {
		kind, bin  string
		noop, ours bool
		args       []string
	}
	servers := []server{{kind: "no-op", bin: o.noopBin, noop: true}, {kind: "kubeadm-lint", bin: o.webhookBin, ours: true, args: []string{"--profiling"}}}
	if o.baselineBin != "" {
		servers = append(servers, server{kind: o.baselineName, bin: o.baselineBin})
	}
	setups := []*setup{{name: "none"}}
	for _, n := range []int{1, 3} {
		for _, sv := range servers {
			bs, err := start(sv.bin, n, sv.args...)
			if err != nil {
				return err
			}
			s := &setup{name: fmt.Sprintf("%s, %d process", sv.kind, n), kind: sv.kind, noop: sv.noop, ours: sv.ours, backends: bs}
			if n > 1 {
				s.name += "es"
				if s.lb, err = newRoundRobin(bs); err != nil {
					return err
				}
				defer s.lb.close()
			}
			setups = append(setups, s)
		}
	}

	ops := append(objectOps("kube-proxy DaemonSet", func(c kubernetes.Interface) writer[*appsv1.DaemonSet] { return c.AppsV1().DaemonSets("kube-system") }, dsTemplate),
		objectOps("kubeadm-config ConfigMap", func(c kubernetes.Interface) writer[*corev1.ConfigMap] { return c.CoreV1().ConfigMaps("kube-system") }, cmTemplate)...)
	// Rounds: every setup measures requests/rounds of each series in turn, and the rounds of a
	// series are pooled.
	results := map[string]*result{}
	var order []string
	seq := 0
	per := max(o.requests/o.rounds, 1)
	for round := range o.rounds {
		for _, s := range setups {
			if err := configure(ctx, client, warns, root, s, ca.PEM, dsTemplate); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			for _, n := range o.concurrency {
				for _, creates := range []bool{true, false} {
					// A dry-run create of a name that exists is refused after admission; an
					// update needs the object.
					if err := present(ctx, client, !creates, dsTemplate, cmTemplate); err != nil {
						return err
					}
					for _, p := range ops {
						if p.create != creates || (p.write && n > 1) {
							continue
						}
						r, err := measure(ctx, client, s, p, n, per, o.warmup, &seq)
						if err != nil {
							return err
						}
						key := fmt.Sprintf("%s|%s|%d", s.name, p.name, n)
						if results[key] == nil {
							results[key] = &result{setup: s, op: p.name, concurrency: n}
							order = append(order, key)
						}
						results[key].add(r)
						fmt.Fprintf(os.Stderr, "round %d  %-26s %-44s c=%-3d p50 %7.2f ms  p99 %7.2f ms  errors %d  failed open %d  calls/request %.2f  webhook CPU %.3f ms/request\n",
							round+1, s.name, p.name, n, ms(percentile(r.durations, 50)), ms(percentile(r.durations, 99)), r.errs, r.failOpen,
							r.callsPerRequest(), r.cpuPerRequest())
						warns.Take()
					}
				}
			}
		}
	}
	var rs []*result
	for _, k := range order {
		rs = append(rs, results[k])
	}
	if o.profileDir != "" {
		if err := profile(ctx, client, warns, root, ca.PEM, setups, ops, dsTemplate, cmTemplate, o); err != nil {
			return err
		}
	}
	md := report(rs, setups, o, date, load0, loadavg())
	fmt.Print(md)
	if o.out == "" {
		return nil
	}
	return splice(o.out, md)
}

// fresh is kubeadm's DaemonSet as 'kubeadm upgrade' sends it: the blanket toleration, no
// server-set fields.
func fresh(ds *appsv1.DaemonSet) *appsv1.DaemonSet {
	d := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: ds.Name, Namespace: ds.Namespace, Labels: ds.Labels}, Spec: *ds.Spec.DeepCopy()}
	d.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
	return d
}

func freshCM(cm *corev1.ConfigMap) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: cm.Name, Namespace: cm.Namespace}, Data: cm.Data}
}

// present makes both objects exist (for updates) or not (for dry-run creates).
func present(ctx context.Context, c kubernetes.Interface, want bool, ds *appsv1.DaemonSet, cm *corev1.ConfigMap) error {
	dss, cms := c.AppsV1().DaemonSets("kube-system"), c.CoreV1().ConfigMaps("kube-system")
	if !want {
		for _, err := range []error{dss.Delete(ctx, ds.Name, metav1.DeleteOptions{}), cms.Delete(ctx, cm.Name, metav1.DeleteOptions{})} {
			if err != nil && !apierrors.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
	if _, err := dss.Create(ctx, ds.DeepCopy(), metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	if _, err := cms.Create(ctx, cm.DeepCopy(), metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}

// configure registers manifests/base's webhook configurations (equal to the chart's, which
// manifests/chart_test.go checks) pointed at the setup's backends, or removes them, and waits
// until the API server acts on the change: configuration changes reach its admission chain
// asynchronously. The probe is a dry-run create of the DaemonSet: the API server's count of
// webhook calls tells whether a webhook was called at all (a no-op's answer looks like no
// webhook), and the answer whether it was ours.
func configure(ctx context.Context, c kubernetes.Interface, warns *e2e.Warnings, root string, s *setup, caPEM []byte, ds *appsv1.DaemonSet) error {
	adm := c.AdmissionregistrationV1()
	// First none, so that a switch from one webhook to another is seen: both answer to the
	// same configuration names.
	if err := adm.MutatingWebhookConfigurations().Delete(ctx, "kubeadm-lint-webhook", metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	if err := adm.ValidatingWebhookConfigurations().Delete(ctx, "kubeadm-lint-webhook", metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	// A dry-run create of a name that exists is refused after admission, without the object.
	if err := c.AppsV1().DaemonSets("kube-system").Delete(ctx, ds.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	if err := await(ctx, c, ds, false, false); err != nil {
		return fmt.Errorf("removing the webhook configurations: %w", err)
	}
	if len(s.backends) > 0 {
		m, v, err := e2e.WebhookConfigurations(root, s.url(), caPEM)
		if err != nil {
			return err
		}
		if err := e2e.Register(ctx, c, m, v); err != nil {
			return err
		}
		if err := await(ctx, c, ds, true, !s.noop); err != nil {
			return err
		}
	}
	warns.Take()
	return nil
}

// await probes until a dry-run create of ds calls a webhook or not, as called says, and comes
// back with the guide's tolerations or as sent, as mutated says.
func await(ctx context.Context, c kubernetes.Interface, ds *appsv1.DaemonSet, called, mutated bool) error {
	deadline := time.Now().Add(time.Minute)
	for {
		before, err := webhookMetrics(ctx, c)
		if err != nil {
			return err
		}
		got, err := c.AppsV1().DaemonSets("kube-system").Create(ctx, ds.DeepCopy(), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil {
			after, merr := webhookMetrics(ctx, c)
			if merr != nil {
				return merr
			}
			if (after.calls > before.calls) == called && equality.Semantic.DeepEqual(got.Spec.Template.Spec.Tolerations, kubeadm.DefaultTolerations()) == mutated {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the webhook configurations did not take effect within a minute (last error %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// measure sends warmup unmeasured then count measured requests of p from n workers.
func measure(ctx context.Context, c kubernetes.Interface, s *setup, p op, n, count, warmup int, seq *int) (result, error) {
	r := result{setup: s, op: p.name, concurrency: n}
	send := func(count int, record bool) {
		var (
			mu   sync.Mutex
			next atomic.Int64
			wg   sync.WaitGroup
		)
		base := *seq
		*seq += count
		for range n {
			wg.Go(func() {
				for {
					i := int(next.Add(1))
					if i > count {
						return
					}
					start := time.Now()
					rv, err := p.do(ctx, c, base+i)
					d := time.Since(start)
					if err == nil && p.settle != nil {
						err = p.settle(ctx, c, rv)
					}
					if !record {
						continue
					}
					mu.Lock()
					r.durations = append(r.durations, d)
					if err != nil {
						r.errs++
						if r.firstErr == nil {
							r.firstErr = err
						}
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	}
	send(warmup, false)
	cpu0 := cpuTime(s.backends)
	before, err := webhookMetrics(ctx, c)
	if err != nil {
		return r, err
	}
	send(count, true)
	after, err := webhookMetrics(ctx, c)
	if err != nil {
		return r, err
	}
	r.webhookCPU = cpuTime(s.backends) - cpu0
	r.failOpen = after.failOpen - before.failOpen
	r.calls = after.calls - before.calls
	if r.firstErr != nil {
		fmt.Fprintf(os.Stderr, "  first error: %v\n", r.firstErr)
	}
	return r, nil
}

// add pools another round of the same series into r.
func (r *result) add(o result) {
	r.durations = append(r.durations, o.durations...)
	r.errs += o.errs
	r.failOpen += o.failOpen
	r.calls += o.calls
	r.webhookCPU += o.webhookCPU
	if r.firstErr == nil {
		r.firstErr = o.firstErr
	}
}

func (r *result) callsPerRequest() float64 { return float64(r.calls) / float64(len(r.durations)) }

// cpuPerRequest is the webhook processes' CPU per request, in milliseconds.
func (r *result) cpuPerRequest() float64 { return ms(r.webhookCPU) / float64(len(r.durations)) }

// profile loads one process of ours, then one of the no-op's, with each object's create for
// o.profileTime, and writes the process's CPU profile over that time and its allocation
// profiles before and after: 'go tool pprof -base' of the two gives the load's allocations.
func profile(ctx context.Context, c kubernetes.Interface, warns *e2e.Warnings, root string, caPEM []byte, setups []*setup, ops []op,
	ds *appsv1.DaemonSet, cm *corev1.ConfigMap, o options) error {
	if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
		return err
	}
	for _, s := range setups {
		if len(s.backends) != 1 || !(s.noop || s.ours) {
			continue
		}
		if err := configure(ctx, c, warns, root, s, caPEM, ds); err != nil {
			return err
		}
		if err := present(ctx, c, false, ds, cm); err != nil {
			return err
		}
		for _, p := range ops {
			if !p.create {
				continue
			}
			base := filepath.Join(o.profileDir, s.kind+"-"+strings.ToLower(strings.Fields(p.name)[0]))
			loadCtx, stop := context.WithCancel(ctx)
			var (
				wg   sync.WaitGroup
				sent atomic.Int64
			)
			wg.Go(func() {
				for i := 0; loadCtx.Err() == nil; i++ {
					_, _ = p.do(loadCtx, c, i)
					sent.Add(1)
				}
			})
			b := s.backends[0]
			err := fetch(b, "/debug/pprof/allocs", base+"-allocs-before.pprof")
			if err == nil {
				err = fetch(b, fmt.Sprintf("/debug/pprof/profile?seconds=%d", int(o.profileTime.Seconds())), base+"-cpu.pprof")
			}
			if err == nil {
				err = fetch(b, "/debug/pprof/allocs", base+"-allocs.pprof")
			}
			stop()
			wg.Wait()
			if err != nil {
				return fmt.Errorf("profiling %s under %s: %w", s.name, p.name, err)
			}
			fmt.Fprintf(os.Stderr, "profiled %s under %s, %d requests: go tool pprof -top %s-cpu.pprof; go tool pprof -sample_index=alloc_space -top -base %[4]s-allocs-before.pprof %[4]s-allocs.pprof\n",
				s.name, p.name, sent.Load(), base)
		}
	}
	return nil
}

// fetch writes what a backend's health port serves at path into file.
func fetch(b *backend, path, file string) error {
	resp, err := http.Get("http://" + b.health + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}

// counters are the API server's own counts of its webhook calls.
type counters struct {
	// failOpen counts calls that failed and were ignored (failurePolicy Ignore): such a request
	// succeeds for the client, so only this shows it.
	failOpen int
	// calls counts every call the API server made to a webhook.
	calls int
}

func webhookMetrics(ctx context.Context, c kubernetes.Interface) (counters, error) {
	body, err := c.Discovery().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return counters{}, fmt.Errorf("reading the API server's metrics: %w", err)
	}
	var failOpen, calls float64
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var sum *float64
		switch {
		case strings.HasPrefix(line, "apiserver_admission_webhook_fail_open_count{"):
			sum = &failOpen
		case strings.HasPrefix(line, "apiserver_admission_webhook_request_total{"):
			sum = &calls
		default:
			continue
		}
		f := strings.Fields(line)
		if v, err := strconv.ParseFloat(f[len(f)-1], 64); err == nil {
			*sum += v
		}
	}
	return counters{failOpen: int(failOpen), calls: int(calls)}, sc.Err()
}

// cpuTime is the user and system CPU time the backend processes have used so far.
func cpuTime(backends []*backend) time.Duration {
	var total time.Duration
	for _, b := range backends {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", b.cmd.Process.Pid))
		if err != nil {
			continue
		}
		// The fields after the command name, which is in parentheses and may hold spaces;
		// utime and stime are the 14th and 15th fields of the whole line, in clock ticks.
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		for _, v := range f[11:13] {
			ticks, _ := strconv.ParseInt(v, 10, 64)
			total += time.Duration(ticks) * time.Second / clockTicks
		}
	}
	return total
}

// clockTicks is USER_HZ, which Linux fixes at 100 for /proc.
const clockTicks = 100

// backend is one kubeadm-lint-webhook process.
type backend struct {
	cmd          *exec.Cmd
	addr, health string
	exited       chan struct{}
}

func startBackend(bin, dir string, i int, certFile, keyFile string, args ...string) (*backend, error) {
	ports, err := e2e.FreePorts(2)
	if err != nil {
		return nil, err
	}
	addr, health := fmt.Sprintf("127.0.0.1:%d", ports[0]), fmt.Sprintf("127.0.0.1:%d", ports[1])
	log, err := os.Create(filepath.Join(dir, fmt.Sprintf("webhook-%d.log", i)))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"--listen", addr, "--health-listen", health, "--tls-cert-file", certFile, "--tls-key-file", keyFile}, args...)...)
	// Its JSON log line per review goes to a file, as a container runtime would take it.
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	// In a cluster the API server speaks HTTP/1.1 to a Service's webhook, so that concurrent
	// calls open connections that spread over its endpoints (kubernetes#75791). To a URL it
	// would negotiate HTTP/2 and multiplex every call over one connection to one process:
	// Go's HTTP/2 server is switched off to get the in-cluster protocol.
	cmd.Env = append(os.Environ(), "GODEBUG=http2server=0")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &backend{cmd: cmd, addr: addr, health: health, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); log.Close(); close(b.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + health + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return b, nil
			}
		}
		select {
		case <-b.exited:
			return nil, fmt.Errorf("webhook %d exited; see its log", i)
		default:
		}
		if time.Now().After(deadline) {
			b.stop()
			return nil, fmt.Errorf("webhook %d not ready within 30 s: %v", i, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *backend) stop() {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exited:
	case <-time.After(25 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.exited
	}
}

// roundRobin spreads TCP connections over the backends in turn, as kube-proxy spreads a
// Service's connections over its endpoints. The API server cannot do it itself here: it finds a
// Service's endpoints in its EndpointSlices, which refuse loopback addresses, and loopback is
// the only address these benchmarks may use.
type roundRobin struct {
	ln       net.Listener
	backends []*backend
	next     atomic.Uint64
	conns    []atomic.Int64
}

func newRoundRobin(backends []*backend) (*roundRobin, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	lb := &roundRobin{ln: ln, backends: backends, conns: make([]atomic.Int64, len(backends))}
	go lb.serve()
	return lb, nil
}

func (lb *roundRobin) addr() string { return lb.ln.Addr().String() }
func (lb *roundRobin) close()       { lb.ln.Close() }

func (lb *roundRobin) counts() []int64 {
	out := make([]int64, len(lb.conns))
	for i := range lb.conns {
		out[i] = lb.conns[i].Load()
	}
	return out
}

func (lb *roundRobin) serve() {
	for {
		c, err := lb.ln.Accept()
		if err != nil {
			return
		}
		i := int(lb.next.Add(1)-1) % len(lb.backends)
		lb.conns[i].Add(1)
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", lb.backends[i].addr)
			if err != nil {
				return
			}
			defer up.Close()
			done := make(chan struct{}, 2)
			go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
			go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
			<-done
		}()
	}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(float64(len(s))*p/100)) - 1
	return s[max(i, 0)]
}

func mean(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// Goals of issue 16, at concurrency 16: what ours adds over no webhook.
const goalP50, goalP99 = 2 * time.Millisecond, 10 * time.Millisecond

// Goals of issue 25, against the no-op webhook: CPU per kube-proxy review, added latency, and
// webhook calls per update.
const goalCPU, goalAdded, goalCalls = 2.0, 1.1, 1.05

// table indexes the pooled results for the comparisons.
type table struct {
	none map[string]*result // by op and concurrency
	noop map[string]*result // by processes, op and concurrency
}

func newTable(rs []*result) table {
	t := table{none: map[string]*result{}, noop: map[string]*result{}}
	for _, r := range rs {
		switch {
		case len(r.setup.backends) == 0:
			t.none[fmt.Sprint(r.op, r.concurrency)] = r
		case r.setup.noop:
			t.noop[fmt.Sprint(r.setup.processes(), r.op, r.concurrency)] = r
		}
	}
	return t
}

// added is what r's webhook adds to the p50 (or p99) over no webhook.
func (t table) added(r *result, p float64) (time.Duration, bool) {
	n, ok := t.none[fmt.Sprint(r.op, r.concurrency)]
	if !ok {
		return 0, false
	}
	return percentile(r.durations, p) - percentile(n.durations, p), true
}

// yardstick is the no-op's result for ours.
func (t table) yardstick(r *result) (*result, bool) {
	n, ok := t.noop[fmt.Sprint(r.setup.processes(), r.op, r.concurrency)]
	return n, ok && !r.setup.noop && len(r.setup.backends) > 0
}

// addedRatio is what ours adds at p50 over what the no-op adds, and whether it meets the goal.
// A no-op that adds nothing measurable leaves no ratio: then ours must add no more than it.
func (t table) addedRatio(r *result) (ratio float64, pass, ok bool) {
	n, ok := t.yardstick(r)
	if !ok {
		return 0, false, false
	}
	ours, _ := t.added(r, 50)
	noop, _ := t.added(n, 50)
	if noop <= 0 {
		return math.NaN(), ours <= noop, true
	}
	ratio = float64(ours) / float64(noop)
	return ratio, ratio <= goalAdded, true
}

func report(rs []*result, setups []*setup, o options, date, load0, load1 string) string {
	t := newTable(rs)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%s\n\n## Admission latency through kube-apiserver (hack/apilatency)\n\n", beginMarker)
	p("Written by `make bench` (or `make bench-latency` alone) on %s: %s, %d cores, %s; load average %s at the start, %s at the end ", date, cpuModel(), runtime.NumCPU(), runtime.Version(), load0, load1)
	p("(the machine is shared, and etcd, kube-apiserver, the webhook processes and the client all run on its %d cores).\n\n", runtime.NumCPU())
	p("etcd and kube-apiserver v1.37.2 (the end-to-end suite's) on loopback. The objects are kubeadm's own, from its phase code: the kube-proxy ")
	p("DaemonSet as `kubeadm upgrade` writes it (blanket toleration, so the webhook patches every request) and the kubeadm-config ConfigMap ")
	p("(clean, so the validator answers with no warning; it caches findings by content, and the content does not change). Creates are dry runs, ")
	p("because the matchConditions need kubeadm's names, which exist once; they go through the whole admission chain and skip the etcd write. ")
	p("Updates carry a new annotation each, as dry runs and as real writes; real writes at concurrency 1 only, because concurrent writes of ")
	p("the one object the matchConditions let through conflict, and the API server runs admission again on every retry (14 to 45 webhook ")
	p("calls per request at 16 and 64, in earlier runs); each waits, unmeasured, until the API server's watch cache has its write, else the next update's admission runs twice. ")
	p("Each setup sits behind the same webhook configurations: manifests/base's, which equal the chart's, with a URL clientConfig. ")
	p("The no-op is hack/noopwebhook: kubewebhook's mutating and validating webhooks with a mutator and a validator that do nothing, decoding the ")
	p("object into an Unstructured (as our ConfigMap review does; our kube-proxy review decodes less), served with our server's settings, with no logging and no metrics. ")
	p("The setups take turns in %d rounds of %d requests per series (after %d unmeasured each), pooled, so that drift on the shared ", o.rounds, max(o.requests/o.rounds, 1), o.warmup)
	p("machine hits them alike. Errors are client errors plus the API server's `apiserver_admission_webhook_fail_open_count`: with failurePolicy ")
	p("Ignore a failed webhook call succeeds for the client. Webhook CPU is the user and system time of the setup's processes (from /proc, ")
	p("10 ms ticks) over the series, per request. *Added* is the p50 over no webhook's; *÷ no-op* is ours' added p50 over the no-op's.\n\n")
	p("Three processes sit behind a TCP round robin per connection, as kube-proxy spreads a Service's connections: the API server's own ")
	p("endpoint routing (`--enable-aggregator-routing`) reads EndpointSlices, which refuse loopback addresses, and loopback is the only address ")
	p("these benchmarks may use. The webhook processes serve HTTP/1.1 only, which the API server uses for a Service's webhook in a cluster, ")
	p("so that it opens a connection per concurrent call")
	for _, s := range setups {
		if s.lb != nil {
			p("; connections per process, %s: %v", s.name, s.lb.counts())
		}
	}
	p(".\n\n")
	p("| webhook | object, operation | concurrency | p50 ms | p99 ms | max ms | mean ms | errors | webhook calls per request | webhook CPU ms per request | added p50 ms | ÷ no-op |\n")
	p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		added, ratio := "", ""
		if d, ok := t.added(r, 50); ok && len(r.setup.backends) > 0 {
			added = fmt.Sprintf("%+.2f", ms(d))
		}
		if x, _, ok := t.addedRatio(r); ok {
			ratio = fmt.Sprintf("%.2f", x)
		}
		p("| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %d | %.2f | %.3f | %s | %s |\n", r.setup.name, r.op, r.concurrency,
			ms(percentile(r.durations, 50)), ms(percentile(r.durations, 99)), ms(slices.Max(r.durations)), ms(mean(r.durations)), r.errs+r.failOpen,
			r.callsPerRequest(), r.cpuPerRequest(), added, ratio)
	}

	p("\n### Goals\n\n")
	p("Issue 25, against the no-op webhook with as many processes: webhook CPU per kube-proxy review at most %.1fx the no-op's; ", goalCPU)
	p("added p50 at most %.1fx the no-op's, for every object and operation; no update row over %.2f webhook calls per request. ", goalAdded, goalCalls)
	p("Issue 16: at concurrency 16, ours adds at most %v at p50 and %v at p99 over no webhook, with no errors.\n\n", goalP50, goalP99)
	p("| goal | webhook | object, operation | concurrency | figure | verdict |\n|---|---|---|---:|---|---|\n")
	row := func(goal string, r *result, figure string, pass bool) {
		p("| %s | %s | %s | %d | %s | %s |\n", goal, r.setup.name, r.op, r.concurrency, figure, verdict(pass))
	}
	for _, r := range rs {
		n, ok := t.yardstick(r)
		if !ok || !r.setup.ours || !strings.HasPrefix(r.op, "kube-proxy") {
			continue
		}
		x := r.cpuPerRequest() / n.cpuPerRequest()
		row("CPU per review", r, fmt.Sprintf("%.3f ms, %.2fx the no-op's %.3f ms", r.cpuPerRequest(), x, n.cpuPerRequest()), x <= goalCPU)
	}
	for _, r := range rs {
		x, pass, ok := t.addedRatio(r)
		if !ok || !r.setup.ours {
			continue
		}
		n, _ := t.yardstick(r)
		ours, _ := t.added(r, 50)
		noop, _ := t.added(n, 50)
		row("added p50", r, fmt.Sprintf("%+.2f ms, %.2fx the no-op's %+.2f ms", ms(ours), x, ms(noop)), pass)
	}
	for _, r := range rs {
		if !(r.setup.ours || r.setup.noop) || !strings.Contains(r.op, "update") {
			continue
		}
		row("calls per update", r, fmt.Sprintf("%.2f", r.callsPerRequest()), r.callsPerRequest() <= goalCalls)
	}
	for _, r := range rs {
		if !r.setup.ours || r.concurrency != 16 {
			continue
		}
		d50, _ := t.added(r, 50)
		d99, _ := t.added(r, 99)
		row("issue 16", r, fmt.Sprintf("%+.2f ms p50, %+.2f ms p99", ms(d50), ms(d99)), d50 <= goalP50 && d99 <= goalP99 && r.errs+r.failOpen == 0)
	}
	p("\nOn 2 cores, at concurrency 16 the API server, etcd, the webhook and the client share them, so each request's latency is about 16 times ")
	p("its CPU cost divided by 2, and a webhook call's CPU, on the API server's side (encoding the review, TLS, decoding and applying the ")
	p("patch) and on the webhook's (the CPU column), multiplies into the queue. At concurrency 1 the same call adds what it costs once. ")
	p("Three processes cannot help on 2 cores; they are for availability.\n")
	p("\nKyverno's published figures, for scale and not for comparison: 35.6 ms average and 92.6 ms maximum admission latency with 3 replicas ")
	p("at 100 k6 virtual users creating Pods against its policies, on its own cluster. The workload, the policies, the hardware and the ")
	p("concurrency all differ from the runs above.\n\n%s\n", endMarker)
	return b.String()
}

func verdict(pass bool) string {
	if pass {
		return "PASS"
	}
	return "MISS"
}

// splice puts md into the file between the markers, or appends it.
func splice(path, md string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	if i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker); i >= 0 && j > i {
		s = s[:i] + md + strings.TrimPrefix(s[j+len(endMarker):], "\n")
	} else {
		if s != "" && !strings.HasSuffix(s, "\n\n") {
			s += "\n"
		}
		s += md
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s\n", path)
	return nil
}
