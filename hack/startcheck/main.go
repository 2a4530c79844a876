// Command startcheck starts the real control-plane components of each release with the command
// line kubeadm writes for a list of extraArgs, and says whether each one starts. It is the oracle
// of the start goldens (testdata/flags/start.tsv): 'make start-goldens' runs it through
// TestStartDifferential -update; 'make test' never does.
//
// Paths under /etc/kubernetes in a command line are read from a directory of the run's, which
// holds kubeadm's kubeconfigs and the files of -files.
//
// Each release directory under -components holds etcd, kube-apiserver, kube-controller-manager
// and kube-scheduler (hack/flags/gen.sh with BINDIR builds them). For a release, startcheck
// writes a PKI and kubeconfigs with kubeadm's own certs and kubeconfig phases, starts etcd and a
// kube-apiserver with kubeadm's default flags, then runs every case: the component's command
// from kubeadm's GetStaticPodSpecs with the case's extraArgs. A component that reaches
// "Serving securely" has parsed, validated and applied its options; one that exits first refused
// them. An etcd case starts etcd alone, as kubeadm's static Pod runs it with the case's
// extraArgs, before the node's own etcd takes kubeadm's ports; it serves once it logs "ready to
// serve client requests".
//
// Cases come on standard input and results go to standard output, one JSON object a line:
// {"release":"v1.37.2","component":"kube-apiserver","args":["--name=value"],"source":"..."}, and
// the results add "fails" and "message".
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	v1 "k8s.io/api/core/v1"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"
	certsphase "k8s.io/kubernetes/cmd/kubeadm/app/phases/certs"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/controlplane"
	etcdphase "k8s.io/kubernetes/cmd/kubeadm/app/phases/etcd"
	kubeconfigphase "k8s.io/kubernetes/cmd/kubeadm/app/phases/kubeconfig"
	configutil "k8s.io/kubernetes/cmd/kubeadm/app/util/config"
)

// Case is one extraArgs list for one component of one release.
type Case struct {
	Release   string   `json:"release"`
	Component string   `json:"component"`
	Args      []string `json:"args"`
	Source    string   `json:"source"`
	Fails     bool     `json:"fails"`
	Message   string   `json:"message"`
	// Probe says how kubeadm's probes of a component that serves fail: "GET /livez: 401". Empty
	// when every probe passes.
	Probe string `json:"probe,omitempty"`
	// Files are the case's own files, by their path under /etc/kubernetes, that its args name:
	// a configuration file the component reads at start.
	Files map[string]string `json:"files,omitempty"`
}

// serving is what each component logs once its options are parsed, validated and applied and
// its secure port listens.
const serving = "Serving securely on"

// startTimeout bounds one start. A component that neither serves nor exits in it is an error of
// the oracle, not a verdict.
const startTimeout = 90 * time.Second

func main() {
	components := flag.String("components", "", "the directory holding RELEASE/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler}")
	files := flag.String("files", "", "a directory whose files the components find in /etc/kubernetes, for flags that name a file")
	flag.Parse()
	// kubeadm's phases print what they write to standard output, which carries the results.
	out := os.Stdout
	os.Stdout = os.Stderr
	if err := run(*components, *files, os.Stdin, out); err != nil {
		fmt.Fprintln(os.Stderr, "startcheck:", err)
		os.Exit(1)
	}
}

