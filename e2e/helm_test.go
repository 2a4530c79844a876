package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"
)

// helmRelease is named after the chart, so that its objects have the names of manifests/base.
const helmRelease, helmNamespace = "kubeadm-lint-webhook", "kubeadm-lint"

// helmEnv is the chart's own API server: Helm must own the webhook configurations it installs,
// so they cannot be TestEndToEnd's.
type helmEnv struct {
	*env
	helm    *Helm
	dynamic dynamic.Interface
	// mapper learns new kinds, such as cert-manager's, on Reset.
	mapper *restmapper.DeferredDiscoveryRESTMapper
}

// TestHelmChart installs the chart with the real helm into the real API server, then points
// its webhook configurations at the webhook this process runs (webhook.url) and runs the
// kube-proxy scenarios of TestEndToEnd through them.
func TestHelmChart(t *testing.T) {
	e := &helmEnv{env: &env{warns: &Warnings{}}}
	// The chart's default clientConfig is its Service. With aggregator routing the API server
	// resolves a Service through its EndpointSlices, of which there are none here (no
	// controller-manager), instead of dialling the Service's cluster IP, an address that is
	// not on this machine.
	e.root, e.dir, e.cluster = startCluster(t, "--enable-aggregator-routing=true")
	var err error
	kubeconfig := filepath.Join(e.dir, "kubeconfig")
	if err := e.cluster.WriteKubeconfig(kubeconfig); err != nil {
		t.Fatal(err)
	}
	if e.helm, err = NewHelm(e.root, filepath.Join(e.dir, "helm"), kubeconfig); err != nil {
		t.Fatal(err)
	}
	if e.client, err = e.cluster.Client(e.warns); err != nil {
		t.Fatal(err)
	}
	if e.dynamic, err = dynamic.NewForConfig(e.cluster.Config); err != nil {
		t.Fatal(err)
	}
	e.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(e.client.Discovery()))
	if e.kubeadm, err = NewKubeadm(); err != nil {
		t.Fatal(err)
	}
	e.reviews = newReviewCounter(t, filepath.Join(e.dir, "webhook.log"))
	t.Cleanup(func() {
		if e.webhook != nil {
			_ = e.webhook.Stop()
		}
	})

	if !t.Run("install: the API server accepts every object of the chart", e.install) {
		t.FailNow()
	}
	t.Run("upgrade: the self-signed CA and serving pair are kept", e.upgradeKeepsCA)
	if !t.Run("url: the webhook configurations call the webhook outside the cluster", e.outOfCluster) {
		t.FailNow()
	}
	t.Run("a: kube-proxy as kubeadm init creates it gets the guide's tolerations", e.kubeProxyInit)
	t.Run("b: kubeadm upgrade restores kubeadm's tolerations and the fix comes back", e.kubeProxyUpgrade)
	t.Run("c: other DaemonSets and ConfigMaps are stored unchanged and never sent to the webhook", e.otherDaemonSets)
	t.Run("uninstall: the webhook configurations go, and kube-proxy is stored as written", e.uninstall)
	t.Run("cert-manager: with its CRDs, the API server accepts the chart's Issuers and Certificates", e.certManager)
}

func (e *helmEnv) run(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := e.helm.Run(ctx, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// manifest returns the objects of the release as Helm recorded them.
func (e *helmEnv) manifest(t *testing.T) []*unstructured.Unstructured {
	t.Helper()
	out := e.run(t, "get", "manifest", helmRelease, "--namespace", helmNamespace)
	var objs []*unstructured.Unstructured
	for _, doc := range strings.Split(string(out), "\n---\n") {
		var u unstructured.Unstructured
		if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
			t.Fatal(err)
		}
		if len(u.Object) > 0 {
			objs = append(objs, &u)
		}
	}
	return objs
}

// stored reads obj back from the API server; nil when it is not there.
func (e *helmEnv) stored(t *testing.T, obj *unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	gvk := obj.GroupVersionKind()
	m, err := e.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		t.Fatalf("%s: %v", gvk, err)
	}
	var r dynamic.ResourceInterface = e.dynamic.Resource(m.Resource)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		r = e.dynamic.Resource(m.Resource).Namespace(obj.GetNamespace())
	}
	got, err := r.Get(context.Background(), obj.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatalf("getting %s %s: %v", gvk.Kind, obj.GetName(), err)
	}
	return got
}

