// Package manifests holds the kustomize base and overlays; its test renders them.
package manifests

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/e2e"
	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// objects renders a kustomization and indexes its objects by kind.
func objects(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out, err := e2e.Render(dir)
	if err != nil {
		t.Fatal(err)
	}
	return indexKinds(t, out)
}

// indexKinds indexes the documents of a rendered YAML stream by kind.
func indexKinds(t *testing.T, out []byte) map[string][]string {
	t.Helper()
	byKind := map[string][]string{}
	for _, doc := range strings.Split(string(out), "\n---\n") {
		if strings.TrimSpace(strings.TrimPrefix(doc, "---\n")) == "" {
			continue
		}
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			t.Fatal(err)
		}
		byKind[meta.Kind] = append(byKind[meta.Kind], doc)
	}
	return byKind
}

func one[T any](t *testing.T, byKind map[string][]string, kind string) *T {
	t.Helper()
	if len(byKind[kind]) != 1 {
		t.Fatalf("want one %s, got %d", kind, len(byKind[kind]))
	}
	var obj T
	if err := yaml.UnmarshalStrict([]byte(byKind[kind][0]), &obj); err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	return &obj
}

func TestBase(t *testing.T) {
	byKind := objects(t, "base")
	// The chart installs into the release namespace instead, which it does not own.
	if len(byKind["Namespace"]) != 1 {
		t.Errorf("want one Namespace, got %d", len(byKind["Namespace"]))
	}
	checkInstall(t, byKind, 2)
}

// checkInstall checks the safety envelope that every way of installing the webhook must keep:
// manifests/base and each rendering of the Helm chart (chart_test.go).
func checkInstall(t *testing.T, byKind map[string][]string, replicas int32) {
	t.Helper()
	for _, kind := range []string{"ServiceAccount", "ConfigMap", "Service", "PodDisruptionBudget"} {
		if len(byKind[kind]) != 1 {
			t.Errorf("want one %s, got %d", kind, len(byKind[kind]))
		}
	}
	sa := one[corev1.ServiceAccount](t, byKind, "ServiceAccount")
	if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Error("the ServiceAccount must not mount a token: the webhook calls no API")
	}
	if len(byKind["Role"])+len(byKind["ClusterRole"])+len(byKind["RoleBinding"])+len(byKind["ClusterRoleBinding"]) > 0 {
		t.Error("the base must need no RBAC")
	}

	t.Run("the Deployment", func(t *testing.T) {
		d := one[appsv1.Deployment](t, byKind, "Deployment")
		spec := d.Spec.Template.Spec
		c := spec.Containers[0]
		sc, psc := c.SecurityContext, spec.SecurityContext
		checks := []struct {
			what string
			ok   bool
		}{
			{fmt.Sprintf("%d replicas", replicas), d.Spec.Replicas != nil && *d.Spec.Replicas == replicas},
			{"pod anti-affinity", spec.Affinity != nil && spec.Affinity.PodAntiAffinity != nil},
			{"priorityClassName system-cluster-critical", spec.PriorityClassName == "system-cluster-critical"},
			{"a control-plane toleration", slices.ContainsFunc(spec.Tolerations, func(t corev1.Toleration) bool { return t.Key == "node-role.kubernetes.io/control-plane" })},
			{"runAsNonRoot", psc != nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot},
			{"seccomp RuntimeDefault", psc != nil && psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault},
			{"a read-only root filesystem", sc != nil && sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem},
			{"no privilege escalation", sc != nil && sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation},
			{"all capabilities dropped", sc != nil && sc.Capabilities != nil && slices.Contains(sc.Capabilities.Drop, "ALL")},
			{"resource requests and a memory limit", c.Resources.Requests.Cpu() != nil && !c.Resources.Limits.Memory().IsZero()},
			{"a readiness probe on /readyz", c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet != nil && c.ReadinessProbe.HTTPGet.Path == "/readyz"},
			{"a liveness probe on /healthz", c.LivenessProbe != nil && c.LivenessProbe.HTTPGet != nil && c.LivenessProbe.HTTPGet.Path == "/healthz"},
		}
		for _, ch := range checks {
			if !ch.ok {
				t.Errorf("the Deployment lacks %s", ch.what)
			}
		}
	})

	t.Run("the config file loads", func(t *testing.T) {
		cfg := config(t, byKind)
		if err := cfg.Validate(); err != nil {
			t.Error(err)
		}
	})

	t.Run("the webhook configurations", func(t *testing.T) {
		m := one[admissionregistrationv1.MutatingWebhookConfiguration](t, byKind, "MutatingWebhookConfiguration")
		v := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, byKind, "ValidatingWebhookConfiguration")
		// The Cluster API route is called only where the component or the chart's
		// clusterAPI.enabled registers it.
		routes := map[string]bool{webhook.PathKubeProxy: false, webhook.PathCoreDNS: false, webhook.PathConfigMaps: false}
		optional := map[string]bool{webhook.PathClusterAPI: true}
		check := func(name string, w common) {
			if !slices.Equal(w.versions, []string{"v1"}) {
				t.Errorf("%s: admissionReviewVersions %v, want [v1]", name, w.versions)
			}
			if w.sideEffects == nil || *w.sideEffects != admissionregistrationv1.SideEffectClassNone {
				t.Errorf("%s: sideEffects must be None", name)
			}
			if w.failurePolicy == nil || *w.failurePolicy != admissionregistrationv1.Ignore {
				t.Errorf("%s: failurePolicy must be Ignore", name)
			}
			if w.timeout == nil || *w.timeout > 5 {
				t.Errorf("%s: timeoutSeconds must be 5 or less", name)
			}
			if name == clusterAPIWebhook {
				checkClusterAPIScope(t, w)
			} else if w.ns == nil || w.ns.MatchLabels["kubernetes.io/metadata.name"] != "kube-system" {
				t.Errorf("%s: namespaceSelector must select kube-system only", name)
			}
			if len(w.conditions) == 0 {
				t.Errorf("%s: needs matchConditions that select the named objects", name)
			}
			svc := w.client.Service
			if svc == nil || svc.Path == nil {
				t.Errorf("%s: clientConfig must name the Service and a path", name)
				return
			}
			if _, ok := routes[*svc.Path]; !ok && !optional[*svc.Path] {
				t.Errorf("%s: path %s is not one of the server's routes", name, *svc.Path)
			}
			routes[*svc.Path] = true
		}
		for _, w := range m.Webhooks {
			check(w.Name, common{w.AdmissionReviewVersions, w.SideEffects, w.FailurePolicy, w.TimeoutSeconds, w.NamespaceSelector, w.MatchConditions, w.ClientConfig, w.Rules})
			if w.ReinvocationPolicy == nil || *w.ReinvocationPolicy != admissionregistrationv1.IfNeededReinvocationPolicy {
				t.Errorf("%s: reinvocationPolicy must be IfNeeded", w.Name)
			}
		}
		for _, w := range v.Webhooks {
			check(w.Name, common{w.AdmissionReviewVersions, w.SideEffects, w.FailurePolicy, w.TimeoutSeconds, w.NamespaceSelector, w.MatchConditions, w.ClientConfig, w.Rules})
		}
		for path, used := range routes {
			if !used {
				t.Errorf("no webhook calls the server's route %s", path)
			}
		}
	})
}

