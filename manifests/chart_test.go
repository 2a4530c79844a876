package manifests

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/e2e"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// The release and namespace that give the chart's objects the names of manifests/base.
const (
	release   = "kubeadm-lint-webhook"
	namespace = "kubeadm-lint"
)

// helmTemplate runs the real 'helm template' on the chart; args add values.
func helmTemplate(t *testing.T, release string, args ...string) ([]byte, error) {
	t.Helper()
	root, err := e2e.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	h, err := e2e.NewHelm(root, t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	return h.Run(context.Background(), append([]string{"template", release, e2e.ChartDir, "--namespace", namespace}, args...)...)
}

// chart renders the chart and indexes its objects by kind.
func chart(t *testing.T, release string, args ...string) map[string][]string {
	t.Helper()
	out, err := helmTemplate(t, release, args...)
	if err != nil {
		t.Fatal(err)
	}
	return indexKinds(t, out)
}

// values is a values file of the chart's ci/ directory, which 'make helm-lint' lints too.
func values(name string) []string {
	return []string{"--values", filepath.Join(e2e.ChartDir, "ci", name)}
}

// config loads the webhook's config file from the rendered ConfigMap, as the pod would.
func config(t *testing.T, byKind map[string][]string) webhook.Config {
	t.Helper()
	cm := one[corev1.ConfigMap](t, byKind, "ConfigMap")
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cm.Data["config.yaml"]), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := webhook.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func ciCABundle(t *testing.T) []byte {
	t.Helper()
	var v struct {
		Certificate struct{ CABundle string } `json:"certificate"`
	}
	data, err := os.ReadFile(filepath.Join("..", e2e.ChartDir, "ci", "secret-values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return []byte(v.Certificate.CABundle)
}

// TestChartValues renders each values combination through the checks manifests/base passes,
// then checks what the values changed.
func TestChartValues(t *testing.T) {
	optionTolerations := []corev1.Toleration{
		{Key: "CriticalAddonsOnly", Operator: corev1.TolerationOpExists},
		{Key: "node-role.kubernetes.io/control-plane", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: new(int64(300))},
	}
	tests := []struct {
		name     string
		release  string
		args     []string
		replicas int32
		// secret is the TLS Secret the Deployment mounts; madeBy is the kind in the chart that
		// writes it, or "" when the user provides it.
		secret, madeBy string
		// caBundle is the CA in the webhook configurations; nil when cainjector fills it.
		caBundle func(t *testing.T, byKind map[string][]string) []byte
		config   func(*webhook.Config)
		timeout  int32
	}{
		{
			name: "the defaults make a self-signed CA and trust it", release: release, replicas: 3,
			secret: "kubeadm-lint-webhook-tls", madeBy: "Secret", timeout: 3,
			caBundle: func(t *testing.T, byKind map[string][]string) []byte {
				return one[corev1.Secret](t, byKind, "Secret").Data["ca.crt"]
			},
		},
		{
			name: "cert-manager writes the Secret and injects the CA", release: release, args: values("cert-manager-values.yaml"),
			replicas: 3, secret: "kubeadm-lint-webhook-tls", madeBy: "Certificate", timeout: 3,
		},
		{
			name: "a Secret you provide is mounted and its CA trusted", release: release, args: values("secret-values.yaml"),
			replicas: 3, secret: "my-webhook-tls", timeout: 3,
			caBundle: func(t *testing.T, _ map[string][]string) []byte { return ciCABundle(t) },
		},
		{
			name: "every option reaches the config file, the Deployment and the webhooks", release: release, args: values("options-values.yaml"),
			replicas: 1, secret: "kubeadm-lint-webhook-tls", madeBy: "Secret", timeout: 5,
			caBundle: func(t *testing.T, byKind map[string][]string) []byte {
				return one[corev1.Secret](t, byKind, "Secret").Data["ca.crt"]
			},
			config: func(c *webhook.Config) {
				c.ConfigMaps.Mode = webhook.ModeEnforce
				c.ConfigMaps.KubernetesVersion = "v1.36"
				c.CoreDNS.AllowPrivilegeEscalation = true
				c.KubeProxy.KeepUninitialized = true
				c.KubeProxy.Tolerations = optionTolerations
				c.ClusterAPI = webhook.ClusterAPI{Mode: webhook.ModeEnforce, KubernetesVersion: "v1.36", Rules: map[string]string{"KL208": "warning"}}
			},
		},
		{
			name: "another release name prefixes every object", release: "lint", replicas: 3,
			secret: "lint-kubeadm-lint-webhook-tls", madeBy: "Secret", timeout: 3,
			caBundle: func(t *testing.T, byKind map[string][]string) []byte {
				return one[corev1.Secret](t, byKind, "Secret").Data["ca.crt"]
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			byKind := chart(t, tc.release, tc.args...)
			checkInstall(t, byKind, tc.replicas)

			want := webhook.DefaultConfig()
			want.KubeProxy.Tolerations = kubeadm.DefaultTolerations()
			if tc.config != nil {
				tc.config(&want)
			}
			got := config(t, byKind)
			if err := got.Validate(); err != nil {
				t.Errorf("the rendered config file is invalid: %v", err)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(webhook.Config{})); diff != "" {
				t.Errorf("config file (-want +got):\n%s", diff)
			}

			d := one[appsv1.Deployment](t, byKind, "Deployment")
			mounted := ""
			for _, v := range d.Spec.Template.Spec.Volumes {
				if v.Secret != nil {
					mounted = v.Secret.SecretName
				}
			}
			if mounted != tc.secret {
				t.Errorf("the Deployment mounts Secret %q, want %q", mounted, tc.secret)
			}
			written := ""
			for _, kind := range []string{"Secret", "Certificate"} {
				for _, doc := range byKind[kind] {
					if strings.Contains(doc, "\n  name: "+tc.secret+"\n") || strings.Contains(doc, "secretName: "+tc.secret+"\n") {
						written = kind
					}
				}
			}
			if written != tc.madeBy {
				t.Errorf("the Secret %q is written by %q in the chart, want %q", tc.secret, written, tc.madeBy)
			}

			m := one[admissionregistrationv1.MutatingWebhookConfiguration](t, byKind, "MutatingWebhookConfiguration")
			v := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, byKind, "ValidatingWebhookConfiguration")
			var wantCA []byte
			if tc.caBundle != nil {
				wantCA = tc.caBundle(t, byKind)
			}
			injected := m.Annotations["cert-manager.io/inject-ca-from"] != "" && v.Annotations["cert-manager.io/inject-ca-from"] != ""
			if (wantCA == nil) != injected {
				t.Errorf("cainjector annotation present: %v, want %v", injected, wantCA == nil)
			}
			var configs []admissionregistrationv1.WebhookClientConfig
			var timeouts []*int32
			for _, w := range v.Webhooks {
				configs = append(configs, w.ClientConfig)
				timeouts = append(timeouts, w.TimeoutSeconds)
			}
			for _, w := range m.Webhooks {
				configs = append(configs, w.ClientConfig)
				timeouts = append(timeouts, w.TimeoutSeconds)
			}
			for i, cc := range configs {
				if string(cc.CABundle) != string(wantCA) {
					t.Errorf("webhook %d: caBundle %.40q, want %.40q", i, cc.CABundle, wantCA)
				}
				if cc.Service == nil || cc.Service.Name != d.Name || cc.Service.Namespace != namespace {
					t.Errorf("webhook %d: clientConfig %+v, want the Service %s/%s", i, cc.Service, namespace, d.Name)
				}
				if *timeouts[i] != tc.timeout {
					t.Errorf("webhook %d: timeoutSeconds %d, want %d", i, *timeouts[i], tc.timeout)
				}
			}
		})
	}
}

// TestChartSelfSignedCertificate checks the pair the chart makes: the serving certificate is
// signed by the CA the webhooks trust and names the Service.
func TestChartSelfSignedCertificate(t *testing.T) {
	byKind := chart(t, release)
	s := one[corev1.Secret](t, byKind, "Secret")
	if s.Type != corev1.SecretTypeTLS || s.Name != "kubeadm-lint-webhook-tls" {
		t.Fatalf("Secret %s of type %s, want kubeadm-lint-webhook-tls of type %s", s.Name, s.Type, corev1.SecretTypeTLS)
	}
	if err := verifyServing(s.Data["ca.crt"], s.Data["tls.crt"], s.Data["tls.key"], "kubeadm-lint-webhook.kubeadm-lint.svc"); err != nil {
		t.Error(err)
	}
}

// TestChartURL is the out-of-cluster install: the two webhook configurations alone, calling
// the URL with the given CA.
func TestChartURL(t *testing.T) {
	byKind := chart(t, release, values("url-values.yaml")...)
	var kinds []string
	for kind := range byKind {
		kinds = append(kinds, kind)
	}
	slices.Sort(kinds)
	if want := []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}; !slices.Equal(kinds, want) {
		t.Errorf("rendered kinds %v, want only %v", kinds, want)
	}
	m := one[admissionregistrationv1.MutatingWebhookConfiguration](t, byKind, "MutatingWebhookConfiguration")
	v := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, byKind, "ValidatingWebhookConfiguration")
	got := map[string]admissionregistrationv1.WebhookClientConfig{}
	for _, w := range m.Webhooks {
		got[w.Name] = w.ClientConfig
	}
	got[v.Webhooks[0].Name] = v.Webhooks[0].ClientConfig
	const base = "https://kubeadm-lint.cp.cluster.internal:8443"
	want := map[string]string{
		"kube-proxy.kubeadm-lint.dev": base + webhook.PathKubeProxy,
		"coredns.kubeadm-lint.dev":    base + webhook.PathCoreDNS,
		"configmaps.kubeadm-lint.dev": base + webhook.PathConfigMaps,
	}
	ca := ciCABundle(t)
	for name, url := range want {
		cc := got[name]
		if cc.URL == nil || *cc.URL != url || cc.Service != nil {
			t.Errorf("%s: clientConfig url %v service %v, want url %s only", name, cc.URL, cc.Service, url)
		}
		if string(cc.CABundle) != string(ca) {
			t.Errorf("%s: caBundle is not the CA of the values", name)
		}
	}
}

