package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	admissionv1 "k8s.io/api/admission/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/slok/kubewebhook/v2/pkg/model"
	kwhwebhook "github.com/slok/kubewebhook/v2/pkg/webhook"

	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

var testLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture reads one of testdata/admission's reviews, which hack/admission-fixtures writes from
// kubeadm's own phase code.
func fixture(t *testing.T, name string) (*admissionv1.AdmissionReview, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "admission", name))
	if err != nil {
		t.Fatal(err)
	}
	var ar admissionv1.AdmissionReview
	if err := json.Unmarshal(data, &ar); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &ar, data
}

func newTestWebhook(t testing.TB, edit func(*Config)) *Webhook {
	t.Helper()
	cfg := DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	w, err := New(cfg, testLogger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// review runs one fixture through wh and returns the patched object (the original when there is
// no patch) and the response.
func review(t *testing.T, wh kwhwebhook.Webhook, name string) ([]byte, model.AdmissionResponse) {
	t.Helper()
	ar, _ := fixture(t, name)
	resp, err := wh.Review(context.Background(), model.NewAdmissionReviewV1(ar))
	if err != nil {
		t.Fatalf("Review: %v", err)
	}
	obj := ar.Request.Object.Raw
	if m, ok := resp.(*model.MutatingAdmissionResponse); ok && len(m.JSONPatchPatch) > 2 {
		patch, err := jsonpatch.DecodePatch(m.JSONPatchPatch)
		if err != nil {
			t.Fatalf("decoding patch %s: %v", m.JSONPatchPatch, err)
		}
		if obj, err = patch.Apply(obj); err != nil {
			t.Fatalf("applying patch %s: %v", m.JSONPatchPatch, err)
		}
	}
	return obj, resp
}

func tolerationsOf(t *testing.T, obj []byte) []corev1.Toleration {
	t.Helper()
	var ds appsv1.DaemonSet
	if err := json.Unmarshal(obj, &ds); err != nil {
		t.Fatal(err)
	}
	return ds.Spec.Template.Spec.Tolerations
}

func TestKubeProxy(t *testing.T) {
	uninitialized := corev1.Toleration{Key: kubeadm.TaintUninitialized, Value: "true", Effect: corev1.TaintEffectNoSchedule}
	custom := []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "network", Effect: corev1.TaintEffectNoExecute}}
	tests := []struct {
		name        string
		fixture     string
		config      func(*Config)
		want        []corev1.Toleration // nil: the object must pass untouched
		wantWarning string
	}{
		{name: "kubeadm's DaemonSet gets the guide's tolerations", fixture: "kube-proxy-create.json",
			want: kubeadm.DefaultTolerations(), wantWarning: "changed from [<all>] to [CriticalAddonsOnly exists, node-role.kubernetes.io/control-plane:NoSchedule]"},
		{name: "an upgrade that restores kubeadm's tolerations is fixed again", fixture: "kube-proxy-upgrade.json",
			want: kubeadm.DefaultTolerations(), wantWarning: "kubernetes/kubeadm#1027"},
		{name: "a dry run gets the same answer", fixture: "kube-proxy-dry-run.json",
			want: kubeadm.DefaultTolerations(), wantWarning: "changed from"},
		{name: "a DaemonSet that complies, in another order, gets no patch", fixture: "kube-proxy-compliant.json"},
		{name: "another DaemonSet in kube-system passes untouched", fixture: "daemonset-other-name.json"},
		{name: "a kube-proxy outside kube-system passes untouched", fixture: "kube-proxy-other-namespace.json"},
		{name: "keepUninitialized adds the cloud-provider toleration", fixture: "kube-proxy-create.json",
			config: func(c *Config) { c.KubeProxy.KeepUninitialized = true },
			want:   append(kubeadm.DefaultTolerations(), uninitialized), wantWarning: "node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule"},
		{name: "a configured list replaces the default", fixture: "kube-proxy-compliant.json",
			config: func(c *Config) { c.KubeProxy.Tolerations = custom },
			want:   custom, wantWarning: "to [dedicated=network:NoExecute]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWebhook(t, tt.config)
			obj, resp := review(t, w.KubeProxy, tt.fixture)
			m := resp.(*model.MutatingAdmissionResponse)
			if tt.want == nil {
				if len(m.JSONPatchPatch) > 2 || len(m.Warnings) > 0 {
					t.Fatalf("want no patch and no warning, got patch %s, warnings %q", m.JSONPatchPatch, m.Warnings)
				}
				return
			}
			if got := tolerationsOf(t, obj); !equality.Semantic.DeepEqual(got, tt.want) {
				t.Errorf("tolerations after the patch:\n got %+v\nwant %+v", got, tt.want)
			}
			if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], tt.wantWarning) {
				t.Errorf("warnings %q, want one containing %q", m.Warnings, tt.wantWarning)
			}
		})
	}
}