func (e *helmEnv) install(t *testing.T) {
	out := e.run(t, "install", helmRelease, ChartDir, "--namespace", helmNamespace, "--create-namespace", "--set", "audit.enabled=true")
	if !strings.Contains(string(out), "rollout status deploy/kubeadm-lint-webhook") {
		t.Errorf("helm install printed no NOTES on checking the webhook:\n%s", out)
	}
	objs := e.manifest(t)
	var kinds []string
	for _, obj := range objs {
		kinds = append(kinds, obj.GetKind())
		got := e.stored(t, obj)
		if got == nil {
			t.Errorf("%s %s/%s is not stored", obj.GetKind(), obj.GetNamespace(), obj.GetName())
			continue
		}
		if got.GetLabels()["app.kubernetes.io/managed-by"] != "Helm" || got.GetAnnotations()["meta.helm.sh/release-name"] != helmRelease {
			t.Errorf("%s %s is stored without Helm's labels and annotations", obj.GetKind(), obj.GetName())
		}
	}
	slices.Sort(kinds)
	want := []string{"ClusterRole", "ClusterRoleBinding", "ConfigMap", "CronJob", "Deployment", "MutatingWebhookConfiguration", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount", "ServiceAccount", "ValidatingWebhookConfiguration"}
	if !slices.Equal(kinds, want) {
		t.Errorf("the release has %v, want %v", kinds, want)
	}

	// The stored webhooks are what the chart rendered: the API server dropped or changed nothing.
	ctx := context.Background()
	m, err := e.client.AdmissionregistrationV1().MutatingWebhookConfigurations().Get(ctx, helmRelease, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range m.Webhooks {
		if *w.FailurePolicy != admissionregistrationv1.Ignore || *w.SideEffects != admissionregistrationv1.SideEffectClassNone ||
			*w.ReinvocationPolicy != admissionregistrationv1.IfNeededReinvocationPolicy || *w.TimeoutSeconds > 5 || len(w.MatchConditions) != 1 {
			t.Errorf("stored webhook %s has lost the safety envelope: %+v", w.Name, w)
		}
		if w.ClientConfig.Service == nil || w.ClientConfig.Service.Name != helmRelease || len(w.ClientConfig.CABundle) == 0 {
			t.Errorf("stored webhook %s: clientConfig %+v, want the Service and the chart's CA", w.Name, w.ClientConfig)
		}
	}
}

// upgradeKeepsCA: a new CA on each upgrade would leave the running pods' certificates untrusted
// until they reloaded theirs; the chart looks the pair up in the API server instead.
func (e *helmEnv) upgradeKeepsCA(t *testing.T) {
	ctx := context.Background()
	before, err := e.client.CoreV1().Secrets(helmNamespace).Get(ctx, "kubeadm-lint-webhook-tls", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.run(t, "upgrade", helmRelease, ChartDir, "--namespace", helmNamespace, "--reuse-values", "--set", "mode=enforce")
	after, err := e.client.CoreV1().Secrets(helmNamespace).Get(ctx, "kubeadm-lint-webhook-tls", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ca.crt", "tls.crt", "tls.key"} {
		if !bytes.Equal(before.Data[k], after.Data[k]) {
			t.Errorf("the upgrade replaced %s", k)
		}
	}
	m, err := e.client.AdmissionregistrationV1().MutatingWebhookConfigurations().Get(ctx, helmRelease, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Webhooks[0].ClientConfig.CABundle, before.Data["ca.crt"]) {
		t.Error("after the upgrade the webhooks trust another CA than the Secret's")
	}
	cm, err := e.client.CoreV1().ConfigMaps(helmNamespace).Get(ctx, helmRelease, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cm.Data["config.yaml"], "mode: enforce") {
		t.Errorf("the upgrade's value did not reach the config file:\n%s", cm.Data["config.yaml"])
	}
}

// outOfCluster upgrades the release to webhook.url, pointing at the webhook this process runs
// with a certificate from its own CA: the chart then keeps only the webhook configurations.
func (e *helmEnv) outOfCluster(t *testing.T) {
	dir, err := os.MkdirTemp(e.dir, "webhook-")
	if err != nil {
		t.Fatal(err)
	}
	if e.webhook, err = StartWebhook(dir, e.reviews.logger, nil); err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "ca.crt")
	if err := os.WriteFile(caFile, e.webhook.CA.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	before := e.manifest(t)
	out := e.run(t, "upgrade", helmRelease, ChartDir, "--namespace", helmNamespace, "--reset-values",
		"--set", "webhook.url=https://"+e.webhook.Addr().String(), "--set-file", "certificate.caBundle="+caFile)
	if !strings.Contains(string(out), "The API server now calls https://"+e.webhook.Addr().String()) {
		t.Errorf("helm upgrade printed no NOTES on the URL:\n%s", out)
	}
	after := e.manifest(t)
	var kinds []string
	for _, obj := range after {
		kinds = append(kinds, obj.GetKind())
	}
	slices.Sort(kinds)
	if want := []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}; !slices.Equal(kinds, want) {
		t.Errorf("the release has %v, want %v", kinds, want)
	}
	for _, obj := range before {
		if k := obj.GetKind(); k == "MutatingWebhookConfiguration" || k == "ValidatingWebhookConfiguration" {
			continue
		}
		if e.stored(t, obj) != nil {
			t.Errorf("%s %s is still stored after the upgrade to webhook.url", obj.GetKind(), obj.GetName())
		}
	}
	ctx := context.Background()
	v, err := e.client.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, helmRelease, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cc, _ := json.Marshal(v.Webhooks[0].ClientConfig)
	if u := v.Webhooks[0].ClientConfig.URL; u == nil || *u != "https://"+e.webhook.Addr().String()+"/validate/configmaps" {
		t.Errorf("stored clientConfig %s, want the URL of the webhook process", cc)
	}
	e.waitCalled(t)
}

func (e *helmEnv) uninstall(t *testing.T) {
	e.run(t, "uninstall", helmRelease, "--namespace", helmNamespace)
	ctx := context.Background()
	if _, err := e.client.AdmissionregistrationV1().MutatingWebhookConfigurations().Get(ctx, helmRelease, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the MutatingWebhookConfiguration is still there (get: %v)", err)
	}
	if _, err := e.client.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, helmRelease, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the ValidatingWebhookConfiguration is still there (get: %v)", err)
	}
	// The API server drops the configurations asynchronously: wait until kubeadm's DaemonSet is
	// stored as written, which also shows that nothing of the webhook is left behind.
	calls := e.reviews.count("kube-proxy")
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := e.client.AppsV1().DaemonSets("kube-system").Update(ctx, e.asKubeadmRenders(ctx, t), metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil && len(got.Spec.Template.Spec.Tolerations) == 1 && got.Spec.Template.Spec.Tolerations[0].Key == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after uninstall, kube-proxy is still mutated (err %v; the webhook was called %d more times)", err, e.reviews.count("kube-proxy")-calls)
		}
		time.Sleep(200 * time.Millisecond)
	}
	e.warns.Take()
}