// helmOwned are the labels Helm charts add by convention; manifests/base has none of them.
var helmOwned = []string{"app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/version", "helm.sh/chart"}

func dropHelmLabels(m map[string]string) map[string]string {
	for _, k := range helmOwned {
		delete(m, k)
	}
	return m
}

// TestChartMatchesBase is the one-source-of-truth check: with its defaults, the chart must
// render what manifests/base renders wherever the webhook's safety depends on it. What may
// differ is listed here: the objects' own labels, the selectors' Helm instance label, the
// replica count (3 in the chart, the HA guidance
// of Kyverno and Gatekeeper), the ConfigMap's name (kustomize adds a content hash; the chart
// rolls pods with a checksum annotation instead), and the caBundle the base leaves to an overlay.
func TestChartMatchesBase(t *testing.T) {
	base := objects(t, "base")

	t.Run("the webhook configurations", func(t *testing.T) {
		for _, tc := range []struct {
			name         string
			base, ch     map[string][]string
			keepCABundle bool
		}{
			{"base and the self-signed defaults", base, chart(t, release), false},
			{"the cert-manager overlay and source", objects(t, filepath.Join("overlays", "cert-manager")), chart(t, release, values("cert-manager-values.yaml")...), true},
			{"the cluster-api overlay and clusterAPI.enabled with cert-manager", objects(t, filepath.Join("overlays", "cluster-api")),
				chart(t, release, append(values("cert-manager-values.yaml"), "--set", "clusterAPI.enabled=true")...), true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				bm := one[admissionregistrationv1.MutatingWebhookConfiguration](t, tc.base, "MutatingWebhookConfiguration")
				cm := one[admissionregistrationv1.MutatingWebhookConfiguration](t, tc.ch, "MutatingWebhookConfiguration")
				bv := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, tc.base, "ValidatingWebhookConfiguration")
				cv := one[admissionregistrationv1.ValidatingWebhookConfiguration](t, tc.ch, "ValidatingWebhookConfiguration")
				for _, m := range []*admissionregistrationv1.MutatingWebhookConfiguration{bm, cm} {
					m.Labels = nil
					for i := range m.Webhooks {
						if !tc.keepCABundle {
							m.Webhooks[i].ClientConfig.CABundle = nil
						}
					}
				}
				for _, v := range []*admissionregistrationv1.ValidatingWebhookConfiguration{bv, cv} {
					v.Labels = nil
					for i := range v.Webhooks {
						if !tc.keepCABundle {
							v.Webhooks[i].ClientConfig.CABundle = nil
						}
					}
				}
				if diff := cmp.Diff(bm, cm); diff != "" {
					t.Errorf("MutatingWebhookConfiguration (-kustomize +helm):\n%s", diff)
				}
				if diff := cmp.Diff(bv, cv); diff != "" {
					t.Errorf("ValidatingWebhookConfiguration (-kustomize +helm):\n%s", diff)
				}
			})
		}
	})

	ch := chart(t, release)
	t.Run("the Deployment", func(t *testing.T) {
		bd := one[appsv1.Deployment](t, base, "Deployment")
		cd := one[appsv1.Deployment](t, ch, "Deployment")
		if *bd.Spec.Replicas != 2 || *cd.Spec.Replicas != 3 {
			t.Errorf("replicas: base %d, chart %d; want 2 and 3", *bd.Spec.Replicas, *cd.Spec.Replicas)
		}
		bcm := one[corev1.ConfigMap](t, base, "ConfigMap")
		ccm := one[corev1.ConfigMap](t, ch, "ConfigMap")
		for _, d := range []*appsv1.Deployment{bd, cd} {
			d.Spec.Replicas = nil
			d.Labels = nil
			dropHelmLabels(d.Spec.Selector.MatchLabels)
			dropHelmLabels(d.Spec.Template.Labels)
			for _, term := range d.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
				dropHelmLabels(term.PodAffinityTerm.LabelSelector.MatchLabels)
			}
		}
		if cd.Spec.Template.Annotations["checksum/config"] == "" {
			t.Error("the chart's pod template lacks the checksum/config annotation that rolls pods on a config change")
		}
		delete(cd.Spec.Template.Annotations, "checksum/config")
		if len(cd.Spec.Template.Annotations) == 0 {
			cd.Spec.Template.Annotations = nil
		}
		for _, v := range bd.Spec.Template.Spec.Volumes {
			if v.ConfigMap != nil && v.ConfigMap.Name != bcm.Name {
				t.Errorf("base mounts ConfigMap %s, renders %s", v.ConfigMap.Name, bcm.Name)
			}
		}
		for _, v := range cd.Spec.Template.Spec.Volumes {
			if v.ConfigMap != nil {
				if v.ConfigMap.Name != ccm.Name {
					t.Errorf("the chart mounts ConfigMap %s, renders %s", v.ConfigMap.Name, ccm.Name)
				}
				v.ConfigMap.Name = bcm.Name
			}
		}
		if diff := cmp.Diff(bd, cd); diff != "" {
			t.Errorf("Deployment (-kustomize +helm):\n%s", diff)
		}
	})

	t.Run("the config file", func(t *testing.T) {
		if diff := cmp.Diff(config(t, base), config(t, ch), cmpopts.IgnoreUnexported(webhook.Config{})); diff != "" {
			t.Errorf("config file (-kustomize +helm):\n%s", diff)
		}
	})

	t.Run("the Service, PodDisruptionBudget and ServiceAccount", func(t *testing.T) {
		bs, cs := one[corev1.Service](t, base, "Service"), one[corev1.Service](t, ch, "Service")
		dropHelmLabels(cs.Spec.Selector)
		if diff := cmp.Diff(bs.Spec, cs.Spec); diff != "" || bs.Name != cs.Name {
			t.Errorf("Service %s and %s (-kustomize +helm):\n%s", bs.Name, cs.Name, diff)
		}
		bp, cp := one[policyv1.PodDisruptionBudget](t, base, "PodDisruptionBudget"), one[policyv1.PodDisruptionBudget](t, ch, "PodDisruptionBudget")
		dropHelmLabels(cp.Spec.Selector.MatchLabels)
		if diff := cmp.Diff(bp.Spec, cp.Spec); diff != "" {
			t.Errorf("PodDisruptionBudget (-kustomize +helm):\n%s", diff)
		}
		ba, ca := one[corev1.ServiceAccount](t, base, "ServiceAccount"), one[corev1.ServiceAccount](t, ch, "ServiceAccount")
		if ba.Name != ca.Name || *ba.AutomountServiceAccountToken != *ca.AutomountServiceAccountToken {
			t.Errorf("ServiceAccount %s automount %v, chart %s automount %v", ba.Name, *ba.AutomountServiceAccountToken, ca.Name, *ca.AutomountServiceAccountToken)
		}
	})
}

