package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	certificatesv1 "k8s.io/api/certificates/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/linttest"
)

// The fake clientset stands in for the API server only where the real one cannot: objects it
// would reject or default, and faults it does not produce on demand. The e2e suite audits a
// real one. Each rule's own cases are data, in testdata/cluster (TestRules); these tests are of
// what is no one rule's: odd objects, the release, caps, settings, a failing server.

func run(t *testing.T, cfg audit.Config, objects ...runtime.Object) *audit.Report {
	t.Helper()
	client := fake.NewClientset(objects...)
	if cfg.Client == nil {
		cfg.Client = client
	}
	return runWith(t, cfg)
}

func runWith(t *testing.T, cfg audit.Config) *audit.Report {
	t.Helper()
	// No https: the certificate check dials nothing.
	cfg.REST = &rest.Config{Host: "http://127.0.0.1:1"}
	cfg.Rules = catalog.All()
	cfg.Linter = func(release string) (audit.Linter, error) {
		return lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: release}})
	}
	rep, err := audit.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		checkMessage(t, f)
	}
	return rep
}

// checkMessage holds cluster findings to the house style of every rule, and asks each for a hint.
func checkMessage(t *testing.T, f lint.Finding) {
	t.Helper()
	if !strings.HasPrefix(f.Rule, "KL6") {
		return // the file rules' own tests hold them to it
	}
	linttest.CheckMessage(t, f)
	if f.Hint == "" || unicode.IsUpper([]rune(f.Message)[0]) {
		t.Errorf("%s %s: message %q, hint %q: want a lower-case message and a hint", f.Rule, f.Pos, f.Message, f.Hint)
	}
}

func count(rep *audit.Report, rule string) int {
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

func kubeadmConfig(version string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config", Namespace: "kube-system"},
		Data: map[string]string{"ClusterConfiguration": fmt.Sprintf(`apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: %s
networking:
  serviceSubnet: 10.96.0.0/12
  podSubnet: 10.244.0.0/16
`, version)},
	}
}

// TestOddObjects feeds the checks objects with every optional field left out, and ConfigMaps
// that are not YAML: each is a finding or nothing, never a panic or a failed audit.
func TestOddObjects(t *testing.T) {
	objects := []runtime.Object{
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "bare"}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "coredns-x", Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}}},
		&appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy", Namespace: "kube-system"}},
		&admissionregistrationv1.MutatingWebhookConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "m"}, Webhooks: []admissionregistrationv1.MutatingWebhook{{Name: "a", Rules: []admissionregistrationv1.RuleWithOperations{{}}}}},
		&admissionregistrationv1.ValidatingWebhookConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "v"}, Webhooks: []admissionregistrationv1.ValidatingWebhook{{Name: "b", Rules: []admissionregistrationv1.RuleWithOperations{{}}}}},
		&certificatesv1.CertificateSigningRequest{ObjectMeta: metav1.ObjectMeta{Name: "csr", CreationTimestamp: metav1.NewTime(time.Now().Add(-time.Hour))}, Spec: certificatesv1.CertificateSigningRequestSpec{SignerName: certificatesv1.KubeletServingSignerName}},
		&rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm:get-nodes"}},
		&rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm:get-nodes"}},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cluster-info", Namespace: "kube-public"}},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubeadm-config", Namespace: "kube-system"}, Data: map[string]string{"ClusterConfiguration": "{{{"}},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kubelet-config", Namespace: "kube-system"}, Data: map[string]string{"kubelet": "\x00\x01"}},
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kube-proxy", Namespace: "kube-system"}, Data: map[string]string{"config.conf": "- a\n- b\n"}},
	}
	rep := run(t, audit.Config{}, objects...)
	for _, want := range []string{"KL001", "KL609", "KL610", "KL611", "KL612", "KL615"} {
		if count(rep, want) == 0 {
			t.Errorf("no %s finding", want)
		}
	}
	// The unnamed-release fallback is said, and the webhook without a policy fails closed on
	// everything, kube-system included.
	if count(rep, "KL613") != 2 {
		t.Errorf("want KL613 for both webhooks without a failurePolicy, got %d", count(rep, "KL613"))
	}
	for _, f := range rep.Findings {
		t.Logf("%s %s %s: %s", f.Severity, f.Rule, f.Pos, f.Message)
	}
}