// common is what mutating and validating webhooks share.
type common struct {
	versions      []string
	sideEffects   *admissionregistrationv1.SideEffectClass
	failurePolicy *admissionregistrationv1.FailurePolicyType
	timeout       *int32
	ns            *metav1.LabelSelector
	conditions    []admissionregistrationv1.MatchCondition
	client        admissionregistrationv1.WebhookClientConfig
	rules         []admissionregistrationv1.RuleWithOperations
}

// clusterAPIWebhook is the webhook of components/cluster-api and the chart's clusterAPI.enabled.
const clusterAPIWebhook = "cluster-api.kubeadm-lint.dev"

// clusterAPIResources are the only resources it may be sent: KubeadmConfig is left out, as
// Cluster API makes one per Machine mid-rollout.
var clusterAPIResources = map[string][]string{
	"controlplane.cluster.x-k8s.io": {"kubeadmcontrolplanes", "kubeadmcontrolplanetemplates"},
	"bootstrap.cluster.x-k8s.io":    {"kubeadmconfigtemplates"},
}

// checkClusterAPIScope: Cluster API's objects live in any namespace, so instead of a
// namespaceSelector the rules must name only its kubeadm resources, for writes, in both API
// versions.
func checkClusterAPIScope(t *testing.T, w common) {
	t.Helper()
	got := map[string][]string{}
	for _, r := range w.rules {
		if !slices.Equal(r.Operations, []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update}) {
			t.Errorf("%s: operations %v, want CREATE and UPDATE", clusterAPIWebhook, r.Operations)
		}
		if !slices.Equal(r.APIVersions, []string{"v1beta1", "v1beta2"}) {
			t.Errorf("%s: apiVersions %v, want v1beta1 and v1beta2", clusterAPIWebhook, r.APIVersions)
		}
		for _, g := range r.APIGroups {
			got[g] = append(got[g], r.Resources...)
		}
	}
	if !maps.EqualFunc(got, clusterAPIResources, slices.Equal) {
		t.Errorf("%s: rules select %v, want only %v", clusterAPIWebhook, got, clusterAPIResources)
	}
}