// TestChartKubernetesVersion: before 1.30 the API server has no matchConditions, which keep
// every DaemonSet but kube-proxy away from the webhook.
func TestChartKubernetesVersion(t *testing.T) {
	if _, err := helmTemplate(t, release, "--kube-version", "1.30.0"); err != nil {
		t.Errorf("1.30: %v", err)
	}
	_, err := helmTemplate(t, release, "--kube-version", "1.29.3")
	if err == nil || !strings.Contains(err.Error(), "needs Kubernetes 1.30 or newer for matchConditions; this cluster is v1.29.3") {
		t.Errorf("1.29: %v, want the chart to refuse it", err)
	}
}

// TestChartSchema checks that values.schema.json refuses bad values, each with a message that
// names the value and what is wrong with it.
// TestChartAuditMatchesManifests holds the chart's cluster audit to manifests/audit: the same
// permissions, and the same CronJob but for the names, the image and what the values set.
func TestChartAuditMatchesManifests(t *testing.T) {
	if byKind := chart(t, release); len(byKind["CronJob"]) != 0 || len(byKind["ClusterRole"]) != 0 {
		t.Error("the audit is installed without audit.enabled")
	}
	out, err := e2e.Render("audit")
	if err != nil {
		t.Fatal(err)
	}
	base := indexKinds(t, out)
	wantRole, wantJob := one[rbacv1.ClusterRole](t, base, "ClusterRole"), one[batchv1.CronJob](t, base, "CronJob")
	for _, tc := range []struct {
		name string
		args []string
		// values are the schedule, the --fail-on argument and the CPU request the values set.
		values [3]string
	}{
		{"the defaults", []string{"--set", "audit.enabled=true"}, [3]string{"17 */6 * * *", "--fail-on=error", "50m"}},
		{"ci/audit-values.yaml", values("audit-values.yaml"), [3]string{"*/30 * * * *", "--fail-on=warning", "10m"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			byKind := chart(t, release, tc.args...)
			gotRole, gotJob := one[rbacv1.ClusterRole](t, byKind, "ClusterRole"), one[batchv1.CronJob](t, byKind, "CronJob")
			if d := cmp.Diff(wantRole.Rules, gotRole.Rules); d != "" {
				t.Errorf("the chart's audit ClusterRole differs from manifests/audit (-base +chart):\n%s", d)
			}
			pod, wantPod := &gotJob.Spec.JobTemplate.Spec.Template.Spec, &wantJob.Spec.JobTemplate.Spec.Template.Spec
			if binding := one[rbacv1.ClusterRoleBinding](t, byKind, "ClusterRoleBinding"); binding.RoleRef.Name != gotRole.Name || binding.Subjects[0].Name != pod.ServiceAccountName {
				t.Errorf("the binding binds %s to %v, not the CronJob's account to its role", binding.RoleRef.Name, binding.Subjects)
			}
			if webhook := one[appsv1.Deployment](t, byKind, "Deployment").Spec.Template.Spec.Containers[0].Image; pod.Containers[0].Image != webhook {
				t.Errorf("the audit runs %s, not the webhook's image, which carries the CLI", pod.Containers[0].Image)
			}
			c := &pod.Containers[0]
			if got := [3]string{gotJob.Spec.Schedule, c.Command[len(c.Command)-1], c.Resources.Requests.Cpu().String()}; got != tc.values {
				t.Errorf("schedule, --fail-on and CPU request are %q, want %q", got, tc.values)
			}
			// Apart from those, the CronJob is manifests/audit's.
			gotJob.Spec.Schedule = wantJob.Spec.Schedule
			pod.ServiceAccountName, c.Image = wantPod.ServiceAccountName, wantPod.Containers[0].Image
			c.Command[len(c.Command)-1], c.Resources = wantPod.Containers[0].Command[len(c.Command)-1], wantPod.Containers[0].Resources
			if d := cmp.Diff(wantJob.Spec, gotJob.Spec); d != "" {
				t.Errorf("the chart's audit CronJob differs from manifests/audit (-base +chart):\n%s", d)
			}
		})
	}
}

