package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	batchv1 "k8s.io/api/batch/v1"
	certificatesv1 "k8s.io/api/certificates/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/utils/ptr"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// auditEnv is a cluster that kubeadm's own phase code set up, for the audit scenarios, which
// run in order: the faults are planted after the clean cluster is audited.
type auditEnv struct {
	root, dir  string
	cluster    *Cluster
	client     *kubernetes.Clientset
	kubeconfig string // the admin's, with the API server's CA
	ca         []byte
	cli        string // the kubeadm-lint binary
	// upgrade is the path auditAs checks the upgrade through; nil for none.
	upgrade []string
}

// newAuditEnv starts a cluster and builds the CLI that audits it.
func newAuditEnv(t *testing.T) *auditEnv {
	e := &auditEnv{}
	e.root, e.dir, e.cluster = startCluster(t)
	var err error
	if e.client, err = e.cluster.Client(nil); err != nil {
		t.Fatal(err)
	}
	if e.cli, err = buildCLI(e.root, e.dir); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestClusterAudit audits a cluster that kubeadm's phase code set up, through the real API
// server: clean, then with a fault planted for every cluster check.
func TestClusterAudit(t *testing.T) {
	e := newAuditEnv(t)
	e.setUp(t)

	t.Run("clean: kubeadm's own cluster has no errors", e.clean)
	t.Run("rbac: the ClusterRole in manifests/audit grants every read", e.auditRole)
	t.Run("forbidden: a missing permission is a finding and the other checks run", e.forbidden)
	t.Run("unreachable: exit 2 with one line within the request timeout", e.unreachable)
	t.Run("faults: every planted fault is found", e.faults)
	t.Run("formats: every format carries cluster findings", e.formats)
	t.Run("expiry: certificates near their end", e.expiry)
}

// setUp runs kubeadm's phases, registers one control-plane node and kubeadm-lint's webhooks,
// and writes the admin's kubeconfig.
func (e *auditEnv) setUp(t *testing.T) {
	ctx := context.Background()
	kc := e.writeKubeconfig(t)
	k, err := NewKubeadm()
	if err != nil {
		t.Fatal(err)
	}
	e.phases(t, k, kc)
	e.node(t, "cp-1", "10.0.0.10", "v1.37.2", readyCondition())
	// kubeadm-lint's webhooks as users deploy them, with nothing behind them: failurePolicy
	// Ignore lets every write through, and the audit must not count them as a wedge.
	m, v, err := WebhookConfigurations(e.root, "https://127.0.0.1:1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(ctx, e.client, m, v); err != nil {
		t.Fatal(err)
	}
}

// writeKubeconfig writes the admin's kubeconfig, with the API server's CA.
func (e *auditEnv) writeKubeconfig(t *testing.T) *clientcmdapi.Config {
	t.Helper()
	var err error
	if e.ca, err = os.ReadFile(filepath.Join(e.dir, "apiserver-certs", "apiserver.crt")); err != nil {
		t.Fatal(err)
	}
	kc := clientcmdapi.NewConfig()
	kc.Clusters["e2e"] = &clientcmdapi.Cluster{Server: e.cluster.Config.Host, CertificateAuthorityData: e.ca}
	kc.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: e.cluster.Config.BearerToken}
	kc.Contexts["admin@e2e"] = &clientcmdapi.Context{Cluster: "e2e", AuthInfo: "admin"}
	kc.CurrentContext = "admin@e2e"
	e.kubeconfig = filepath.Join(e.dir, "admin.conf")
	if err := clientcmd.WriteToFile(*kc, e.kubeconfig); err != nil {
		t.Fatal(err)
	}
	return kc
}

// phases runs kubeadm init's phases that write objects through the API server.
func (e *auditEnv) phases(t *testing.T, k *Kubeadm, kc *clientcmdapi.Config) {
	t.Helper()
	for name, phase := range map[string]func() error{
		"upload-config":    func() error { return k.UploadConfig(e.client) },
		"bootstrap-token":  func() error { return k.BootstrapToken(e.client, kc) },
		"addon/kube-proxy": func() error { return k.EnsureProxy(e.client) },
		"addon/coredns":    func() error { return k.EnsureDNS(e.client) },
	} {
		if err := phase(); err != nil {
			t.Fatalf("kubeadm phase %s: %v", name, err)
		}
	}
}

func readyCondition() corev1.NodeCondition {
	return corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status"}
}

