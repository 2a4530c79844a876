package webhook

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	admissionv1 "k8s.io/api/admission/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

var reviewPaths = []string{PathKubeProxy, PathCoreDNS, PathConfigMaps, PathClusterAPI}

// ownedPaths are the JSON pointers each mutator may patch.
var ownedPaths = map[string]string{
	PathKubeProxy: "/spec/template/spec/tolerations",
	PathCoreDNS:   "/spec/template/spec/containers",
}

// FuzzReview posts arbitrary bodies to each review. The handler must never panic, and must
// answer either 4xx or 200 with a review that answers the request, allows whatever a mutator
// sees, and carries only a patch that applies and stays inside the mutator's own field. A 5xx
// is a failure: kubewebhook answers 500 when a review errs, and no input should make one err.
func FuzzReview(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("..", "testdata", "admission"))
	if err != nil {
		f.Fatal(err)
	}
	var seeds [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "admission", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	// The Cluster API objects, as the API server sends a version bump of each.
	for _, file := range []string{"kcp.yaml", "kcp-v1beta1.yaml", "kcp-template.yaml", "kubeadmconfigtemplate.yaml"} {
		data, err := json.Marshal(capiReview(f, capiObject(f, file, version("v1.37.2")), capiObject(f, file, nil), false))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	for _, data := range seeds {
		for i := range reviewPaths {
			f.Add(uint8(i), data)
		}
		for _, m := range malformedReviews(f, data) {
			for i := range reviewPaths {
				f.Add(uint8(i), m.body)
			}
		}
	}
	w := newTestWebhook(f, func(c *Config) {
		c.CoreDNS.AllowPrivilegeEscalation = true
		c.ConfigMaps.Mode = ModeEnforce
		c.ClusterAPI.Mode = ModeEnforce
	})
	h := w.Handler()
	f.Fuzz(func(t *testing.T, path uint8, body []byte) {
		p := reviewPaths[int(path)%len(reviewPaths)]
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, p, bytes.NewReader(body)))
		checkAnswer(t, p, body, rec.Code, rec.Body.Bytes())
	})
}

// checkAnswer fails unless status and response are one of the answers FuzzReview allows.
func checkAnswer(t *testing.T, path string, body []byte, code int, resp []byte) {
	t.Helper()
	switch {
	case code >= 400 && code < 500:
		return
	case code != http.StatusOK:
		t.Fatalf("%s answered %d %s to %s", path, code, resp, truncate(body))
	}
	var req struct {
		APIVersion string `json:"apiVersion"`
		Request    struct {
			UID       string          `json:"uid"`
			Operation string          `json:"operation"`
			Object    json.RawMessage `json:"object"`
			OldObject json.RawMessage `json:"oldObject"`
		} `json:"request"`
	}
	// kubewebhook reads YAML too, converted to JSON as the API machinery does.
	err := kjson.UnmarshalCaseSensitivePreserveInts(body, &req)
	if err != nil {
		if j, yerr := yaml.YAMLToJSON(body); yerr == nil {
			err = kjson.UnmarshalCaseSensitivePreserveInts(j, &req)
		}
	}
	if err != nil {
		t.Fatalf("%s answered 200 to a body that is not a review (%v): %s", path, err, truncate(body))
	}
	var out admissionv1.AdmissionReview
	if err := json.Unmarshal(resp, &out); err != nil {
		t.Fatalf("%s answered 200 with %s: %v", path, resp, err)
	}
	r := out.Response
	switch {
	// kubewebhook reads apiVersion case-insensitively (ApiVersion counts), so only a version
	// spelled exactly must be answered in kind.
	case out.Kind != "AdmissionReview" || req.APIVersion != "" && out.APIVersion != req.APIVersion ||
		out.APIVersion != "admission.k8s.io/v1" && out.APIVersion != "admission.k8s.io/v1beta1":
		t.Fatalf("%s answered a %s review with %s %s", path, req.APIVersion, out.APIVersion, out.Kind)
	case r == nil || string(r.UID) != req.Request.UID:
		t.Fatalf("%s answered uid %q with %s", path, req.Request.UID, resp)
	case !r.Allowed && path != PathConfigMaps && path != PathClusterAPI:
		t.Fatalf("mutating review %s denied: %s", path, resp)
	}
	if len(r.Patch) <= 2 {
		return
	}
	owned, ok := ownedPaths[path]
	if !ok {
		t.Fatalf("%s returned a patch %s", path, r.Patch)
	}
	var ops []struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal(r.Patch, &ops); err != nil {
		t.Fatalf("%s returned a patch that is not JSON patch: %s", path, r.Patch)
	}
	for _, op := range ops {
		// Adding a missing parent creates the owned field inside it.
		if !strings.HasPrefix(op.Path, owned) && !strings.HasPrefix(owned, op.Path+"/") {
			t.Errorf("%s patched %s, outside %s: %s", path, op.Path, owned, r.Patch)
		}
	}
	obj := req.Request.Object
	if req.Request.Operation == "DELETE" {
		obj = req.Request.OldObject
	}
	patch, err := jsonpatch.DecodePatch(r.Patch)
	if err == nil {
		_, err = patch.Apply(obj)
	}
	if err != nil {
		t.Errorf("%s returned a patch that does not apply: %v: %s", path, err, r.Patch)
	}
}

// malformedReview is a review broken in one way, built from a good one, with the answer the
// kube-proxy review gives it when built from kube-proxy-create.json.
type malformedReview struct {
	name        string
	body        []byte
	wantCode    int
	wantPatch   bool
	wantWarning string // substring of the one warning; "" for none
}