func run(components, files string, in io.Reader, out io.Writer) error {
	if components == "" {
		return errors.New("-components is required")
	}
	byRelease := map[string][]Case{}
	var order []string
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return err
		}
		if byRelease[c.Release] == nil {
			order = append(order, c.Release)
		}
		byRelease[c.Release] = append(byRelease[c.Release], c)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, rel := range order {
		results, err := runRelease(filepath.Join(components, rel), files, rel, byRelease[rel])
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// node is one release's control plane on loopback: a PKI, kubeconfigs, etcd and a kube-apiserver
// with kubeadm's defaults, which the controller-manager and the scheduler cases talk to.
type node struct {
	dir, bin string
	cfg      *kubeadmapi.InitConfiguration
	procs    []*proc // etcd and init's kube-apiserver, once they serve
}

// proc is a running component.
type proc struct {
	cmd    *exec.Cmd
	log    *lockedBuffer
	exited chan struct{}
}

func runRelease(bin, files, rel string, cases []Case) ([]Case, error) {
	dir, err := os.MkdirTemp("", "startcheck-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if files != "" {
		if err := os.CopyFS(dir, os.DirFS(files)); err != nil {
			return nil, err
		}
	}
	n := &node{dir: dir, bin: bin}
	defer n.stop()
	if err := n.init(rel); err != nil {
		return nil, err
	}
	// etcd's cases come first: each starts etcd on kubeadm's ports, which the node's own etcd
	// holds once it serves.
	run := func(etcd bool) error {
		for i := range cases {
			c := &cases[i]
			if (c.Component == kubeadmconstants.Etcd) != etcd {
				continue
			}
			fmt.Fprintf(os.Stderr, "startcheck: %s %s %q\n", rel, c.Component, c.Args)
			if c.Fails, c.Message, c.Probe, err = n.tryWithFiles(*c); err != nil {
				return fmt.Errorf("%s %q: %w", c.Component, c.Args, err)
			}
		}
		return nil
	}
	if err := run(true); err != nil {
		return nil, err
	}
	if err := n.serve(); err != nil {
		return nil, err
	}
	if err := run(false); err != nil {
		return nil, err
	}
	return cases, nil
}

// init writes the node's PKI and kubeconfigs.
func (n *node) init(rel string) error {
	cfg, err := configutil.DefaultedStaticInitConfiguration()
	if err != nil {
		return err
	}
	cfg.KubernetesVersion = rel
	cfg.CertificatesDir = filepath.Join(n.dir, "pki")
	// kube-apiserver refuses to advertise a loopback address, as kubeadm's own preflight does.
	addr, err := hostAddress()
	if err != nil {
		return err
	}
	cfg.LocalAPIEndpoint.AdvertiseAddress = addr
	cfg.NodeRegistration.Name = "startcheck"
	cfg.Etcd.Local.DataDir = filepath.Join(n.dir, "etcd")
	n.cfg = cfg
	if err := certsphase.CreatePKIAssets(cfg); err != nil {
		return err
	}
	for _, name := range []string{kubeadmconstants.ControllerManagerKubeConfigFileName, kubeadmconstants.SchedulerKubeConfigFileName} {
		if err := kubeconfigphase.CreateKubeConfigFile(name, n.dir, cfg); err != nil {
			return err
		}
	}
	return nil
}

// serve starts the node's etcd and kube-apiserver with kubeadm's defaults.
func (n *node) serve() error {
	cfg := n.cfg
	etcd := etcdphase.GetEtcdPodSpec(&cfg.ClusterConfiguration, &cfg.LocalAPIEndpoint, cfg.NodeRegistration.Name, nil)
	p, err := n.start(etcd.Spec.Containers[0].Command, etcdServing)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	n.procs = append(n.procs, p)
	// The kube-apiserver the other components use, on kubeadm's port.
	pod := controlplane.GetStaticPodSpecs(&cfg.ClusterConfiguration, &cfg.LocalAPIEndpoint, nil)[kubeadmconstants.KubeAPIServer]
	if p, err = n.start(pod.Spec.Containers[0].Command, serving); err != nil {
		return fmt.Errorf("kube-apiserver with kubeadm's defaults: %w", err)
	}
	n.procs = append(n.procs, p)
	return nil
}

// tryWithFiles writes the case's files where its args name them, for the one case.
func (n *node) tryWithFiles(c Case) (fails bool, msg, probe string, err error) {
	for name, content := range c.Files {
		path := n.local(name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return false, "", "", err
		}
		if err := os.WriteFile(path, []byte(n.local(content)), 0o600); err != nil {
			return false, "", "", err
		}
		defer os.Remove(path)
	}
	return n.try(c.Component, c.Args)
}

// local moves the paths under /etc/kubernetes in text into the node's directory, where the
// kubeconfigs and the case's files are.
func (n *node) local(text string) string {
	return strings.ReplaceAll(text, kubeadmconstants.KubernetesDir+"/", n.dir+"/")
}

// try starts a component with the case's extraArgs, probes it as the kubelet probes kubeadm's
// static Pod, stops it, and reports whether it refused to start or failed a probe.
func (n *node) try(component string, args []string) (fails bool, msg, probe string, err error) {
	cfg := n.cfg.ClusterConfiguration // a copy: each case sets its own extraArgs
	endpoint := n.cfg.LocalAPIEndpoint
	extra := toArgs(args)
	switch component {
	case kubeadmconstants.Etcd:
		return n.tryEtcd(cfg, extra)
	case kubeadmconstants.KubeAPIServer:
		cfg.APIServer.ExtraArgs = extra
		// A case's kube-apiserver listens beside init's.
		port, err := freePort()
		if err != nil {
			return false, "", "", err
		}
		endpoint.BindPort = int32(port)
	case kubeadmconstants.KubeControllerManager:
		cfg.ControllerManager.ExtraArgs = extra
	case kubeadmconstants.KubeScheduler:
		cfg.Scheduler.ExtraArgs = extra
	default:
		return false, "", "", fmt.Errorf("no oracle for %s", component)
	}
	// The controller-manager and the scheduler serve on kubeadm's ports, one case at a time: a
	// port of the oracle's would hide a case's own --secure-port from the probes.
	pod := controlplane.GetStaticPodSpecs(&cfg, &endpoint, nil)[component]
	return n.verdict(pod.Spec.Containers[0], serving)
}

// verdict starts a static Pod's container until it logs marker, and probes it as the kubelet
// would.
func (n *node) verdict(c v1.Container, marker string) (fails bool, msg, probe string, err error) {
	p, err := n.start(slicesMap(c.Command, n.local), marker)
	var refused *refusal
	var stalled *stall
	switch {
	case errors.As(err, &refused):
		return true, refused.message, "", nil
	case errors.As(err, &stalled):
		return true, stalled.message, "", nil
	case err != nil:
		return false, "", "", err
	}
	// The controller-manager and the scheduler start leader election once they serve, and
	// client-go's NewLeaderElector refuses its timing then: the process exits (the scheduler)
	// or panics (the controller-manager) a moment after the marker.
	if c.Name == kubeadmconstants.KubeControllerManager || c.Name == kubeadmconstants.KubeScheduler {
		select {
		case <-p.exited:
			return true, firstError(p.log.String()), "", nil
		case <-time.After(afterServing):
		}
	}
	defer p.stop()
	return false, "", probes(c, n.cfg.LocalAPIEndpoint.AdvertiseAddress), nil
}

// afterServing is how long a controller-manager or scheduler that serves is watched for an exit.
const afterServing = 2 * time.Second

// tryEtcd starts etcd as kubeadm's static Pod runs it, with the case's extraArgs and a data
// directory of its own, and probes it.
func (n *node) tryEtcd(cfg kubeadmapi.ClusterConfiguration, extra []kubeadmapi.Arg) (fails bool, msg, probe string, err error) {
	local := *cfg.Etcd.Local
	local.ExtraArgs = extra
	if local.DataDir, err = os.MkdirTemp(n.dir, "etcd-case-"); err != nil {
		return false, "", "", err
	}
	defer os.RemoveAll(local.DataDir)
	cfg.Etcd.Local = &local
	pod := etcdphase.GetEtcdPodSpec(&cfg, &n.cfg.LocalAPIEndpoint, n.cfg.NodeRegistration.Name, nil)
	return n.verdict(pod.Spec.Containers[0], etcdServing)
}

// etcdServing is what etcd logs once it serves its clients.
const etcdServing = "ready to serve client requests"

// probeTimeout is how long a probe may take to pass: kube-apiserver's /readyz waits for its
// post-start hooks.
const probeTimeout = 60 * time.Second

// probes runs the container's HTTP probes as the kubelet does, without credentials and without
// checking the certificate, until each passes or probeTimeout runs out, and says how the first
// failing one fails.
func probes(c v1.Container, nodeIP string) string {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	deadline := time.Now().Add(probeTimeout)
	for _, pr := range []*v1.Probe{c.StartupProbe, c.LivenessProbe, c.ReadinessProbe} {
		if pr == nil || pr.HTTPGet == nil {
			continue
		}
		g := pr.HTTPGet
		port := g.Port.IntValue()
		for _, cp := range c.Ports {
			if cp.Name == g.Port.String() {
				port = int(cp.ContainerPort)
			}
		}
		host := g.Host
		if host == "" {
			host = nodeIP // a hostNetwork Pod's IP is the node's
		}
		url := fmt.Sprintf("%s://%s%s", strings.ToLower(string(g.Scheme)), net.JoinHostPort(host, strconv.Itoa(port)), g.Path)
		var last string
		for {
			resp, err := client.Get(url)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode >= 200 && resp.StatusCode < 400 {
					last = ""
					break
				}
				last = fmt.Sprintf("GET %s: %s", g.Path, resp.Status)
				if resp.StatusCode == http.StatusUnauthorized {
					break // authentication has no cache to warm: the answer stays (a 403 may not, until RBAC's informers sync)
				}
			} else {
				last = fmt.Sprintf("GET %s: %v", g.Path, err)
			}
			if time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Second)
		}
		if last != "" {
			return last
		}
	}
	return ""
}

