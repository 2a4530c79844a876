package e2e

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// env is one API server shared by the scenarios, which run in order: b upgrades what a created.
type env struct {
	root    string
	dir     string
	cluster *Cluster
	client  *kubernetes.Clientset
	warns   *Warnings
	kubeadm *Kubeadm
	reviews *reviewCounter
	webhook *Webhook
	// timeout is the webhooks' timeoutSeconds in manifests/base.
	timeout time.Duration
	// kustomization is the directory whose webhook configurations are registered; empty for
	// manifests/base.
	kustomization string
	// probeClusterAPI sends one review to the Cluster API webhook, where it is registered.
	probeClusterAPI func()
}

// startCluster starts etcd and kube-apiserver for a test in a directory of its own, and stops
// them when the test ends, with the API server's log tail if it failed.
func startCluster(t *testing.T, extraArgs ...string) (root, dir string, c *Cluster) {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Binaries(root); err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	start := time.Now()
	c, err = StartCluster(context.Background(), root, dir, extraArgs...)
	t.Cleanup(func() {
		c.Stop()
		if t.Failed() {
			t.Logf("kube-apiserver log tail:\n%s", tail(filepath.Join(dir, "kube-apiserver.log")))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("etcd and kube-apiserver ready in %v", time.Since(start).Round(time.Millisecond))
	return root, dir, c
}

func TestEndToEnd(t *testing.T) {
	e := &env{warns: &Warnings{}}
	e.root, e.dir, e.cluster = startCluster(t)
	var err error
	if e.client, err = e.cluster.Client(e.warns); err != nil {
		t.Fatal(err)
	}
	if e.kubeadm, err = NewKubeadm(); err != nil {
		t.Fatal(err)
	}
	e.reviews = newReviewCounter(t, filepath.Join(e.dir, "webhook.log"))
	t.Cleanup(func() {
		if e.webhook != nil {
			_ = e.webhook.Stop()
		}
	})
	m, _, err := WebhookConfigurations(e.root, "https://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.timeout = time.Duration(*m.Webhooks[0].TimeoutSeconds) * time.Second
	e.useWebhook(t, nil)

	t.Run("a: kube-proxy as kubeadm init creates it gets the guide's tolerations", e.kubeProxyInit)
	t.Run("b: kubeadm upgrade restores kubeadm's tolerations and the fix comes back", e.kubeProxyUpgrade)
	t.Run("c: other DaemonSets and ConfigMaps are stored unchanged and never sent to the webhook", e.otherDaemonSets)
	t.Run("d: CoreDNS is unchanged by default and fixed with the option", e.coreDNS)
	t.Run("e: an overlapping podSubnet warns, or is denied in enforce mode", e.kubeadmConfigOverlap)
	t.Run("e4: the webhook's configuration turns a rule off or lowers its severity, as the settings file does", e.kubeadmConfigSettings)
	t.Run("f: the kubeadm-config kubeadm uploads is accepted without warnings", e.kubeadmConfigClean)
	t.Run("e2: a kubeadm-config with 20,000 errors is denied in enforce mode, with a bounded answer", e.kubeadmConfigManyErrors)
	t.Run("e3: hostile kubeadm-configs are denied in enforce mode, never admitted past the timeout", e.kubeadmConfigHostile)
	t.Run("h: dry-run requests get the same answers and store nothing", e.dryRun)
	t.Run("i: rotating the serving certificate under load fails no request", e.certRotation)
	t.Run("g: with the webhook down or hung, writes still succeed within the timeout", e.webhookDown)
	t.Run("emit: the emitted MutatingAdmissionPolicy fixes kube-proxy as the webhook does", e.emittedPolicy)
}

// useWebhook replaces the running webhook with one configured by edit, registers it and waits
// until the API server calls it.
func (e *env) useWebhook(t *testing.T, edit func(*webhook.Config)) {
	t.Helper()
	if e.webhook != nil {
		if err := e.webhook.Stop(); err != nil {
			t.Fatalf("stopping the webhook: %v", err)
		}
	}
	// Under the suite's directory: a webhook may outlive the subtest that started it.
	dir, err := os.MkdirTemp(e.dir, "webhook-")
	if err != nil {
		t.Fatal(err)
	}
	w, err := StartWebhook(dir, e.reviews.logger, edit)
	if err != nil {
		t.Fatal(err)
	}
	e.webhook = w
	e.register(t, "https://"+w.Addr().String(), w.CA.PEM)
	e.waitCalled(t)
}

func (e *env) register(t *testing.T, url string, ca []byte) {
	t.Helper()
	m, v, err := WebhookConfigurationsOf(cmp.Or(e.kustomization, filepath.Join(e.root, "manifests", "base")), url, ca)
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(context.Background(), e.client, m, v); err != nil {
		t.Fatal(err)
	}
}

// waitCalled sends dry-run probes until the API server has called both the mutating and the
// validating webhook: configuration changes reach the API server's webhook clients
// asynchronously.
func (e *env) waitCalled(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	dry := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
	probes := map[string]func(){
		"kube-proxy": func() {
			_, _ = e.client.AppsV1().DaemonSets("kube-system").Create(ctx, probeDaemonSet("kube-proxy"), dry)
		},
		"configmaps": func() {
			_, _ = e.client.CoreV1().ConfigMaps("kube-system").Create(ctx, &corev1.ConfigMap{
				ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy"}, Data: map[string]string{"config.conf": "{}"}}, dry)
		},
	}
	if e.probeClusterAPI != nil {
		probes["cluster-api"] = e.probeClusterAPI
	}
	for id, probe := range probes {
		before := e.reviews.count(id)
		deadline := time.Now().Add(time.Minute)
		for e.reviews.count(id) == before {
			if time.Now().After(deadline) {
				t.Fatalf("the API server did not call the %s webhook within a minute", id)
			}
			probe()
			time.Sleep(100 * time.Millisecond)
		}
	}
	e.warns.Take()
}

func (e *env) kubeProxyInit(t *testing.T) {
	if err := e.kubeadm.EnsureProxy(e.client); err != nil {
		t.Fatal(err)
	}
	e.wantGuideTolerations(t)
	e.wantWarning(t, "kube-proxy tolerations changed from [<all>]")
}

func (e *env) kubeProxyUpgrade(t *testing.T) {
	// kubeadm upgrade apply runs the same phase: CreateOrUpdate with kubeadm's own DaemonSet.
	if err := e.kubeadm.EnsureProxy(e.client); err != nil {
		t.Fatal(err)
	}
	e.wantGuideTolerations(t)
	e.wantWarning(t, "kube-proxy tolerations changed from [<all>]")
}

func (e *env) wantGuideTolerations(t *testing.T) {
	t.Helper()
	ds, err := e.client.AppsV1().DaemonSets("kube-system").Get(context.Background(), "kube-proxy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Spec.Template.Spec.Tolerations; !equality.Semantic.DeepEqual(got, kubeadm.DefaultTolerations()) {
		t.Errorf("stored tolerations %+v, want the guide's %+v", got, kubeadm.DefaultTolerations())
	}
}

func (e *env) wantWarning(t *testing.T, substr string) {
	t.Helper()
	got := e.warns.Take()
	if !slices.ContainsFunc(got, func(w string) bool { return strings.Contains(w, substr) }) {
		t.Errorf("client warnings %q, want one containing %q", got, substr)
	}
}

func (e *env) wantNoWarning(t *testing.T) {
	t.Helper()
	if got := e.warns.Take(); len(got) > 0 {
		t.Errorf("client warnings %q, want none", got)
	}
}

// otherDaemonSets also checks that the API server never calls the webhook for these objects:
// the server would leave them alone anyway, so only the count shows whether the manifests'
// namespaceSelector and matchConditions do their job.
func (e *env) otherDaemonSets(t *testing.T) {
	ctx := context.Background()
	calls := e.reviews.count("kube-proxy")
	configMapCalls := e.reviews.count("configmaps")
	defer func() {
		if got := e.reviews.count("kube-proxy") - calls; got != 0 {
			t.Errorf("the API server sent %d unrelated DaemonSet(s) to the webhook", got)
		}
		if got := e.reviews.count("configmaps") - configMapCalls; got != 0 {
			t.Errorf("the API server sent %d unrelated ConfigMap(s) to the webhook", got)
		}
	}()
	unrelated := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cluster-info-extra"}, Data: map[string]string{"ClusterConfiguration": overlapConfig}}
	if _, err := e.client.CoreV1().ConfigMaps("kube-system").Create(ctx, unrelated, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "other"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []struct{ namespace, name string }{{"kube-system", "node-exporter"}, {"other", "kube-proxy"}} {
		ds := probeDaemonSet(ns.name)
		created, err := e.client.AppsV1().DaemonSets(ns.namespace).Create(ctx, ds, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := created.Spec.Template.Spec.Tolerations; !equality.Semantic.DeepEqual(got, ds.Spec.Template.Spec.Tolerations) {
			t.Errorf("%s/%s stored with tolerations %+v, want them unchanged", ns.namespace, ns.name, got)
		}
		e.wantNoWarning(t)
	}
}

func (e *env) coreDNS(t *testing.T) {
	ctx := context.Background()
	escalation := func() *bool {
		d, err := e.client.AppsV1().Deployments("kube-system").Get(ctx, "coredns", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return d.Spec.Template.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation
	}
	if err := e.kubeadm.EnsureDNS(e.client); err != nil {
		t.Fatal(err)
	}
	if got := escalation(); got == nil || *got {
		t.Errorf("without the option, allowPrivilegeEscalation = %v, want kubeadm's false", fmtBool(got))
	}
	e.wantNoWarning(t)

	e.useWebhook(t, func(c *webhook.Config) { c.CoreDNS.AllowPrivilegeEscalation = true })
	t.Cleanup(func() { e.useWebhook(t, nil) })
	// Re-running the phase is what kubeadm upgrade does to CoreDNS.
	if err := e.kubeadm.EnsureDNS(e.client); err != nil {
		t.Fatal(err)
	}
	if got := escalation(); got == nil || !*got {
		t.Errorf("with the option, allowPrivilegeEscalation = %v, want true", fmtBool(got))
	}
	e.wantWarning(t, "weakens")
}

// overlapConfig is kubeadm's ClusterConfiguration with the podSubnet inside the serviceSubnet.
const overlapConfig = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2
controlPlaneEndpoint: cp.cluster.internal:6443
networking:
  serviceSubnet: 10.96.0.0/12
  podSubnet: 10.96.0.0/16
`

// kubeadmConfigManyErrors: an answer too large for the API server to read would fail open and
// admit the config; the webhook's answer is bounded, so the denial holds.
func (e *env) kubeadmConfigManyErrors(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.2\napiServer:\n  certSANs:\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "  - bad_%d!\n", i)
	}
	cms := e.client.CoreV1().ConfigMaps("kube-system")
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config"}, Data: map[string]string{"ClusterConfiguration": b.String()}}
	e.useWebhook(t, func(c *webhook.Config) { c.ConfigMaps.Mode = webhook.ModeEnforce })
	t.Cleanup(func() { e.useWebhook(t, nil) })
	_, err := cms.Create(ctx, cm, metav1.CreateOptions{})
	if err == nil || !strings.Contains(err.Error(), "KL008") || !strings.Contains(err.Error(), "more") || len(err.Error()) > 4096 {
		t.Errorf("create returned %.300v (%d bytes), want a denial naming KL008 and counting the rest, under 4 KiB", err, len(fmt.Sprint(err)))
	}
	// The kubeadm-config that kubeadm uploaded in f may be there; this one must not be.
	if got, err := cms.Get(ctx, "kubeadm-config", metav1.GetOptions{}); err == nil && got.Data["ClusterConfiguration"] == cm.Data["ClusterConfiguration"] {
		t.Error("the denied ConfigMap was stored")
	}
	e.warns.Take()
}

// kubeadmConfigHostile: with failurePolicy Ignore, a review that outlives the API server's
// timeout admits its object unchecked. A kubeadm-config whose aliases expand a 100 KB value a
// thousand times, and 64 heavy bad ones at once, must each be denied in enforce mode: a denial
// is an answer in time. In warn mode the alias form is admitted with its KL001 warning. Dry-run
// creates store nothing, whether kubeadm-config exists or not: any answer but a denial means the
// object was admitted.
func (e *env) kubeadmConfigHostile(t *testing.T) {
	ctx := context.Background()
	dry := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
	admitted := func(err error) bool {
		return err == nil || !strings.Contains(err.Error(), "denied the request")
	}
	alias := overlapConfig + "apiServer:\n  extraArgs:\n  - name: a0\n    value: &v \"" + strings.Repeat("x", 100_000) + "\"\n"
	for i := 1; i < 1000; i++ {
		alias += fmt.Sprintf("  - {name: a%d, value: *v}\n", i)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config"}, Data: map[string]string{"ClusterConfiguration": alias}}
	cms := e.client.CoreV1().ConfigMaps("kube-system")

	e.useWebhook(t, func(c *webhook.Config) { c.ConfigMaps.Mode = webhook.ModeEnforce })
	t.Cleanup(func() { e.useWebhook(t, nil) })
	if _, err := cms.Create(ctx, cm, dry); admitted(err) || !strings.Contains(err.Error(), "KL001") {
		t.Errorf("enforce mode, aliases expanding to 100 MB: create returned %.300v, want a denial naming KL001", err)
	}

	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b strings.Builder
			fmt.Fprintf(&b, "%sclusterName: c%d\napiServer:\n  certSANs:\n", overlapConfig, i)
			for j := range 20_000 {
				fmt.Fprintf(&b, "  - bad_%d_%d!\n", i, j)
			}
			client, err := e.cluster.Client(nil)
			if err != nil {
				errs[i] = err
				return
			}
			heavy := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config"}, Data: map[string]string{"ClusterConfiguration": b.String()}}
			_, errs[i] = client.CoreV1().ConfigMaps("kube-system").Create(ctx, heavy, dry)
		}()
	}
	wg.Wait()
	late := 0
	for i, err := range errs {
		if admitted(err) {
			t.Errorf("enforce mode, %d bad configs at once: config %d was admitted (%.300v)", n, i, err)
		}
		if err != nil && strings.Contains(err.Error(), "not linted within") {
			late++
		}
	}
	t.Logf("%d of %d denied as not linted within the budget, the others for their findings", late, n)

	e.useWebhook(t, nil)
	if _, err := cms.Create(ctx, cm, dry); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Errorf("warn mode, aliases expanding to 100 MB: create returned %.300v, want it admitted", err)
	}
	e.wantWarning(t, "KL001")
}

func (e *env) kubeadmConfigOverlap(t *testing.T) {
	ctx := context.Background()
	cms := e.client.CoreV1().ConfigMaps("kube-system")
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config"}, Data: map[string]string{"ClusterConfiguration": overlapConfig}}

	e.useWebhook(t, func(c *webhook.Config) { c.ConfigMaps.Mode = webhook.ModeEnforce })
	_, err := cms.Create(ctx, cm, metav1.CreateOptions{})
	if err == nil || !apierrors.IsBadRequest(err) && !apierrors.IsForbidden(err) && !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), "KL101") {
		t.Errorf("enforce mode: create returned %v, want a denial naming KL101", err)
	}
	if _, err := cms.Get(ctx, "kubeadm-config", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("enforce mode: the denied ConfigMap was stored (get: %v)", err)
	}
	e.warns.Take()

	e.useWebhook(t, nil)
	if _, err := cms.Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("warn mode: %v", err)
	}
	e.wantWarning(t, "KL101: podSubnet 10.96.0.0/16 overlaps serviceSubnet 10.96.0.0/12")
	if err := cms.Delete(ctx, "kubeadm-config", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) kubeadmConfigSettings(t *testing.T) {
	ctx := context.Background()
	cms := e.client.CoreV1().ConfigMaps("kube-system")
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config"}, Data: map[string]string{"ClusterConfiguration": overlapConfig}}
	for _, c := range []struct {
		name    string
		edit    func(*webhook.Config)
		warning bool // a KL101 warning is still given
	}{
		{name: "KL101 a warning in enforce mode", warning: true, edit: func(c *webhook.Config) {
			c.ConfigMaps.Mode, c.ConfigMaps.Rules = webhook.ModeEnforce, map[string]string{"KL101": "warning"}
		}},
		{name: "KL101 off", edit: func(c *webhook.Config) { c.ConfigMaps.Rules = map[string]string{"KL101": "off"} }},
	} {
		e.useWebhook(t, c.edit)
		if _, err := cms.Create(ctx, cm, metav1.CreateOptions{}); err != nil {
			t.Fatalf("%s: the create was refused: %v", c.name, err)
		}
		got := e.warns.Take()
		if warned := slices.ContainsFunc(got, func(w string) bool { return strings.HasPrefix(w, "KL101") }); warned != c.warning {
			t.Errorf("%s: warnings %q, want a KL101 warning: %v", c.name, got, c.warning)
		}
		if err := cms.Delete(ctx, "kubeadm-config", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	e.useWebhook(t, nil)
}

func (e *env) kubeadmConfigClean(t *testing.T) {
	if err := e.kubeadm.UploadConfig(e.client); err != nil {
		t.Fatal(err)
	}
	cm, err := e.client.CoreV1().ConfigMaps("kube-system").Get(context.Background(), "kubeadm-config", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cm.Data["ClusterConfiguration"], "kind: ClusterConfiguration") {
		t.Errorf("kubeadm-config holds %q", cm.Data["ClusterConfiguration"])
	}
	// kubelet-config, which the same phase uploads, may carry advice (KL305); kubeadm-config
	// must carry none.
	for _, w := range e.warns.Take() {
		if !strings.HasPrefix(w, "KL305") {
			t.Errorf("unexpected warning %q", w)
		}
	}
}

func (e *env) dryRun(t *testing.T) {
	ctx := context.Background()
	dss := e.client.AppsV1().DaemonSets("kube-system")
	upgrade := e.asKubeadmRenders(ctx, t)
	got, err := dss.Update(ctx, upgrade, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
	if err != nil {
		t.Fatal(err)
	}
	if !equality.Semantic.DeepEqual(got.Spec.Template.Spec.Tolerations, kubeadm.DefaultTolerations()) {
		t.Errorf("dry-run answer has tolerations %+v, want the guide's", got.Spec.Template.Spec.Tolerations)
	}
	e.wantWarning(t, "kube-proxy tolerations changed")
	after, err := dss.Get(ctx, "kube-proxy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after.ResourceVersion != upgrade.ResourceVersion {
		t.Errorf("a dry run changed the stored DaemonSet: resourceVersion %s -> %s", upgrade.ResourceVersion, after.ResourceVersion)
	}

	cms := e.client.CoreV1().ConfigMaps("kube-system")
	cm, err := cms.Get(ctx, "kubeadm-config", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bad := cm.DeepCopy()
	bad.Data["ClusterConfiguration"] = overlapConfig
	if _, err := cms.Update(ctx, bad, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}}); err != nil {
		t.Fatalf("warn mode dry run: %v", err)
	}
	e.wantWarning(t, "KL101")
	e.useWebhook(t, func(c *webhook.Config) { c.ConfigMaps.Mode = webhook.ModeEnforce })
	defer e.useWebhook(t, nil)
	if _, err := cms.Update(ctx, bad, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}}); err == nil || !strings.Contains(err.Error(), "KL101") {
		t.Errorf("enforce mode dry run: %v, want a denial naming KL101", err)
	}
	if now, err := cms.Get(ctx, "kubeadm-config", metav1.GetOptions{}); err != nil || now.ResourceVersion != cm.ResourceVersion {
		t.Errorf("a dry run changed kubeadm-config (err %v)", err)
	}
}

// certRotation rotates the serving pair several times while dry-run updates flow. Each answer
// must carry the webhook's warning: with failurePolicy Ignore a failed call would pass silently.
func (e *env) certRotation(t *testing.T) {
	ctx := context.Background()
	upgrade := e.asKubeadmRenders(ctx, t)

	const workers, perWorker = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			warns := &Warnings{}
			client, err := e.cluster.Client(warns)
			if err != nil {
				errs <- err
				return
			}
			for range perWorker {
				_, err := client.AppsV1().DaemonSets("kube-system").Update(ctx, upgrade, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
				if err != nil {
					errs <- err
					continue
				}
				if got := warns.Take(); !slices.ContainsFunc(got, func(w string) bool { return strings.Contains(w, "kube-proxy tolerations changed") }) {
					errs <- fmt.Errorf("an update was not reviewed (warnings %q)", got)
				}
			}
		}()
	}
	for range 5 {
		if err := e.webhook.Rotate(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// webhookDown stops the webhook, then points the configurations at a listener that never
// answers. failurePolicy Ignore must keep kube-proxy and ConfigMap writes working, and the API
// server must give up on the webhook after its timeoutSeconds.
func (e *env) webhookDown(t *testing.T) {
	ctx := context.Background()
	write := func(t *testing.T) {
		t.Helper()
		// The bound only stops a hung test; the figure printed is the measurement.
		bound := e.timeout + 30*time.Second
		ctx, cancel := context.WithTimeout(ctx, bound)
		defer cancel()
		start := time.Now()
		if _, err := e.client.AppsV1().DaemonSets("kube-system").Update(ctx, e.asKubeadmRenders(ctx, t), metav1.UpdateOptions{}); err != nil {
			t.Errorf("kube-proxy update failed: %v", err)
		}
		cm, err := e.client.CoreV1().ConfigMaps("kube-system").Get(ctx, "kubeadm-config", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cm.Data["ClusterConfiguration"] = overlapConfig
		if _, err := e.client.CoreV1().ConfigMaps("kube-system").Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
			t.Errorf("kubeadm-config update failed: %v", err)
		}
		t.Logf("two writes took %v (webhook timeoutSeconds %v)", time.Since(start).Round(time.Millisecond), e.timeout)
	}

	t.Run("stopped", func(t *testing.T) {
		if err := e.webhook.Stop(); err != nil {
			t.Fatal(err)
		}
		e.webhook = nil
		write(t)
	})
	t.Run("hung", func(t *testing.T) {
		e.registerHung(t)
		write(t)
		e.warns.Take()
	})
}

// registerHung points the webhook configurations at a listener that accepts connections and
// never answers, until the test ends.
func (e *env) registerHung(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // accept, then never answer
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	ca, err := cert.NewCA(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.register(t, "https://"+ln.Addr().String(), ca.PEM)
	// Give the API server time to pick the configuration up; whichever it uses, the writes
	// must succeed.
	time.Sleep(2 * time.Second)
}

// asKubeadmRenders returns the stored kube-proxy DaemonSet with kubeadm's own blanket
// toleration put back, as 'kubeadm upgrade' would write it.
func (e *env) asKubeadmRenders(ctx context.Context, t *testing.T) *appsv1.DaemonSet {
	t.Helper()
	ds, err := e.client.AppsV1().DaemonSets("kube-system").Get(ctx, "kube-proxy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds.Spec.Template.Spec.Tolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
	return ds
}

// probeDaemonSet is a minimal valid DaemonSet with kubeadm's blanket toleration.
func probeDaemonSet(name string) *appsv1.DaemonSet {
	labels := map[string]string{"app": name}
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers:  []corev1.Container{{Name: "main", Image: "registry.k8s.io/pause:3.10"}},
					Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
				},
			},
		},
	}
}

func fmtBool(b *bool) string {
	if b == nil {
		return "unset"
	}
	return fmt.Sprint(*b)
}

// reviewCounter counts the webhook's "review" log lines per webhook and keeps the log in a file.
type reviewCounter struct {
	logger *slog.Logger
	mu     sync.Mutex
	counts map[string]int
}

func newReviewCounter(t *testing.T, path string) *reviewCounter {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r := &reviewCounter{counts: map[string]int{}}
	r.logger = slog.New(countingHandler{Handler: slog.NewJSONHandler(f, nil), r: r})
	return r
}

func (r *reviewCounter) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[id]
}

type countingHandler struct {
	slog.Handler
	r *reviewCounter
}

func (h countingHandler) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Message == "review" {
		rec.Attrs(func(a slog.Attr) bool {
			if a.Key == "webhook" {
				h.r.mu.Lock()
				h.r.counts[a.Value.String()]++
				h.r.mu.Unlock()
				return false
			}
			return true
		})
	}
	return h.Handler.Handle(ctx, rec)
}

// emittedPolicy is issue 6's alternative to the webhook: the MutatingAdmissionPolicy that
// 'kubeadm-lint emit' writes must do to kubeadm's kube-proxy what the webhook does in scenario a.
func (e *env) emittedPolicy(t *testing.T) {
	ctx := context.Background()
	if err := e.client.AdmissionregistrationV1().MutatingWebhookConfigurations().Delete(ctx, "kubeadm-lint-webhook", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.client.AdmissionregistrationV1().ValidatingWebhookConfigurations().Delete(ctx, "kubeadm-lint-webhook", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	files, err := kubeadm.Emit{Tolerations: kubeadm.Tolerations(nil, false), CoreDNS: true}.Files()
	if err != nil {
		t.Fatal(err)
	}
	var policyYAML []byte
	for _, f := range files {
		if f.Name == kubeadm.PolicyFile {
			policyYAML = f.Data
		}
	}
	docs := strings.Split(string(policyYAML), "\n---\n")
	var policy admissionregistrationv1.MutatingAdmissionPolicy
	var binding admissionregistrationv1.MutatingAdmissionPolicyBinding
	if err := yaml.UnmarshalStrict([]byte(docs[0]), &policy); err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict([]byte(docs[1]), &binding); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.AdmissionregistrationV1().MutatingAdmissionPolicies().Create(ctx, &policy, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.AdmissionregistrationV1().MutatingAdmissionPolicyBindings().Create(ctx, &binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// Policies reach the API server's admission chain asynchronously: wait until a dry run of
	// kubeadm's DaemonSet comes back fixed.
	dss := e.client.AppsV1().DaemonSets("kube-system")
	probe := e.asKubeadmRenders(ctx, t)
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := dss.Update(ctx, probe, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil && equality.Semantic.DeepEqual(got.Spec.Template.Spec.Tolerations, kubeadm.DefaultTolerations()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the policy did not take effect within a minute (last error %v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := dss.Delete(ctx, "kube-proxy", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.kubeadm.EnsureProxy(e.client); err != nil {
		t.Fatal(err)
	}
	e.wantGuideTolerations(t)

	if err := e.client.AppsV1().Deployments("kube-system").Delete(ctx, "coredns", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.kubeadm.EnsureDNS(e.client); err != nil {
		t.Fatal(err)
	}
	d, err := e.client.AppsV1().Deployments("kube-system").Get(ctx, "coredns", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Spec.Template.Spec.Containers[0]
	if got := c.SecurityContext.AllowPrivilegeEscalation; got == nil || !*got {
		t.Errorf("coredns allowPrivilegeEscalation = %s, want true", fmtBool(got))
	}
	if c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Error("the policy changed more of CoreDNS's securityContext than allowPrivilegeEscalation")
	}
	e.warns.Take()
}