// certManager installs the chart with certificate.source cert-manager once cert-manager's own
// CRDs are in the API server, which then validates the Issuers and Certificates against their
// schemas. No cert-manager controller runs, so no Secret appears.
func (e *helmEnv) certManager(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join("testdata", "crds", "cert-manager")
	createCRDs(t, e.dynamic, filepath.Join(dir, "cert-manager.io_certificates.yaml"), filepath.Join(dir, "cert-manager.io_issuers.yaml"))
	e.mapper.Reset()

	e.run(t, "install", helmRelease, ChartDir, "--namespace", helmNamespace, "--set", "certificate.source=cert-manager")
	var kinds []string
	secret := ""
	for _, obj := range e.manifest(t) {
		kinds = append(kinds, obj.GetKind())
		got := e.stored(t, obj)
		if got == nil {
			t.Errorf("%s %s is not stored", obj.GetKind(), obj.GetName())
			continue
		}
		if got.GetKind() == "Certificate" && got.GetName() == helmRelease {
			secret, _, _ = unstructured.NestedString(got.Object, "spec", "secretName")
		}
	}
	slices.Sort(kinds)
	want := []string{"Certificate", "Certificate", "ConfigMap", "Deployment", "Issuer", "Issuer", "MutatingWebhookConfiguration", "PodDisruptionBudget", "Service", "ServiceAccount", "ValidatingWebhookConfiguration"}
	if !slices.Equal(kinds, want) {
		t.Errorf("the release has %v, want %v", kinds, want)
	}
	d, err := e.client.AppsV1().Deployments(helmNamespace).Get(ctx, helmRelease, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mounted := ""
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret != nil {
			mounted = v.Secret.SecretName
		}
	}
	if secret == "" || secret != mounted {
		t.Errorf("the Certificate writes Secret %q, the Deployment mounts %q", secret, mounted)
	}
	m, err := e.client.AdmissionregistrationV1().MutatingWebhookConfigurations().Get(ctx, helmRelease, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Annotations["cert-manager.io/inject-ca-from"]; got != helmNamespace+"/"+helmRelease {
		t.Errorf("inject-ca-from annotation %q, want the serving Certificate %s/%s", got, helmNamespace, helmRelease)
	}
	e.run(t, "uninstall", helmRelease, "--namespace", helmNamespace)
}

func established(ctx context.Context, t *testing.T, crds dynamic.NamespaceableResourceInterface, name string) bool {
	t.Helper()
	crd, err := crds.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	conditions, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conditions {
		if c, ok := c.(map[string]any); ok && c["type"] == "Established" && c["status"] == "True" {
			return true
		}
	}
	return false
}
