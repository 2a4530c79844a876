package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// capiNamespace holds the Cluster API objects of the scenarios: Cluster API's objects live in
// the namespaces of the clusters they make, never in kube-system.
const capiNamespace = "fleet"

var (
	kcpResource         = schema.GroupVersionResource{Group: "controlplane.cluster.x-k8s.io", Version: "v1beta2", Resource: "kubeadmcontrolplanes"}
	kcpTemplateResource = schema.GroupVersionResource{Group: "controlplane.cluster.x-k8s.io", Version: "v1beta2", Resource: "kubeadmcontrolplanetemplates"}
	configTemplateRes   = schema.GroupVersionResource{Group: "bootstrap.cluster.x-k8s.io", Version: "v1beta2", Resource: "kubeadmconfigtemplates"}
)

// capiEnv is an API server with Cluster API's own kubeadm CRDs and the webhook configurations
// of manifests/overlays/cluster-api.
type capiEnv struct {
	*env
	dynamic dynamic.Interface // its warnings go to env.warns
}

// TestClusterAPIAdmission runs the webhook in front of Cluster API's KubeadmControlPlane,
// KubeadmControlPlaneTemplate and KubeadmConfigTemplate, as installed from Cluster API's
// v1.14 CRDs (testdata/crds/cluster-api). They are written in v1beta2, the storage version:
// the CRDs' conversion webhook is Cluster API's controllers, which do not run here (see
// testdata/crds/cluster-api/SOURCE.md).
func TestClusterAPIAdmission(t *testing.T) {
	e := &capiEnv{env: &env{warns: &Warnings{}}}
	e.root, e.dir, e.cluster = startCluster(t)
	var err error
	if e.client, err = e.cluster.Client(e.warns); err != nil {
		t.Fatal(err)
	}
	if e.dynamic, err = e.cluster.Dynamic(e.warns); err != nil {
		t.Fatal(err)
	}
	e.installCRDs(t)
	if _, err := e.client.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: capiNamespace}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	e.reviews = newReviewCounter(t, filepath.Join(e.dir, "webhook.log"))
	t.Cleanup(func() {
		if e.webhook != nil {
			_ = e.webhook.Stop()
		}
	})
	e.kustomization = filepath.Join(e.root, "manifests", "overlays", "cluster-api")
	e.probeClusterAPI = func() {
		probe := e.object(t, "kcp.yaml")
		probe.SetName("probe")
		_, _ = e.kcps().Create(context.Background(), probe, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	}
	m, _, err := WebhookConfigurationsOf(e.kustomization, "https://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.timeout = time.Duration(*m.Webhooks[0].TimeoutSeconds) * time.Second
	e.useWebhook(t, nil)

	t.Run("capi-a: a KubeadmControlPlane with a removed flag gets a warning, and is denied in enforce mode", e.createRemovedFlag)
	t.Run("capi-b: bumping a valid KubeadmControlPlane's spec.version to a release without its flag warns, and is denied in enforce mode", e.versionBump)
	t.Run("capi-c: updates that leave spec alone are never sent to the webhook", e.specUnchanged)
	t.Run("capi-d: templates are linted for the webhook's release", e.templates)
	t.Run("capi-e: dry-run requests get the same answers and store nothing", e.capiDryRun)
	t.Run("capi-f: with the webhook down or hung, writes go through", e.capiWebhookDown)
}

// installCRDs creates Cluster API's CRDs and waits until the API server serves them.
func (e *capiEnv) installCRDs(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join("testdata", "crds", "cluster-api")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range entries {
		if strings.HasSuffix(f.Name(), ".yaml") {
			files = append(files, filepath.Join(dir, f.Name()))
		}
	}
	if len(files) != 4 {
		t.Fatalf("%s holds %d CRDs, want KubeadmConfig(Template) and KubeadmControlPlane(Template)", dir, len(files))
	}
	createCRDs(t, e.dynamic, files...)
	deadline := time.Now().Add(time.Minute)
	// Established is the API server's word; its discovery and handlers follow a moment later.
	for {
		_, err := e.kcps().List(ctx, metav1.ListOptions{})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("KubeadmControlPlanes not served within a minute: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.warns.Take()
}

func (e *capiEnv) kcps() dynamic.ResourceInterface {
	return e.dynamic.Resource(kcpResource).Namespace(capiNamespace)
}

// object reads one of testdata/admission-cluster-api's objects into the scenarios' namespace.
func (e *capiEnv) object(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(e.root, "testdata", "admission-cluster-api", name))
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &u.Object); err != nil {
		t.Fatal(err)
	}
	u.SetNamespace(capiNamespace)
	return u
}

// withVersion returns kcp at another spec.version.
func withVersion(t *testing.T, kcp *unstructured.Unstructured, version string) *unstructured.Unstructured {
	t.Helper()
	out := kcp.DeepCopy()
	if err := unstructured.SetNestedField(out.Object, version, "spec", "version"); err != nil {
		t.Fatal(err)
	}
	return out
}

// removedFlag is what KL208 says of kcp.yaml's controller-manager flag at v1.37.
const removedFlag = "KL208: --concurrent-service-syncs was removed in kube-controller-manager v1.37"

func (e *capiEnv) wantWarningPrefix(t *testing.T, prefix string) {
	t.Helper()
	got := e.warns.Take()
	if !slices.ContainsFunc(got, func(w string) bool { return strings.HasPrefix(w, prefix) }) {
		t.Errorf("client warnings %q, want one starting %q", got, prefix)
	}
}

func denied(err error) bool {
	return err != nil && strings.Contains(err.Error(), "denied the request")
}

func (e *capiEnv) createRemovedFlag(t *testing.T) {
	ctx := context.Background()
	kcp := withVersion(t, e.object(t, "kcp.yaml"), "v1.37.2")
	kcp.SetName("removed-flag")

	e.useWebhook(t, func(c *webhook.Config) { c.ClusterAPI.Mode = webhook.ModeEnforce })
	_, err := e.kcps().Create(ctx, kcp, metav1.CreateOptions{})
	if !denied(err) || !strings.Contains(err.Error(), removedFlag) {
		t.Errorf("enforce mode: create returned %v, want a denial quoting %q", err, removedFlag)
	}
	if _, err := e.kcps().Get(ctx, kcp.GetName(), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("enforce mode: the denied KubeadmControlPlane was stored (get: %v)", err)
	}
	e.warns.Take()

	e.useWebhook(t, nil)
	if _, err := e.kcps().Create(ctx, kcp, metav1.CreateOptions{}); err != nil {
		t.Fatalf("warn mode: %v", err)
	}
	e.wantWarningPrefix(t, removedFlag)
	if err := e.kcps().Delete(ctx, kcp.GetName(), metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (e *capiEnv) versionBump(t *testing.T) {
	ctx := context.Background()
	kcp := e.object(t, "kcp.yaml")
	kcp.SetName("upgrade")
	stored, err := e.kcps().Create(ctx, kcp, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.wantNoWarning(t) // valid at v1.36
	bumped := withVersion(t, stored, "v1.37.2")

	e.useWebhook(t, func(c *webhook.Config) { c.ClusterAPI.Mode = webhook.ModeEnforce })
	if _, err := e.kcps().Update(ctx, bumped, metav1.UpdateOptions{}); !denied(err) || !strings.Contains(err.Error(), removedFlag) {
		t.Errorf("enforce mode: the version bump returned %v, want a denial quoting %q", err, removedFlag)
	}
	if got, err := e.kcps().Get(ctx, kcp.GetName(), metav1.GetOptions{}); err != nil || got.GetResourceVersion() != stored.GetResourceVersion() {
		t.Errorf("enforce mode: the denied bump was stored (err %v)", err)
	}
	e.warns.Take()

	e.useWebhook(t, nil)
	if _, err := e.kcps().Update(ctx, bumped, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("warn mode: %v", err)
	}
	e.wantWarningPrefix(t, removedFlag)
}

// specUnchanged: Cluster API's controllers write finalizers, labels and annotations of these
// objects all the time; the matchCondition keeps those writes from the webhook, and an object
// stored with an error is never held back by them, nor by a change that does not bring the
// error in, in enforce mode too.
func (e *capiEnv) specUnchanged(t *testing.T) {
	ctx := context.Background()
	e.useWebhook(t, func(c *webhook.Config) { c.ClusterAPI.Mode = webhook.ModeEnforce })
	t.Cleanup(func() { e.useWebhook(t, nil) })
	calls := e.reviews.count("cluster-api")
	kcp, err := e.kcps().Get(ctx, "upgrade", metav1.GetOptions{}) // v1.37.2, stored with its error in b
	if err != nil {
		t.Fatal(err)
	}
	kcp.SetFinalizers([]string{"kubeadm.controlplane.cluster.x-k8s.io"})
	kcp.SetLabels(map[string]string{"cluster.x-k8s.io/cluster-name": "one"})
	if _, err := e.kcps().Update(ctx, kcp, metav1.UpdateOptions{}); err != nil {
		t.Errorf("a metadata-only update of a KubeadmControlPlane with an error: %v", err)
	}
	if got := e.reviews.count("cluster-api") - calls; got != 0 {
		t.Errorf("the API server sent %d metadata-only update(s) to the webhook", got)
	}
	// The API server itself warns that Cluster API's finalizer name has no path.
	if got := e.warns.Take(); slices.ContainsFunc(got, func(w string) bool { return strings.HasPrefix(w, "KL") }) {
		t.Errorf("client warnings %q, want none of kubeadm-lint's", got)
	}

	// A spec change that brings in no error, such as scaling the control plane, is allowed
	// in enforce mode, with the error the object already had as a warning.
	kcp, err = e.kcps().Get(ctx, "upgrade", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := unstructured.SetNestedField(kcp.Object, int64(5), "spec", "replicas"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.kcps().Update(ctx, kcp, metav1.UpdateOptions{}); err != nil {
		t.Errorf("enforce mode: scaling a KubeadmControlPlane stored with an error: %v", err)
	}
	e.wantWarningPrefix(t, removedFlag)
}

func (e *capiEnv) templates(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		file    string
		res     schema.GroupVersionResource
		warning string
	}{
		{"kcp-template.yaml", kcpTemplateResource, removedFlag},
		{"kubeadmconfigtemplate.yaml", configTemplateRes, "KL208: --containerd was removed in kubelet v1.37"},
	} {
		obj := e.object(t, tc.file)
		client := e.dynamic.Resource(tc.res).Namespace(capiNamespace)
		if _, err := client.Create(ctx, obj, metav1.CreateOptions{}); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		e.wantWarningPrefix(t, tc.warning)
		if err := client.Delete(ctx, obj.GetName(), metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// For a webhook that lints templates for v1.36, the flag is only deprecated: allowed in
	// enforce mode, with that warning.
	e.useWebhook(t, func(c *webhook.Config) {
		c.ClusterAPI.Mode, c.ClusterAPI.KubernetesVersion = webhook.ModeEnforce, "v1.36"
	})
	t.Cleanup(func() { e.useWebhook(t, nil) })
	if _, err := e.dynamic.Resource(configTemplateRes).Namespace(capiNamespace).Create(ctx, e.object(t, "kubeadmconfigtemplate.yaml"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	e.wantWarningPrefix(t, "KL209: --containerd is deprecated in kubelet v1.36")
}

func (e *capiEnv) capiDryRun(t *testing.T) {
	ctx := context.Background()
	kcp := e.object(t, "kcp.yaml")
	kcp.SetName("dry-run")
	stored, err := e.kcps().Create(ctx, kcp, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.warns.Take()
	bumped := withVersion(t, stored, "v1.37.2")
	dry := metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}}
	if _, err := e.kcps().Update(ctx, bumped, dry); err != nil {
		t.Fatalf("warn mode dry run: %v", err)
	}
	e.wantWarningPrefix(t, removedFlag)
	e.useWebhook(t, func(c *webhook.Config) { c.ClusterAPI.Mode = webhook.ModeEnforce })
	t.Cleanup(func() { e.useWebhook(t, nil) })
	if _, err := e.kcps().Update(ctx, bumped, dry); !denied(err) || !strings.Contains(err.Error(), removedFlag) {
		t.Errorf("enforce mode dry run: %v, want a denial quoting %q", err, removedFlag)
	}
	if now, err := e.kcps().Get(ctx, kcp.GetName(), metav1.GetOptions{}); err != nil || now.GetResourceVersion() != stored.GetResourceVersion() {
		t.Errorf("a dry run changed the stored KubeadmControlPlane (err %v)", err)
	}
	e.warns.Take()
}

// capiWebhookDown: failurePolicy Ignore must let Cluster API's writes through, in enforce mode
// too, when the webhook is stopped or hangs.
func (e *capiEnv) capiWebhookDown(t *testing.T) {
	ctx := context.Background()
	e.useWebhook(t, func(c *webhook.Config) { c.ClusterAPI.Mode = webhook.ModeEnforce })
	write := func(t *testing.T, name string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, e.timeout+30*time.Second) // only stops a hung test
		defer cancel()
		start := time.Now()
		kcp := withVersion(t, e.object(t, "kcp.yaml"), "v1.37.2")
		kcp.SetName(name)
		if _, err := e.kcps().Create(ctx, kcp, metav1.CreateOptions{}); err != nil {
			t.Errorf("creating a KubeadmControlPlane with a removed flag: %v", err)
		}
		stored, err := e.kcps().Get(ctx, "dry-run", metav1.GetOptions{}) // at v1.36.3
		if err != nil {
			t.Fatal(err)
		}
		bumped, err := e.kcps().Update(ctx, withVersion(t, stored, "v1.37.2"), metav1.UpdateOptions{})
		if err != nil {
			t.Fatalf("bumping a KubeadmControlPlane's version: %v", err)
		}
		if _, err := e.kcps().Update(ctx, withVersion(t, bumped, "v1.36.3"), metav1.UpdateOptions{}); err != nil {
			t.Errorf("restoring its version: %v", err)
		}
		t.Logf("three writes took %v (webhook timeoutSeconds %v)", time.Since(start).Round(time.Millisecond), e.timeout)
	}
	t.Run("stopped", func(t *testing.T) {
		if err := e.webhook.Stop(); err != nil {
			t.Fatal(err)
		}
		e.webhook = nil
		write(t, "down")
		e.warns.Take()
	})
	t.Run("hung", func(t *testing.T) {
		e.registerHung(t)
		write(t, "hung")
		e.warns.Take()
	})
}

// createCRDs creates the CRDs in files and waits until the API server has established them.
func createCRDs(t *testing.T, client dynamic.Interface, files ...string) {
	t.Helper()
	ctx := context.Background()
	crds := client.Resource(schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"})
	deadline := time.Now().Add(time.Minute)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var crd unstructured.Unstructured
		if err := yaml.Unmarshal(data, &crd.Object); err != nil {
			t.Fatal(err)
		}
		if _, err := crds.Create(ctx, &crd, metav1.CreateOptions{}); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for !established(ctx, t, crds, crd.GetName()) {
			if time.Now().After(deadline) {
				t.Fatalf("CRD %s not established within a minute", crd.GetName())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
