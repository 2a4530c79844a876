// Package e2e runs the webhook behind a real kube-apiserver and etcd on loopback, registered
// with the webhook configurations of manifests/base, and drives kubeadm's own phase code
// against it.
package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// BinDir is where 'make e2e-bins' puts etcd and kube-apiserver, relative to the repository root.
const BinDir = "bin"

// RepoRoot finds the repository root from the working directory of a test.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Binaries returns the paths of etcd and kube-apiserver, or an error that says how to build
// them. The suite fails on it: a missing binary must never turn into a silent skip.
func Binaries(root string) (etcd, apiserver string, err error) {
	etcd, apiserver = filepath.Join(root, BinDir, "etcd"), filepath.Join(root, BinDir, "kube-apiserver")
	for _, b := range []string{etcd, apiserver} {
		if _, err := os.Stat(b); err != nil {
			return "", "", fmt.Errorf("%s is missing: run 'make e2e-bins' (builds etcd and kube-apiserver from the Go module proxy, about 10 minutes the first time)", b)
		}
	}
	return etcd, apiserver, nil
}

// Cluster is a running etcd and kube-apiserver.
type Cluster struct {
	// Config reaches the API server as an admin; copy it before changing it.
	Config *rest.Config
	dir    string
	procs  []*child
}

// StartCluster starts etcd and kube-apiserver on free loopback ports under dir and waits until
// the API server is ready; extraArgs go to kube-apiserver last. Stop must be called, also when
// StartCluster fails.
func StartCluster(ctx context.Context, root, dir string, extraArgs ...string) (*Cluster, error) {
	etcdBin, apiserverBin, err := Binaries(root)
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	ports, err := FreePorts(3)
	if err != nil {
		return c, err
	}
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	if err := c.start(etcdBin, "etcd",
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
		"--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		"--initial-cluster", fmt.Sprintf("default=http://127.0.0.1:%d", ports[1]),
		"--log-level", "warn",
	); err != nil {
		return c, err
	}

	token, err := randomToken()
	if err != nil {
		return c, err
	}
	tokenFile := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokenFile, []byte(token+`,admin,admin,"system:masters"`+"\n"), 0o600); err != nil {
		return c, err
	}
	saKey := filepath.Join(dir, "sa.key")
	if err := writeServiceAccountKey(saKey); err != nil {
		return c, err
	}
	if err := c.start(apiserverBin, "kube-apiserver", append([]string{
		"--etcd-servers", etcdURL,
		"--bind-address", "127.0.0.1",
		"--advertise-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(ports[2]),
		"--cert-dir", filepath.Join(dir, "apiserver-certs"),
		"--token-auth-file", tokenFile,
		"--authorization-mode", "RBAC",
		// kube-proxy runs privileged; kubeadm's API server allows it too.
		"--allow-privileged=true",
		"--service-cluster-ip-range", "10.96.0.0/12",
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", saKey,
		"--service-account-signing-key-file", saKey,
		// No endpoints for the kubernetes Service: on loopback there is no node address to
		// publish, and the reconciler would refuse 127.0.0.1.
		"--endpoint-reconciler-type", "none",
	}, extraArgs...)...); err != nil {
		return c, err
	}
	c.Config = &rest.Config{
		Host:            fmt.Sprintf("https://127.0.0.1:%d", ports[2]),
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{Insecure: true}, // the API server's own self-signed loopback certificate
		QPS:             -1,                                   // no client-side throttling in tests
	}
	return c, c.waitReady(ctx)
}

// start runs a child process with its output in a log file. Children get SIGKILL if the test
// process dies, so that a failed run never leaves an API server behind.
func (c *Cluster) start(bin, name string, args ...string) error {
	log, err := os.Create(filepath.Join(c.dir, name+".log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = childAttrs()
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("starting %s: %w", name, err)
	}
	ch := &child{cmd: cmd, log: log, exited: make(chan struct{})}
	// Reaping at once is what lets waitReady see a child that died: an exited child that is
	// not waited for stays a zombie, which still answers signal 0.
	go func() { _ = cmd.Wait(); close(ch.exited) }()
	c.procs = append(c.procs, ch)
	return nil
}

func (c *Cluster) waitReady(ctx context.Context) error {
	client, err := kubernetes.NewForConfig(c.Config)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && strings.TrimSpace(string(body)) == "ok" {
			// kube-system is created by a post-start hook; the scenarios need it.
			if _, err := client.CoreV1().Namespaces().Get(ctx, "kube-system", metav1.GetOptions{}); err == nil {
				return nil
			}
		}
		for _, p := range c.procs {
			select {
			case <-p.exited:
				return fmt.Errorf("%s exited; its log:\n%s", filepath.Base(p.cmd.Path), tail(p.log.Name()))
			default:
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kube-apiserver not ready: %v; its log:\n%s", err, tail(filepath.Join(c.dir, "kube-apiserver.log")))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stop kills the API server, then etcd, and waits for both.
func (c *Cluster) Stop() {
	for i := len(c.procs) - 1; i >= 0; i-- {
		p := c.procs[i]
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		p.log.Close()
	}
	c.procs = nil
}

// child is a process the cluster started, with its log and a channel closed once it is reaped.
type child struct {
	cmd    *exec.Cmd
	log    *os.File
	exited chan struct{}
}

// Client returns an admin clientset whose warnings go to w.
func (c *Cluster) Client(w *Warnings) (*kubernetes.Clientset, error) {
	cfg := rest.CopyConfig(c.Config)
	if w != nil {
		cfg.WarningHandler = w
	}
	return kubernetes.NewForConfig(cfg)
}

// Dynamic returns an admin dynamic client, for custom resources, whose warnings go to w.
func (c *Cluster) Dynamic(w *Warnings) (*dynamic.DynamicClient, error) {
	cfg := rest.CopyConfig(c.Config)
	if w != nil {
		cfg.WarningHandler = w
	}
	return dynamic.NewForConfig(cfg)
}

// Warnings collects the admission warnings the API server passes to a client.
type Warnings struct {
	mu   sync.Mutex
	list []string
}

// HandleWarningHeader implements rest.WarningHandler.
func (w *Warnings) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, text)
}

// Take returns the warnings received since the last call.
func (w *Warnings) Take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.list
	w.list = nil
	return out
}

// FreePorts returns n loopback ports that were free a moment ago, for servers a test or a
// benchmark starts.
func FreePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// writeServiceAccountKey writes the key the API server signs and checks tokens with.
func writeServiceAccountKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), 0o600)
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// tail returns the end of a log file, for error messages.
func tail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	data, _ := io.ReadAll(f)
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}
