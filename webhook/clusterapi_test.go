package webhook

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slok/kubewebhook/v2/pkg/model"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// capiObject reads one of testdata/admission-cluster-api's objects; edit, when set, changes it.
func capiObject(t testing.TB, file string, edit func(u *unstructured.Unstructured)) *unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "admission-cluster-api", file))
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &u.Object); err != nil {
		t.Fatal(err)
	}
	u.SetNamespace("fleet")
	if edit != nil {
		edit(u)
	}
	return u
}

func version(v string) func(*unstructured.Unstructured) {
	return func(u *unstructured.Unstructured) { _ = unstructured.SetNestedField(u.Object, v, "spec", "version") }
}

// capiReview is the review the API server sends for a write of obj; old is the stored object
// of an UPDATE, nil for a CREATE.
func capiReview(t testing.TB, obj, old *unstructured.Unstructured, dryRun bool) *admissionv1.AdmissionReview {
	t.Helper()
	raw, err := json.Marshal(obj.Object)
	if err != nil {
		t.Fatal(err)
	}
	gvk := obj.GroupVersionKind()
	req := &admissionv1.AdmissionRequest{
		UID: "1", Name: obj.GetName(), Namespace: obj.GetNamespace(), Operation: admissionv1.Create,
		Kind:   metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		Object: runtime.RawExtension{Raw: raw}, DryRun: &dryRun,
	}
	if old != nil {
		req.Operation = admissionv1.Update
		if req.OldObject.Raw, err = json.Marshal(old.Object); err != nil {
			t.Fatal(err)
		}
	}
	return &admissionv1.AdmissionReview{TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"}, Request: req}
}

// removedFlag is what KL208 says of kcp.yaml's controller-manager flag at v1.37.
const removedFlag = "KL208: --concurrent-service-syncs was removed in kube-controller-manager v1.37"

func TestClusterAPI(t *testing.T) {
	enforce := func(c *Config) { c.ClusterAPI.Mode = ModeEnforce }
	kcp136 := capiObject(t, "kcp.yaml", nil)
	kcp137 := capiObject(t, "kcp.yaml", version("v1.37.2"))
	scaled137 := capiObject(t, "kcp.yaml", func(u *unstructured.Unstructured) {
		version("v1.37.2")(u)
		_ = unstructured.SetNestedField(u.Object, int64(5), "spec", "replicas")
	})
	finalized137 := capiObject(t, "kcp.yaml", func(u *unstructured.Unstructured) {
		version("v1.37.2")(u)
		u.SetFinalizers([]string{"kubeadm.controlplane.cluster.x-k8s.io"})
	})
	tests := []struct {
		name        string
		obj, old    *unstructured.Unstructured
		dryRun      bool
		config      func(*Config)
		wantAllowed bool
		wantWarning string // a substring of the first warning; "" for none
		wantMessage string
	}{
		{name: "a KubeadmControlPlane valid at its version is allowed without warnings", obj: kcp136, wantAllowed: true},
		{name: "a removed flag at the object's version is a warning", obj: kcp137, wantAllowed: true, wantWarning: removedFlag},
		{name: "a removed flag is denied in enforce mode", obj: kcp137, config: enforce,
			wantWarning: removedFlag, wantMessage: "KubeadmControlPlane fleet/cp has 1 error(s): " + removedFlag},
		{name: "a v1beta1 KubeadmControlPlane is linted as v1beta1", obj: capiObject(t, "kcp-v1beta1.yaml", version("v1.37.0")), config: enforce,
			wantWarning: removedFlag, wantMessage: removedFlag},
		{name: "an UPDATE that bumps spec.version past a flag's release is denied in enforce mode", obj: kcp137, old: kcp136, config: enforce,
			wantWarning: removedFlag, wantMessage: removedFlag},
		{name: "a dry run gets the same answer", obj: kcp137, old: kcp136, dryRun: true, config: enforce,
			wantWarning: removedFlag, wantMessage: removedFlag},
		{name: "an UPDATE that brings no error in is allowed in enforce mode, warning of the stored one", obj: scaled137, old: kcp137, config: enforce,
			wantAllowed: true, wantWarning: removedFlag},
		{name: "an UPDATE that leaves spec alone is not linted", obj: finalized137, old: kcp137, config: enforce, wantAllowed: true},
		{name: "a KubeadmControlPlaneTemplate is linted for the configured release", obj: capiObject(t, "kcp-template.yaml", nil),
			wantAllowed: true, wantWarning: removedFlag},
		{name: "a KubeadmConfigTemplate is linted for the configured release", obj: capiObject(t, "kubeadmconfigtemplate.yaml", nil),
			wantAllowed: true, wantWarning: "KL208: --containerd was removed in kubelet v1.37"},
		{name: "a template is linted for the configured release: at v1.36 its flag is only deprecated", obj: capiObject(t, "kubeadmconfigtemplate.yaml", nil),
			config: func(c *Config) { c.ClusterAPI.Mode, c.ClusterAPI.KubernetesVersion = ModeEnforce, "v1.36" }, wantAllowed: true,
			wantWarning: "KL209: --containerd is deprecated in kubelet v1.36"},
		{name: "a warning names the field of the object, not of the kubeadm configuration", obj: capiObject(t, "kubeadmconfigtemplate.yaml", nil),
			wantAllowed: true, wantWarning: "(at spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs[0].name)"},
		{name: "a finding inside a file's content names the content's field", obj: capiObject(t, "kcp-files.yaml", nil),
			wantAllowed: true, wantWarning: "(at spec.kubeadmConfigSpec.files[0].content)"},
		{name: "a rule turned off is not reported", obj: kcp137, config: func(c *Config) {
			c.ClusterAPI.Mode, c.ClusterAPI.Rules = ModeEnforce, map[string]string{"KL208": "off"}
		}, wantAllowed: true},
		{name: "a rule lowered to a warning does not deny", obj: kcp137, config: func(c *Config) {
			c.ClusterAPI.Mode, c.ClusterAPI.Rules = ModeEnforce, map[string]string{"KL208": "warning"}
		}, wantAllowed: true, wantWarning: removedFlag},
		{name: "the ConfigMaps' settings do not apply", obj: kcp137, config: func(c *Config) {
			c.ClusterAPI.Mode, c.ConfigMaps.Rules = ModeEnforce, map[string]string{"KL208": "off"}
		}, wantWarning: removedFlag, wantMessage: removedFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWebhook(t, tt.config)
			ar := capiReview(t, tt.obj, tt.old, tt.dryRun)
			resp, err := w.ClusterAPI.Review(context.Background(), model.NewAdmissionReviewV1(ar))
			if err != nil {
				t.Fatal(err)
			}
			v := resp.(*model.ValidatingAdmissionResponse)
			if v.Allowed != tt.wantAllowed {
				t.Errorf("allowed = %v, want %v (message %q, warnings %q)", v.Allowed, tt.wantAllowed, v.Message, v.Warnings)
			}
			if tt.wantWarning == "" && len(v.Warnings) > 0 || tt.wantWarning != "" && (len(v.Warnings) == 0 || !strings.Contains(v.Warnings[0], tt.wantWarning)) {
				t.Errorf("warnings %q, want the first to contain %q", v.Warnings, tt.wantWarning)
			}
			if !strings.Contains(v.Message, tt.wantMessage) {
				t.Errorf("message %q, want it to contain %q", v.Message, tt.wantMessage)
			}
		})
	}
}