func TestCoreDNS(t *testing.T) {
	t.Run("without the option CoreDNS is never touched", func(t *testing.T) {
		_, resp := review(t, newTestWebhook(t, nil).CoreDNS, "coredns-create.json")
		if m := resp.(*model.MutatingAdmissionResponse); len(m.JSONPatchPatch) > 2 || len(m.Warnings) > 0 {
			t.Fatalf("got patch %s, warnings %q", m.JSONPatchPatch, m.Warnings)
		}
	})
	t.Run("with the option only allowPrivilegeEscalation changes, with a warning", func(t *testing.T) {
		w := newTestWebhook(t, func(c *Config) { c.CoreDNS.AllowPrivilegeEscalation = true })
		obj, resp := review(t, w.CoreDNS, "coredns-create.json")
		m := resp.(*model.MutatingAdmissionResponse)
		if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "weakens") {
			t.Errorf("warnings %q, want one that says it weakens security", m.Warnings)
		}
		var got, orig appsv1.Deployment
		ar, _ := fixture(t, "coredns-create.json")
		if err := json.Unmarshal(obj, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(ar.Request.Object.Raw, &orig); err != nil {
			t.Fatal(err)
		}
		sc := got.Spec.Template.Spec.Containers[0].SecurityContext
		if sc == nil || sc.AllowPrivilegeEscalation == nil || !*sc.AllowPrivilegeEscalation {
			t.Fatalf("allowPrivilegeEscalation not set: %+v", sc)
		}
		*sc.AllowPrivilegeEscalation = false
		if !equality.Semantic.DeepEqual(got, orig) {
			t.Errorf("the patch changed more than allowPrivilegeEscalation: %s", cmp.Diff(orig, got))
		}
		// The fixed object is left alone on the next write.
		second := newTestWebhook(t, func(c *Config) { c.CoreDNS.AllowPrivilegeEscalation = true })
		*sc.AllowPrivilegeEscalation = true
		again, _ := json.Marshal(got)
		ar.Request.Object.Raw = again
		resp2, err := second.CoreDNS.Review(context.Background(), model.NewAdmissionReviewV1(ar))
		if err != nil {
			t.Fatal(err)
		}
		if m := resp2.(*model.MutatingAdmissionResponse); len(m.JSONPatchPatch) > 2 {
			t.Errorf("a fixed CoreDNS got patch %s", m.JSONPatchPatch)
		}
	})
}

func TestConfigMaps(t *testing.T) {
	enforce := func(c *Config) { c.ConfigMaps.Mode = ModeEnforce }
	tests := []struct {
		name         string
		fixture      string
		config       func(*Config)
		wantAllowed  bool
		wantWarnings []string // substrings, one per warning, in order
		wantMessage  string
	}{
		{name: "kubeadm-config as kubeadm uploads it is clean", fixture: "kubeadm-config-create.json", wantAllowed: true},
		{name: "kube-proxy config.conf as kubeadm uploads it is clean", fixture: "kube-proxy-configmap-create.json", wantAllowed: true},
		{name: "kubelet-config findings come back as warnings", fixture: "kubelet-config-create.json", wantAllowed: true,
			wantWarnings: []string{"KL305: serverTLSBootstrap is off"}},
		{name: "an overlapping podSubnet is a warning in warn mode", fixture: "kubeadm-config-overlap.json", wantAllowed: true,
			wantWarnings: []string{"KL101: podSubnet 10.96.0.0/16 overlaps serviceSubnet 10.96.0.0/12 (line 19)"}},
		{name: "an overlapping podSubnet is denied in enforce mode", fixture: "kubeadm-config-overlap.json", config: enforce,
			wantWarnings: []string{"KL101: podSubnet"}, wantMessage: "kube-system/kubeadm-config[ClusterConfiguration] has 1 error(s): KL101: podSubnet 10.96.0.0/16 overlaps"},
		{name: "unparsable YAML is a finding, not a failure", fixture: "kubeadm-config-unparsable.json", wantAllowed: true,
			wantWarnings: []string{"KL001: "}},
		{name: "unparsable YAML is denied in enforce mode", fixture: "kubeadm-config-unparsable.json", config: enforce,
			wantWarnings: []string{"KL001: "}, wantMessage: "KL001"},
		{name: "a clean config is allowed in enforce mode", fixture: "kubeadm-config-create.json", config: enforce, wantAllowed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp := review(t, newTestWebhook(t, tt.config).ConfigMaps, tt.fixture)
			v := resp.(*model.ValidatingAdmissionResponse)
			if v.Allowed != tt.wantAllowed {
				t.Errorf("allowed = %v, want %v (message %q)", v.Allowed, tt.wantAllowed, v.Message)
			}
			if len(v.Warnings) != len(tt.wantWarnings) {
				t.Fatalf("warnings %q, want %d", v.Warnings, len(tt.wantWarnings))
			}
			for i, w := range tt.wantWarnings {
				if !strings.Contains(v.Warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, v.Warnings[i], w)
				}
			}
			if !strings.Contains(v.Message, tt.wantMessage) {
				t.Errorf("message %q, want it to contain %q", v.Message, tt.wantMessage)
			}
		})
	}
}