// malformedReviews breaks a review each way the tests know of: truncated, the wrong version or
// kind, no request, an object of the wrong shape, YAML for JSON.
func malformedReviews(tb testing.TB, review []byte) []malformedReview {
	tb.Helper()
	edit := func(m malformedReview, change func(ar map[string]any, req map[string]any)) malformedReview {
		var ar map[string]any
		if err := json.Unmarshal(review, &ar); err != nil {
			tb.Fatal(err)
		}
		req, _ := ar["request"].(map[string]any)
		change(ar, req)
		out, err := json.Marshal(ar)
		if err != nil {
			tb.Fatal(err)
		}
		m.body = out
		return m
	}
	object := func(req map[string]any) map[string]any {
		o, _ := req["object"].(map[string]any)
		return o
	}
	podSpec := func(req map[string]any, spec any) {
		object(req)["spec"] = map[string]any{"template": map[string]any{"spec": spec}}
	}
	const (
		notObject = "not reviewed, the object is not a Kubernetes object"
		unchanged = "kube-proxy tolerations left unchanged"
		changed   = "kube-proxy tolerations changed"
	)
	return []malformedReview{
		{name: "truncated JSON", body: review[:len(review)/2], wantCode: 400},
		{name: "an empty body", body: nil, wantCode: 400},
		{name: "YAML without a request", body: []byte("apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\n"), wantCode: 400},
		{name: "YAML, which kubewebhook reads, without an object", body: []byte("apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\nrequest:\n  uid: x\n"),
			wantCode: 200, wantWarning: notObject},
		edit(malformedReview{name: "admission.k8s.io/v2", wantCode: 400}, func(ar, _ map[string]any) { ar["apiVersion"] = "admission.k8s.io/v2" }),
		// v1beta1 responses have no warnings.
		edit(malformedReview{name: "the v1beta1 review API, which is still served", wantCode: 200, wantPatch: true},
			func(ar, _ map[string]any) { ar["apiVersion"] = "admission.k8s.io/v1beta1" }),
		edit(malformedReview{name: "apiVersion spelled ApiVersion", wantCode: 200, wantPatch: true, wantWarning: changed},
			func(ar, _ map[string]any) { ar["ApiVersion"] = ar["apiVersion"]; delete(ar, "apiVersion") }),
		edit(malformedReview{name: "a ConfigMap rather than an AdmissionReview", wantCode: 400}, func(ar, _ map[string]any) { ar["apiVersion"], ar["kind"] = "v1", "ConfigMap" }),
		edit(malformedReview{name: "no request", wantCode: 400}, func(ar, _ map[string]any) { delete(ar, "request") }),
		edit(malformedReview{name: "a null request", wantCode: 400}, func(ar, _ map[string]any) { ar["request"] = nil }),
		edit(malformedReview{name: "a request that is a string", wantCode: 400}, func(ar, _ map[string]any) { ar["request"] = "x" }),
		edit(malformedReview{name: "a request field spelled in capitals", wantCode: 400}, func(ar, req map[string]any) { delete(ar, "request"); ar["Request"] = req }),
		edit(malformedReview{name: "no object", wantCode: 200, wantWarning: notObject}, func(_, req map[string]any) { delete(req, "object") }),
		edit(malformedReview{name: "an object that is a string", wantCode: 200, wantWarning: notObject}, func(_, req map[string]any) { req["object"] = "x" }),
		edit(malformedReview{name: "an object that is a list", wantCode: 200, wantWarning: notObject}, func(_, req map[string]any) { req["object"] = []any{1} }),
		edit(malformedReview{name: "an object without a kind", wantCode: 200, wantWarning: notObject}, func(_, req map[string]any) { delete(object(req), "kind") }),
		edit(malformedReview{name: "a delete without the old object", wantCode: 200, wantWarning: notObject},
			func(_, req map[string]any) { req["operation"] = "DELETE"; req["oldObject"] = nil }),
		edit(malformedReview{name: "a DaemonSet review whose object is a ConfigMap", wantCode: 200}, func(_, req map[string]any) {
			req["object"] = map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "kube-proxy", "namespace": "kube-system"}}
		}),
		edit(malformedReview{name: "a spec that is a string", wantCode: 200, wantWarning: unchanged}, func(_, req map[string]any) { object(req)["spec"] = "x" }),
		edit(malformedReview{name: "a null pod template spec", wantCode: 200, wantWarning: unchanged}, func(_, req map[string]any) { podSpec(req, nil) }),
		edit(malformedReview{name: "tolerations and containers that are strings", wantCode: 200, wantWarning: unchanged}, func(_, req map[string]any) {
			podSpec(req, map[string]any{"tolerations": "x", "containers": "x"})
		}),
		edit(malformedReview{name: "tolerations and containers that hold numbers", wantCode: 200, wantWarning: unchanged}, func(_, req map[string]any) {
			podSpec(req, map[string]any{"tolerations": []any{1}, "containers": []any{1}})
		}),
		edit(malformedReview{name: "a toleration whose seconds are a string", wantCode: 200, wantWarning: unchanged}, func(_, req map[string]any) {
			podSpec(req, map[string]any{"tolerations": []any{map[string]any{"tolerationSeconds": "x"}}})
		}),
		edit(malformedReview{name: "ConfigMap data that is not a map, on a DaemonSet", wantCode: 200, wantPatch: true, wantWarning: changed},
			func(_, req map[string]any) { object(req)["data"] = []any{"x"} }),
		edit(malformedReview{name: "metadata that is a string", wantCode: 200, wantPatch: true, wantWarning: changed},
			func(_, req map[string]any) { object(req)["metadata"] = "x" }),
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}