// TestClusterAPIScope: only writes of the three kinds are linted, never another kind, a
// KubeadmConfig (one per Machine, mid-rollout), a DELETE or a CONNECT.
func TestClusterAPIScope(t *testing.T) {
	w := newTestWebhook(t, func(c *Config) { c.ClusterAPI.Mode = ModeEnforce })
	kcp := capiObject(t, "kcp.yaml", version("v1.37.2"))
	asKind := func(apiVersion, kind string) *unstructured.Unstructured {
		u := kcp.DeepCopy()
		u.SetAPIVersion(apiVersion)
		u.SetKind(kind)
		return u
	}
	for _, tc := range []struct {
		name string
		obj  *unstructured.Unstructured
		op   admissionv1.Operation
	}{
		{"a KubeadmConfig", asKind("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfig"), admissionv1.Create},
		{"a KubeadmControlPlane of another group", asKind("example.com/v1beta2", "KubeadmControlPlane"), admissionv1.Create},
		{"a ConfigMap", asKind("v1", "ConfigMap"), admissionv1.Create},
		{"a DELETE", kcp, admissionv1.Delete},
		{"a CONNECT", kcp, admissionv1.Connect},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ar := capiReview(t, tc.obj, nil, false)
			ar.Request.Operation = tc.op
			if tc.op == admissionv1.Delete {
				ar.Request.OldObject = ar.Request.Object
			}
			resp, err := w.ClusterAPI.Review(context.Background(), model.NewAdmissionReviewV1(ar))
			if err != nil {
				t.Fatal(err)
			}
			if v := resp.(*model.ValidatingAdmissionResponse); !v.Allowed || len(v.Warnings) > 0 {
				t.Errorf("allowed %v, warnings %q: want it left alone", v.Allowed, v.Warnings)
			}
		})
	}
}

// TestClusterAPICache: the objects Cluster API's controllers write again and again differ only
// in what the linter does not read (resourceVersion, managedFields, status), so they share one
// verdict; and a review over its budget is denied in enforce mode and not cached.
func TestClusterAPICache(t *testing.T) {
	lint, err := newObjectLinter(DefaultConfig().ClusterAPI)
	if err != nil {
		t.Fatal(err)
	}
	kcp := capiObject(t, "kcp.yaml", version("v1.37.2"))
	again := kcp.DeepCopy()
	again.SetResourceVersion("42")
	_ = unstructured.SetNestedField(again.Object, "Ready", "status", "phase")
	validator := clusterAPIValidator{lint: lint, linting: linting{mode: ModeEnforce, cache: newFindingsCache(findingsCacheSize), byPath: true}}
	for i, obj := range []*unstructured.Unstructured{kcp, again} {
		ar := model.NewAdmissionReviewV1(capiReview(t, obj, nil, false))
		r, err := validator.Validate(context.Background(), &ar, obj)
		if err != nil {
			t.Fatal(err)
		}
		if r.Valid || !strings.Contains(r.Message, removedFlag) {
			t.Errorf("review %d: valid %v, message %q; want a denial quoting %q", i, r.Valid, r.Message, removedFlag)
		}
	}
	if n := len(validator.cache.entries); n != 1 {
		t.Errorf("the cache holds %d verdicts after two writes of one spec, want 1", n)
	}

	late := validator
	late.cache, late.budget = newFindingsCache(findingsCacheSize), time.Nanosecond
	ar := model.NewAdmissionReviewV1(capiReview(t, kcp, nil, false))
	r, err := late.Validate(context.Background(), &ar, kcp)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || !strings.Contains(r.Message, "not linted within") || len(late.cache.entries) != 0 {
		t.Errorf("over budget: valid %v, message %q, %d cached; want a denial saying so, nothing cached", r.Valid, r.Message, len(late.cache.entries))
	}
}