// stall is a component that neither served nor exited in startTimeout. For a case it is a
// verdict, as kubeadm's wait for the control plane would fail on it too; for init's etcd and
// kube-apiserver it is an error of the oracle.
type stall struct{ message string }

func (s *stall) Error() string { return s.message }

// refusal is a component that exited before it served.
type refusal struct{ message string }

func (r *refusal) Error() string { return r.message }

// start runs command (its first word the component's name, found in the release's directory)
// until it logs marker. A process that exits first is a *refusal.
func (n *node) start(command []string, marker string) (*proc, error) {
	name := filepath.Base(command[0])
	cmd := exec.Command(filepath.Join(n.bin, name), command[1:]...)
	cmd.Dir = n.dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + n.dir}
	var log lockedBuffer
	found := make(chan struct{})
	log.marker, log.found = []byte(marker), found
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, log: &log, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	select {
	case <-found:
		return p, nil
	case <-p.exited:
		return nil, &refusal{message: firstError(log.String())}
	case <-time.After(startTimeout):
		_ = cmd.Process.Kill()
		<-p.exited
		return nil, &stall{fmt.Sprintf("%s neither served nor exited in %s: %s", name, startTimeout, tail(log.String()))}
	}
}

func (n *node) stop() {
	for i := len(n.procs) - 1; i >= 0; i-- {
		n.procs[i].stop()
	}
}