func TestChartSchema(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no replicas", args: []string{"--set", "replicaCount=0"}, want: "at '/replicaCount': minimum: got 0, want 1"},
		{name: "a timeout over 5 seconds", args: []string{"--set", "webhook.timeoutSeconds=10"}, want: "at '/webhook/timeoutSeconds': maximum: got 10, want 5"},
		{name: "failurePolicy is not a value", args: []string{"--set", "webhook.failurePolicy=Fail"}, want: "additional properties 'failurePolicy' not allowed"},
		{name: "a misspelt key", args: []string{"--set", "replicas=3"}, want: "additional properties 'replicas' not allowed"},
		{name: "an unknown mode", args: []string{"--set", "mode=deny"}, want: "at '/mode': value must be one of 'warn', 'enforce'"},
		{name: "an unknown Cluster API mode", args: []string{"--set", "clusterAPI.mode=deny"}, want: "at '/clusterAPI/mode': value must be one of 'warn', 'enforce'"},
		{name: "a Cluster API rule that is not a rule ID", args: []string{"--set", "clusterAPI.rules.kl208=off"}, want: "invalid propertyName 'kl208'"},
		{name: "a Cluster API rule set to no severity", args: []string{"--set", "clusterAPI.rules.KL208=fatal"}, want: "at '/clusterAPI/rules/KL208': value must be one of 'off', 'error', 'warning', 'info'"},
		{name: "an unknown certificate source", args: []string{"--set", "certificate.source=vault"}, want: "at '/certificate/source': value must be one of 'self-signed', 'cert-manager', 'secret'"},
		{name: "a secret source without the Secret's name", args: []string{"--set", "certificate.source=secret"}, want: "at '/certificate/secretName': minLength: got 0, want 1"},
		{name: "a secret source without its CA", args: []string{"--set", "certificate.source=secret", "--set", "certificate.secretName=tls"}, want: "at '/certificate/caBundle': minLength: got 0, want 1"},
		{name: "a caBundle that is not PEM", args: []string{"--set", "certificate.caBundle=LS0tLS1CRUdJTi=="}, want: "at '/certificate/caBundle': 'LS0tLS1CRUdJTi==' does not match pattern"},
		{name: "a plain-HTTP URL", args: []string{"--set", "webhook.url=http://10.0.0.1:8443"}, want: "at '/webhook/url': 'http://10.0.0.1:8443' does not match pattern"},
		{name: "a URL without a CA", args: []string{"--set", "webhook.url=https://cp:8443"}, want: "at '/certificate/caBundle': minLength: got 0, want 1"},
		{name: "an unknown toleration operator", args: []string{"--set-json", `kubeProxy.tolerations=[{"key":"a","operator":"Maybe"}]`}, want: "at '/kubeProxy/tolerations/0/operator': value must be one of 'Exists', 'Equal'"},
		{name: "an Exists toleration with a value", args: []string{"--set-json", `kubeProxy.tolerations=[{"key":"a","operator":"Exists","value":"b"}]`}, want: "at '/kubeProxy/tolerations/0': 'not' failed"},
		{name: "tolerationSeconds without NoExecute", args: []string{"--set-json", `kubeProxy.tolerations=[{"key":"a","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}]`}, want: "at '/kubeProxy/tolerations/0/effect': value must be 'NoExecute'"},
		{name: "a toleration field kube-proxy has not", args: []string{"--set-json", `kubeProxy.tolerations=[{"key":"a","operator":"Exists","effects":"NoSchedule"}]`}, want: "additional properties 'effects' not allowed"},
		{name: "a malformed image digest", args: []string{"--set", "image.digest=abc"}, want: "at '/image/digest': 'abc' does not match pattern"},
		{name: "a Kubernetes version without its v", args: []string{"--set", "kubernetesVersion=1.37"}, want: "at '/kubernetesVersion': '1.37' does not match pattern"},
		{name: "an audit schedule of three fields", args: []string{"--set", "audit.schedule=0 * *"}, want: "at '/audit/schedule': '0 * *' does not match pattern"},
		{name: "an audit failing on a severity that is not one", args: []string{"--set", "audit.failOn=fatal"}, want: "at '/audit/failOn': value must be one of 'error', 'warning', 'info'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := helmTemplate(t, release, tc.args...)
			if err == nil {
				t.Fatalf("helm template accepted %v and rendered %d bytes", tc.args, len(out))
			}
			if !strings.Contains(err.Error(), "values don't meet the specifications of the schema") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("helm template %v failed with\n%v\nwant a schema error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

// verifyServing checks that certPEM, with keyPEM, is a serving certificate for dnsName that
// caPEM signed.
func verifyServing(caPEM, certPEM, keyPEM []byte, dnsName string) error {
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return fmt.Errorf("the serving pair: %w", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return errors.New("ca.crt holds no PEM certificate")
	}
	_, err = leaf.Verify(x509.VerifyOptions{DNSName: dnsName, Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	return err
}
