// Package manifests holds the kustomize base and overlays; its test renders them.
package manifests

import (
	"fmt"
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
		routes := map[string]bool{webhook.PathKubeProxy: false, webhook.PathCoreDNS: false, webhook.PathConfigMaps: false}
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
			if w.ns == nil || w.ns.MatchLabels["kubernetes.io/metadata.name"] != "kube-system" {
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
			if _, ok := routes[*svc.Path]; !ok {
				t.Errorf("%s: path %s is not one of the server's routes", name, *svc.Path)
			}
			routes[*svc.Path] = true
		}
		for _, w := range m.Webhooks {
			check(w.Name, common{w.AdmissionReviewVersions, w.SideEffects, w.FailurePolicy, w.TimeoutSeconds, w.NamespaceSelector, w.MatchConditions, w.ClientConfig})
			if w.ReinvocationPolicy == nil || *w.ReinvocationPolicy != admissionregistrationv1.IfNeededReinvocationPolicy {
				t.Errorf("%s: reinvocationPolicy must be IfNeeded", w.Name)
			}
		}
		for _, w := range v.Webhooks {
			check(w.Name, common{w.AdmissionReviewVersions, w.SideEffects, w.FailurePolicy, w.TimeoutSeconds, w.NamespaceSelector, w.MatchConditions, w.ClientConfig})
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