// stop interrupts the process, kills it after 10 s, and waits for it.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// lockedBuffer collects a process's output and closes found once marker appears in it.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker []byte
	found  chan struct{}
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.found != nil && bytes.Contains(b.buf.Bytes(), b.marker) {
		close(b.found)
		b.found = nil
	}
	return n, err
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// firstError picks the line that says what went wrong out of a component's output: cobra's
// "Error: ", klog's err="...", Go's flag package (etcd's parse), a panic, or the error of etcd's
// zap log.
func firstError(text string) string {
	lines := strings.Split(text, "\n")
	for _, marker := range []string{"Error: ", `err="`, "invalid value ", "panic: "} {
		for _, l := range lines {
			if i := strings.Index(l, marker); i >= 0 {
				return strings.TrimSpace(l[i:])
			}
		}
	}
	for _, l := range lines {
		var entry struct{ Msg, Error string }
		if json.Unmarshal([]byte(l), &entry) == nil && entry.Error != "" {
			return entry.Msg + ": " + entry.Error
		}
	}
	return tail(text)
}

func tail(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	return strings.Join(lines[max(0, len(lines)-3):], "\n")
}

func toArgs(args []string) []kubeadmapi.Arg {
	var out []kubeadmapi.Arg
	for _, a := range args {
		name, value, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		out = append(out, kubeadmapi.Arg{Name: name, Value: value})
	}
	return out
}

func slicesMap(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// hostAddress returns the machine's first IPv4 address that is not a loopback one.
func hostAddress() (string, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "", err
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String(), nil
		}
	}
	return "", errors.New("the machine has no IPv4 address but loopback ones, and kube-apiserver advertises none of those")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