// TestRelease lints the ConfigMaps for the cluster's release, or the nearest known one.
func TestRelease(t *testing.T) {
	for _, c := range []struct {
		version, want string
		known         bool
	}{
		{"v1.36.4", "v1.36", true},
		{"v1.31.0", "v1.35", false},
		{"v1.99.1", "v1.37", false},
	} {
		rep := run(t, audit.Config{}, kubeadmConfig(c.version))
		if rep.Release != c.want || (count(rep, "KL615") == 0) == !c.known {
			t.Errorf("kubernetesVersion %s: linted for %s with %d KL615, want %s and KL615 %v", c.version, rep.Release, count(rep, "KL615"), c.want, !c.known)
		}
	}
}

// TestFindingsAreCapped keeps one mistake on thousands of nodes to a hundred findings and a
// count, as the file rules do.
func TestFindingsAreCapped(t *testing.T) {
	var objects []runtime.Object
	for i := range 250 {
		objects = append(objects, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("n%03d", i)},
			Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.2.15"}},
				Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}})
	}
	rep := run(t, audit.Config{}, append(objects, kubeadmConfig("v1.37.0"))...)
	for _, rule := range []string{"KL606", "KL607"} {
		if n := count(rep, rule); n != lint.MaxFindingsPerRule+1 {
			t.Errorf("%s: %d findings, want %d and the count", rule, n, lint.MaxFindingsPerRule)
		}
	}
	var summary bool
	for _, f := range rep.Findings {
		summary = summary || f.Rule == "KL607" && strings.HasPrefix(f.Message, "150 more")
	}
	if !summary {
		t.Error("no finding counts the KL607 findings left out")
	}
}

// TestSettings applies the settings file's severities and disabled rules to cluster rules.
func TestSettings(t *testing.T) {
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n"}, Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.2.15"}}}}
	rep := run(t, audit.Config{Policy: lint.Policy{Disabled: map[string]bool{"KL609": true}, Severity: map[string]lint.Severity{"KL607": lint.SeverityError}}}, node, kubeadmConfig("v1.37.0"))
	if count(rep, "KL609") != 0 {
		t.Error("KL609 is disabled but reported")
	}
	for _, f := range rep.Findings {
		if f.Rule == "KL607" && f.Severity != lint.SeverityError {
			t.Errorf("KL607 at %s, want error as the settings say", f.Severity)
		}
	}
}

// TestForbiddenAndFailing: RBAC refusing a list is a finding; a server failing one ends the
// audit with an error, which the CLI turns into exit code 2.
func TestForbiddenAndFailing(t *testing.T) {
	client := fake.NewClientset(kubeadmConfig("v1.37.0"))
	client.PrependReactor("list", "nodes", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "nodes"}, "", fmt.Errorf("no"))
	})
	rep := runWith(t, audit.Config{Client: client})
	if count(rep, "KL601") != 1 || len(rep.Sources) != 1 {
		t.Errorf("want one KL601 and the ConfigMap linted, got %d and %d", count(rep, "KL601"), len(rep.Sources))
	}

	client.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewInternalError(fmt.Errorf("etcd is gone"))
	})
	cfg := audit.Config{Client: client, REST: &rest.Config{Host: "http://127.0.0.1:1"}, Rules: catalog.All(), Linter: func(string) (audit.Linter, error) {
		return lint.New(lint.Config{Rules: catalog.All()})
	}}
	if _, err := audit.Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "etcd is gone") {
		t.Errorf("a failing API server: got %v, want its error", err)
	}
}