func TestCertManagerOverlay(t *testing.T) {
	byKind := objects(t, filepath.Join("overlays", "cert-manager"))
	for _, kind := range []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"} {
		if !strings.Contains(byKind[kind][0], "cert-manager.io/inject-ca-from: kubeadm-lint/kubeadm-lint-webhook") {
			t.Errorf("%s lacks the cainjector annotation", kind)
		}
	}
	d := one[appsv1.Deployment](t, byKind, "Deployment")
	secret := ""
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret != nil {
			secret = v.Secret.SecretName
		}
	}
	found := false
	for _, doc := range byKind["Certificate"] {
		found = found || strings.Contains(doc, "secretName: "+secret+"\n")
	}
	if secret == "" || !found {
		t.Errorf("no Certificate writes the Secret %q the Deployment mounts", secret)
	}
}

func TestSelfSignedOverlay(t *testing.T) {
	// Render a copy, so that the generated certificates never land in the source tree.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(".")); err != nil {
		t.Fatal(err)
	}
	gen := filepath.Join(dir, "overlays", "self-signed", "generated")
	if _, err := cert.Write(gen, cert.ServiceDNSNames("kubeadm-lint-webhook", "kubeadm-lint"), time.Hour); err != nil {
		t.Fatal(err)
	}
	byKind := objects(t, filepath.Join(dir, "overlays", "self-signed"))
	m := one[admissionregistrationv1.MutatingWebhookConfiguration](t, byKind, "MutatingWebhookConfiguration")
	v := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, byKind, "ValidatingWebhookConfiguration")
	for _, w := range m.Webhooks {
		if len(w.ClientConfig.CABundle) == 0 {
			t.Errorf("%s has no caBundle", w.Name)
		}
	}
	if len(v.Webhooks[0].ClientConfig.CABundle) == 0 {
		t.Errorf("%s has no caBundle", v.Webhooks[0].Name)
	}
	secret := one[corev1.Secret](t, byKind, "Secret")
	if secret.Name != "kubeadm-lint-webhook-tls" || secret.Type != corev1.SecretTypeTLS || len(secret.Data["tls.key"]) == 0 {
		t.Errorf("want the TLS Secret the Deployment mounts, got %s of type %s", secret.Name, secret.Type)
	}
}

// TestClusterAPIComponent: the component adds the Cluster API webhook to the validating
// configuration, on top of an overlay, with the overlay's CA: cert-manager's cainjector
// annotation (overlays/cluster-api), or the self-signed overlay's caBundle, copied with the
// clientConfig. Without it, nothing is sent the Cluster API route.
func TestClusterAPIComponent(t *testing.T) {
	if v := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, objects(t, "base"), "ValidatingWebhookConfiguration"); len(v.Webhooks) != 1 {
		t.Errorf("base registers %d validating webhooks, want the ConfigMap one only: Cluster API is off by default", len(v.Webhooks))
	}
	// A copy, so that the generated certificates never land in the source tree.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(".")); err != nil {
		t.Fatal(err)
	}
	if _, err := cert.Write(filepath.Join(dir, "overlays", "self-signed", "generated"), cert.ServiceDNSNames("kubeadm-lint-webhook", "kubeadm-lint"), time.Hour); err != nil {
		t.Fatal(err)
	}
	selfSigned := filepath.Join(dir, "self-signed-cluster-api")
	if err := os.MkdirAll(selfSigned, 0o755); err != nil {
		t.Fatal(err)
	}
	kustomization := "resources: [../overlays/self-signed]\ncomponents: [../components/cluster-api]\n"
	if err := os.WriteFile(filepath.Join(selfSigned, "kustomization.yaml"), []byte(kustomization), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir string
		injected  bool // cainjector fills the caBundle; else the overlay's own must be there
	}{
		{name: "overlays/cluster-api", dir: filepath.Join("overlays", "cluster-api"), injected: true},
		{name: "the component on top of overlays/self-signed", dir: selfSigned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			byKind := objects(t, tc.dir)
			checkInstall(t, byKind, 2)
			v := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, byKind, "ValidatingWebhookConfiguration")
			if len(v.Webhooks) != 2 || v.Webhooks[1].Name != clusterAPIWebhook {
				t.Fatalf("validating webhooks %d, want the ConfigMap one and %s", len(v.Webhooks), clusterAPIWebhook)
			}
			cm, capi := v.Webhooks[0].ClientConfig, v.Webhooks[1].ClientConfig
			if capi.Service == nil || *capi.Service.Path != webhook.PathClusterAPI || capi.Service.Name != cm.Service.Name || capi.Service.Namespace != cm.Service.Namespace {
				t.Errorf("clientConfig %+v, want the ConfigMap webhook's Service at %s", capi.Service, webhook.PathClusterAPI)
			}
			if injected := v.Annotations["cert-manager.io/inject-ca-from"] != ""; injected != tc.injected {
				t.Errorf("cainjector annotation: %v, want %v", injected, tc.injected)
			}
			if !tc.injected && (len(capi.CABundle) == 0 || string(capi.CABundle) != string(cm.CABundle)) {
				t.Errorf("the Cluster API webhook's caBundle is not the self-signed overlay's CA")
			}
		})
	}
}