// node registers a node as its kubelet would: the object, then its status.
func (e *auditEnv) node(t *testing.T, name, ip, kubelet string, ready corev1.NodeCondition, taints ...corev1.Taint) {
	t.Helper()
	ctx := context.Background()
	n, err := e.client.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.NodeSpec{Taints: taints}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ready.LastHeartbeatTime, ready.LastTransitionTime = metav1.Now(), metav1.Now()
	n.Status = corev1.NodeStatus{
		Addresses:  []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: ip}, {Type: corev1.NodeHostName, Address: name}},
		Conditions: []corev1.NodeCondition{ready},
		NodeInfo:   corev1.NodeSystemInfo{KubeletVersion: kubelet},
	}
	if _, err := e.client.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// cliResult is one run of the kubeadm-lint binary.
type cliResult struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

func (e *auditEnv) run(t *testing.T, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(e.cli, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+e.kubeconfig, "GITHUB_ACTIONS=")
	cmd.Dir = e.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := cliResult{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return res
}

// jsonFindings runs the audit through the CLI with --format json.
func (e *auditEnv) jsonFindings(t *testing.T, args ...string) (int, []jsonFinding) {
	t.Helper()
	res := e.run(t, append([]string{"cluster", "--format", "json"}, args...)...)
	var out struct {
		Findings []jsonFinding `json:"findings"`
		Summary  struct {
			Objects int `json:"objects"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("exit %d, stderr %q: %v\n%s", res.code, res.stderr, err, res.stdout)
	}
	if out.Summary.Objects == 0 {
		t.Errorf("the summary counts no objects:\n%s", res.stdout)
	}
	return res.code, out.Findings
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Object   string `json:"object"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
}

func (e *auditEnv) clean(t *testing.T) {
	code, findings := e.jsonFindings(t)
	for _, f := range findings {
		if f.Severity == "error" {
			t.Errorf("error on the clean cluster: %+v", f)
		} else {
			t.Logf("%s %s %s: %s", f.Severity, f.Rule, f.Object, f.Message)
		}
		if f.File != "" || f.Object == "" {
			t.Errorf("a cluster finding names a file, not an object: %+v", f)
		}
	}
	if code != 0 {
		t.Errorf("exit %d on the clean cluster, want 0", code)
	}
}

// auditAs audits in-process with the identity of a ServiceAccount's token, at now.
func (e *auditEnv) auditAs(t *testing.T, token string, now time.Time, edit func(*rest.Config)) *audit.Report {
	t.Helper()
	cfg := &rest.Config{Host: e.cluster.Config.Host, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{CAData: e.ca}, Timeout: 10 * time.Second}
	if edit != nil {
		edit(cfg)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(pipeline.Config{Rules: catalog.All(), WorkDir: e.dir})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Run(context.Background(), audit.Config{
		Client: client, REST: cfg, Now: now, Rules: catalog.All(), Policy: p.Policy,
		Linter:   func(release string) (audit.Linter, error) { return p.ForRelease(release) },
		Upgrade:  e.upgrade,
		LinterAt: func(release string) (audit.Linter, error) { return p.At(release) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// serviceAccountToken creates a ServiceAccount bound to role and returns a token for it.
func (e *auditEnv) serviceAccountToken(t *testing.T, namespace, name string, role rbacv1.RoleRef) string {
	t.Helper()
	ctx := context.Background()
	if _, err := e.client.CoreV1().ServiceAccounts(namespace).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	subject := []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: name, Namespace: namespace}}
	var err error
	if role.Kind == "ClusterRole" {
		_, err = e.client.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name}, RoleRef: role, Subjects: subject}, metav1.CreateOptions{})
	} else {
		_, err = e.client.RbacV1().RoleBindings(metav1.NamespaceSystem).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name}, RoleRef: role, Subjects: subject}, metav1.CreateOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	tr, err := e.client.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, name, &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Status.Token
}

// auditRole applies manifests/audit as users do and audits as its ServiceAccount.
func (e *auditEnv) auditRole(t *testing.T) {
	ctx := context.Background()
	out, err := Render(filepath.Join(e.root, "manifests", "audit"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-lint"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var account *corev1.ServiceAccount
	kinds := map[string]bool{}
	for _, doc := range strings.Split(string(out), "\n---\n") {
		obj, _, err := scheme.Codecs.UniversalDeserializer().Decode([]byte(doc), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		switch o := obj.(type) {
		case *corev1.ServiceAccount:
			account, err = e.client.CoreV1().ServiceAccounts(o.Namespace).Create(ctx, o, metav1.CreateOptions{})
		case *rbacv1.ClusterRole:
			_, err = e.client.RbacV1().ClusterRoles().Create(ctx, o, metav1.CreateOptions{})
		case *rbacv1.ClusterRoleBinding:
			_, err = e.client.RbacV1().ClusterRoleBindings().Create(ctx, o, metav1.CreateOptions{})
		case *batchv1.CronJob:
			_, err = e.client.BatchV1().CronJobs(o.Namespace).Create(ctx, o, metav1.CreateOptions{})
		default:
			t.Fatalf("manifests/audit has an unexpected %T", obj)
		}
		if err != nil {
			t.Fatalf("the API server refused a manifests/audit object: %v", err)
		}
		kinds[fmt.Sprintf("%T", obj)] = true
	}
	if len(kinds) != 4 || account == nil {
		t.Fatalf("manifests/audit rendered %v, want a ServiceAccount, ClusterRole, ClusterRoleBinding and CronJob", kinds)
	}
	tr, err := e.client.CoreV1().ServiceAccounts(account.Namespace).CreateToken(ctx, account.Name, &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep := e.auditAs(t, tr.Status.Token, time.Time{}, nil)
	for _, f := range rep.Findings {
		if f.Rule == "KL601" || f.Severity == lint.SeverityError {
			t.Errorf("as the audit's ServiceAccount: %s %s %s", f.Rule, f.Pos, f.Message)
		}
	}
	kubeadmKeys := 0
	for name := range rep.Sources {
		if !strings.HasPrefix(name, "configmap/kube-system/coredns") {
			kubeadmKeys++
		}
	}
	if kubeadmKeys != 3 {
		t.Errorf("linted %d kubeadm ConfigMaps as the audit's ServiceAccount, want 3", kubeadmKeys)
	}
	if len(e.upgrade) > 0 && len(rep.Upgrade) == 0 {
		t.Errorf("as the audit's ServiceAccount, no upgrade step was checked")
	}
}

// forbidden audits as an account that may read only the kube-system ConfigMaps.
func (e *auditEnv) forbidden(t *testing.T) {
	ctx := context.Background()
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "configmaps-only"}, Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get"}}}}
	if _, err := e.client.RbacV1().Roles(metav1.NamespaceSystem).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	token := e.serviceAccountToken(t, metav1.NamespaceSystem, "configmaps-only", rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role.Name})
	rep := e.auditAs(t, token, time.Time{}, nil)
	missing := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "KL601" {
			missing[f.Pos.File] = true
			if !strings.Contains(f.Message, "is forbidden") || !strings.Contains(f.Hint, "grant") {
				t.Errorf("KL601 does not say what is missing: %s (hint %q)", f.Message, f.Hint)
			}
		}
	}
	for _, resource := range []string{"nodes", "pods", "daemonsets", "certificatesigningrequests", "clusterroles", "mutatingwebhookconfigurations"} {
		if !missing[resource] {
			t.Errorf("no KL601 for %s; got %v", resource, missing)
		}
	}
	if len(rep.Sources) != 3 {
		t.Errorf("the ConfigMap checks did not run: linted %d keys", len(rep.Sources))
	}
}

func (e *auditEnv) unreachable(t *testing.T) {
	kubeconfig := func(name, server string) string {
		kc := clientcmdapi.NewConfig()
		kc.Clusters[name] = &clientcmdapi.Cluster{Server: server, InsecureSkipTLSVerify: true}
		kc.AuthInfos[name] = &clientcmdapi.AuthInfo{Token: "x"}
		kc.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
		kc.CurrentContext = name
		path := filepath.Join(e.dir, name+".conf")
		if err := clientcmd.WriteToFile(*kc, path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// A server that accepts connections and never answers: the request hangs until its timeout.
	hung, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hung.Close()
	go func() {
		for {
			conn, err := hung.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	bad := filepath.Join(e.dir, "bad.conf")
	if err := os.WriteFile(bad, []byte("apiVersion: v1\nkind: Config\nclusters: [oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		timeout time.Duration
		args    []string
	}{
		{"refused", 10 * time.Second, []string{"--kubeconfig", kubeconfig("refused", "https://127.0.0.1:1")}},
		{"hung", 2 * time.Second, []string{"--kubeconfig", kubeconfig("hung", "https://"+hung.Addr().String()), "--request-timeout", "2s"}},
		{"bad kubeconfig", 0, []string{"--kubeconfig", bad}},
		{"missing kubeconfig", 0, []string{"--kubeconfig", filepath.Join(e.dir, "none.conf")}},
		{"no such context", 0, []string{"--kubeconfig", e.kubeconfig, "--context", "nope"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.run(t, append([]string{"cluster"}, c.args...)...)
			lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
			if res.code != 2 || len(lines) != 1 || !strings.HasPrefix(lines[0], "kubeadm-lint: ") || res.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line on stderr", res.code, res.stdout, res.stderr)
			}
			// Not a measure of speed: a margin that only a run ignoring its timeout exceeds.
			if limit := c.timeout + 8*time.Second; res.took > limit {
				t.Errorf("took %v with a request timeout of %v", res.took, c.timeout)
			}
			t.Logf("%v: %s", res.took.Round(time.Millisecond), lines[0])
		})
	}
}

// planted is a fault and where the audit must report it.
type planted struct{ rule, object string }

// plant puts a fault in the cluster for every cluster check, and returns where each must be
// found.
func (e *auditEnv) plant(t *testing.T) []planted {
	t.Helper()
	ctx := context.Background()
	core := e.client.CoreV1()

	// The kubeadm-config: a podSubnet inside the serviceSubnet (KL101, from the file rules), and
	// an external cloud provider, under which kube-proxy's tolerations matter (KL603).
	cm, err := core.ConfigMaps(metav1.NamespaceSystem).Get(ctx, "kubeadm-config", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	text := cm.Data["ClusterConfiguration"]
	edited := strings.Replace(text, "podSubnet: 10.244.0.0/16", "podSubnet: 10.96.0.0/16", 1)
	edited = strings.Replace(edited, "controllerManager: {}", "controllerManager:\n  extraArgs:\n  - name: cloud-provider\n    value: external", 1)
	if strings.Count(edited, "10.96.0.0/16")+strings.Count(edited, "cloud-provider") != 2 {
		t.Fatalf("the kubeadm-config kubeadm uploaded is not as expected:\n%s", text)
	}
	cm.Data["ClusterConfiguration"] = edited
	if _, err := core.ConfigMaps(metav1.NamespaceSystem).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := core.ConfigMaps(metav1.NamespaceSystem).Delete(ctx, "kubelet-config", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}

	networkDown := corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionFalse, Reason: "KubeletNotReady",
		Message: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"}
	e.node(t, "worker-1", "10.0.0.21", "v1.37.2", readyCondition(), corev1.Taint{Key: kubeadm.TaintUninitialized, Value: "true", Effect: corev1.TaintEffectNoSchedule})
	e.node(t, "worker-2", "10.0.0.22", "v1.37.2", networkDown)
	e.node(t, "worker-3", "10.0.2.15", "v1.37.2", readyCondition())
	e.node(t, "worker-4", "10.0.2.15", "v1.37.2", readyCondition())
	e.node(t, "worker-5", "10.0.0.25", "v1.38.0", readyCondition())
	e.node(t, "worker-6", "10.0.0.26", "v1.33.1", readyCondition())

	// CoreDNS Pods as its Deployment makes them: one not scheduled, one restarting.
	dns, err := e.client.AppsV1().Deployments(metav1.NamespaceSystem).Get(ctx, kubeadm.CoreDNSName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"coredns-pending", "coredns-crash"} {
		pod := &corev1.Pod{ObjectMeta: *dns.Spec.Template.ObjectMeta.DeepCopy(), Spec: *dns.Spec.Template.Spec.DeepCopy()}
		pod.Name, pod.Namespace = name, metav1.NamespaceSystem
		if name == "coredns-crash" {
			pod.Spec.NodeName = "cp-1"
		}
		created, err := core.Pods(metav1.NamespaceSystem).Create(ctx, pod, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		created.Status.Phase = corev1.PodPending
		if name == "coredns-crash" {
			created.Status.Phase = corev1.PodRunning
			created.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: kubeadm.CoreDNSPodName, Image: pod.Spec.Containers[0].Image, RestartCount: 7,
				State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 5m0s restarting failed container"}}}}
		}
		if _, err := core.Pods(metav1.NamespaceSystem).UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	// A kubelet's serving certificate request that nobody approves.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "system:node:worker-1", Organization: []string{"system:nodes"}}, DNSNames: []string{"worker-1"},
	}, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CertificatesV1().CertificateSigningRequests().Create(ctx, &certificatesv1.CertificateSigningRequest{
		ObjectMeta: metav1.ObjectMeta{Name: "csr-serving"},
		Spec: certificatesv1.CertificateSigningRequestSpec{
			Request:    pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}),
			SignerName: certificatesv1.KubeletServingSignerName,
			Usages:     []certificatesv1.KeyUsage{certificatesv1.UsageDigitalSignature, certificatesv1.UsageServerAuth},
		},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// The RBAC of kubeadm join, pruned.
	if err := e.client.RbacV1().ClusterRoleBindings().Delete(ctx, "kubeadm:get-nodes", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.client.RbacV1().RoleBindings(metav1.NamespacePublic).Delete(ctx, "kubeadm:bootstrap-signer-clusterinfo", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}

	// A webhook that fails closed on every namespace, with a long timeout. It sees only
	// StatefulSets, which nothing here writes, so the scenarios after this one still can.
	fail, none := admissionregistrationv1.Fail, admissionregistrationv1.SideEffectClassNone
	if _, err := e.client.AdmissionregistrationV1().ValidatingWebhookConfigurations().Create(ctx, &admissionregistrationv1.ValidatingWebhookConfiguration{
		ObjectMeta: metav1.ObjectMeta{Name: "planted-wedge"},
		Webhooks: []admissionregistrationv1.ValidatingWebhook{{
			Name: "wedge.example.com", FailurePolicy: &fail, SideEffects: &none, TimeoutSeconds: ptr.To[int32](15),
			AdmissionReviewVersions: []string{"v1"},
			ClientConfig:            admissionregistrationv1.WebhookClientConfig{URL: ptr.To("https://127.0.0.1:1/validate")},
			Rules: []admissionregistrationv1.RuleWithOperations{{Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create},
				Rule: admissionregistrationv1.Rule{APIGroups: []string{"apps"}, APIVersions: []string{"v1"}, Resources: []string{"statefulsets"}}}},
		}},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	return []planted{
		{"KL101", "configmap/kube-system/kubeadm-config[ClusterConfiguration]"},
		{"KL602", "configmap/kube-system/kubelet-config"},
		{"KL603", "daemonset/kube-system/kube-proxy"},
		{"KL604", "pod/kube-system/coredns-pending"},
		{"KL605", "pod/kube-system/coredns-crash"},
		{"KL606", "node/worker-3"}, {"KL606", "node/worker-4"},
		{"KL607", "node/worker-3"}, {"KL607", "node/worker-4"},
		{"KL608", "node/worker-5"}, {"KL608", "node/worker-6"},
		{"KL609", "node/worker-2"},
		{"KL610", "certificatesigningrequest/csr-serving"},
		{"KL611", "clusterrolebinding/kubeadm:get-nodes"},
		{"KL612", "rolebinding/kube-public/kubeadm:bootstrap-signer-clusterinfo"},
		{"KL613", "validatingwebhookconfiguration/planted-wedge"},
	}
}

func (e *auditEnv) faults(t *testing.T) {
	want := e.plant(t)
	// Ten minutes on, the serving request has waited longer than the audit's grace.
	rep := e.auditAs(t, e.cluster.Config.BearerToken, time.Now().Add(10*time.Minute), nil)
	found := map[planted]lint.Finding{}
	for _, f := range rep.Findings {
		found[planted{f.Rule, f.Pos.File}] = f
		t.Logf("%s %s %s: %s", f.Severity, f.Rule, f.Pos, f.Message)
	}
	for _, w := range want {
		if _, ok := found[w]; !ok {
			t.Errorf("no %s at %s", w.rule, w.object)
		}
	}
	for p, f := range found {
		if f.Severity == lint.SeverityError && !slices.Contains(want, p) {
			t.Errorf("an error nothing planted: %s %s %s", f.Rule, f.Pos, f.Message)
		}
	}
	if f := found[want[0]]; f.Pos.Line < 2 {
		t.Errorf("KL101 in the kubeadm-config at line %d, want the podSubnet's line", f.Pos.Line)
	}
	// setUp registered kubeadm-lint's webhooks: the hint must say that one keeps the fix.
	if f := found[planted{"KL603", "daemonset/kube-system/kube-proxy"}]; !strings.Contains(f.Hint, "the kubeadm-lint webhook is installed") {
		t.Errorf("KL603's hint does not say what keeps the fix: %q", f.Hint)
	}
	if rep.Release != "v1.37" {
		t.Errorf("linted for %s, want the cluster's v1.37", rep.Release)
	}
}

// formats runs the CLI over the planted faults in every format.
func (e *auditEnv) formats(t *testing.T) {
	object := "daemonset/kube-system/kube-proxy"
	for _, format := range []string{"text", "json", "sarif", "github", "junit", "checkstyle"} {
		t.Run(format, func(t *testing.T) {
			res := e.run(t, "cluster", "--format", format)
			if res.code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", res.code, res.stderr)
			}
			out := res.stdout
			if !strings.Contains(out, "KL603") || !strings.Contains(out, object) {
				t.Errorf("no KL603 at %s in:\n%s", object, out)
			}
			switch format {
			case "text":
				if !strings.Contains(out, "configmap/kube-system/kubeadm-config[ClusterConfiguration]:") || !strings.Contains(out, " objects\n") {
					t.Errorf("no ConfigMap position or object count:\n%s", out)
				}
			case "json":
				var v struct {
					Findings []jsonFinding `json:"findings"`
				}
				if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Findings) == 0 || v.Findings[0].Object == "" {
					t.Errorf("not cluster JSON (%v):\n%s", err, out)
				}
			case "sarif":
				var v struct {
					Runs []struct {
						Results []struct {
							Locations []struct {
								PhysicalLocation json.RawMessage `json:"physicalLocation"`
								LogicalLocations []struct {
									FullyQualifiedName string `json:"fullyQualifiedName"`
									Kind               string `json:"kind"`
								} `json:"logicalLocations"`
							} `json:"locations"`
						} `json:"results"`
					} `json:"runs"`
				}
				if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Runs) != 1 || len(v.Runs[0].Results) == 0 {
					t.Fatalf("not SARIF (%v):\n%s", err, out)
				}
				for _, r := range v.Runs[0].Results {
					l := r.Locations[0]
					if l.PhysicalLocation != nil || len(l.LogicalLocations) != 1 || l.LogicalLocations[0].Kind != "resource" {
						t.Errorf("a cluster result without its logical location: %+v", l)
					}
				}
			case "github":
				if strings.Contains(out, "file=") || !strings.Contains(out, "::error title=KL603::"+object) {
					t.Errorf("annotations should name objects, not files:\n%s", out)
				}
			case "junit", "checkstyle":
				if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
					t.Errorf("not XML: %v", err)
				}
			}
		})
	}
}

// expiry audits a year on, when the API server's one-year certificate has days left, through a
// kubeconfig whose CA bundle also holds a CA that expires in three days.
func (e *auditEnv) expiry(t *testing.T) {
	short, err := cert.NewCA(3 * 24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	served, err := x509.ParseCertificate(firstBlock(t, e.ca))
	if err != nil {
		t.Fatal(err)
	}
	rep := e.auditAs(t, e.cluster.Config.BearerToken, served.NotAfter.Add(-2*24*time.Hour), func(cfg *rest.Config) {
		cfg.TLSClientConfig.CAData = append(slices.Clone(e.ca), short.PEM...)
	})
	var server, ca bool
	for _, f := range rep.Findings {
		if f.Rule != "KL614" {
			continue
		}
		t.Logf("%s %s: %s", f.Severity, f.Pos, f.Message)
		switch {
		case f.Pos.File == e.cluster.Config.Host && f.Severity == lint.SeverityError:
			server = true
		case f.Pos.File == "kubeconfig" && strings.Contains(f.Message, "expired"):
			ca = true
		}
	}
	if !server || !ca {
		t.Errorf("KL614: serving certificate reported %v, short CA reported %v", server, ca)
	}
}

func firstBlock(t *testing.T, data []byte) []byte {
	t.Helper()
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block")
	}
	return block.Bytes
}

// buildCLI builds the kubeadm-lint binary into dir, as users run it.
func buildCLI(root, dir string) (string, error) {
	bin := filepath.Join(dir, "kubeadm-lint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/kubeadm-lint")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building kubeadm-lint: %w\n%s", err, out)
	}
	return bin, nil
}