// TestScope sends every fixture to every review: a mutator may change only its own object.
func TestScope(t *testing.T) {
	w := newTestWebhook(t, func(c *Config) { c.CoreDNS.AllowPrivilegeEscalation = true })
	entries, err := os.ReadDir(filepath.Join("..", "testdata", "admission"))
	if err != nil {
		t.Fatal(err)
	}
	owns := map[string][]string{
		"kube-proxy": {"kube-proxy-create.json", "kube-proxy-upgrade.json", "kube-proxy-dry-run.json"},
		"coredns":    {"coredns-create.json"},
	}
	for id, wh := range map[string]kwhwebhook.Webhook{"kube-proxy": w.KubeProxy, "coredns": w.CoreDNS} {
		for _, e := range entries {
			_, resp := review(t, wh, e.Name())
			mutated := len(resp.(*model.MutatingAdmissionResponse).JSONPatchPatch) > 2
			if want := slices.Contains(owns[id], e.Name()); mutated != want {
				t.Errorf("%s on %s: mutated = %v, want %v", id, e.Name(), mutated, want)
			}
		}
	}
}

// TestKubeProxyPatch applies the review's own patch to DaemonSets that lack the tolerations at
// each level: the patch adds what is missing, where kubewebhook's diff used to.
func TestKubeProxyPatch(t *testing.T) {
	w := newTestWebhook(t, nil)
	for _, body := range []string{
		`{"spec":{"template":{"spec":{"tolerations":[{"operator":"Exists"}],"containers":[]}}}}`,
		`{"spec":{"template":{"spec":{"tolerations":null}}}}`,
		`{"spec":{"template":{"spec":{"containers":[]}}}}`,
		`{"spec":{"template":{"metadata":{}}}}`,
		`{"spec":{"selector":{}}}`,
		`{}`,
	} {
		t.Run(body, func(t *testing.T) {
			var obj map[string]any
			if err := json.Unmarshal([]byte(body), &obj); err != nil {
				t.Fatal(err)
			}
			obj["apiVersion"], obj["kind"] = "apps/v1", "DaemonSet"
			obj["metadata"] = map[string]any{"name": kubeadm.KubeProxyName, "namespace": kubeSystem}
			raw, err := json.Marshal(obj)
			if err != nil {
				t.Fatal(err)
			}
			req := &admissionv1.AdmissionRequest{UID: "1", Operation: admissionv1.Create, Object: runtime.RawExtension{Raw: raw}}
			resp, err := w.KubeProxy.Review(context.Background(), model.NewAdmissionReviewV1(&admissionv1.AdmissionReview{Request: req}))
			if err != nil {
				t.Fatal(err)
			}
			m := resp.(*model.MutatingAdmissionResponse)
			patch, err := jsonpatch.DecodePatch(m.JSONPatchPatch)
			if err != nil {
				t.Fatalf("decoding patch %s: %v", m.JSONPatchPatch, err)
			}
			patched, err := patch.Apply(raw)
			if err != nil {
				t.Fatalf("applying patch %s: %v", m.JSONPatchPatch, err)
			}
			if got := tolerationsOf(t, patched); !equality.Semantic.DeepEqual(got, kubeadm.DefaultTolerations()) {
				t.Errorf("tolerations after the patch %s:\n got %+v\nwant %+v", m.JSONPatchPatch, got, kubeadm.DefaultTolerations())
			}
		})
	}
}
