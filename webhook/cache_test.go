package webhook

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"
	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestConfigMapCache checks that a ConfigMap posted again gets, from the cache, the answer it got
// the first time, in both modes.
func TestConfigMapCache(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mode      Mode
		wantValid bool
	}{
		{name: "warn mode repeats the warnings", mode: ModeWarn, wantValid: true},
		{name: "enforce mode repeats the denial", mode: ModeEnforce, wantValid: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			linter, err := lint.New(lint.Config{Rules: catalog.All()})
			if err != nil {
				t.Fatal(err)
			}
			v := configMapValidator{linter: linter, linting: linting{mode: tc.mode, cache: newFindingsCache(findingsCacheSize)}}
			ar, _ := fixture(t, "kubeadm-config-overlap.json")
			obj := &unstructured.Unstructured{}
			if err := obj.UnmarshalJSON(ar.Request.Object.Raw); err != nil {
				t.Fatal(err)
			}
			mar := model.NewAdmissionReviewV1(ar)
			var results []*validating.ValidatorResult
			for range 2 {
				r, err := v.Validate(context.Background(), &mar, obj)
				if err != nil {
					t.Fatal(err)
				}
				results = append(results, r)
			}
			if n := len(v.cache.entries); n != 1 {
				t.Errorf("the cache holds %d entries after two reviews of one ConfigMap, want 1", n)
			}
			if diff := cmp.Diff(results[0], results[1]); diff != "" {
				t.Errorf("second review differs (-first +second):\n%s", diff)
			}
			if len(results[0].Warnings) == 0 || results[0].Valid != tc.wantValid {
				t.Errorf("first review: valid %v with %d warnings, want valid %v with warnings", results[0].Valid, len(results[0].Warnings), tc.wantValid)
			}
		})
	}
}

// TestFindingsCacheBounded checks that the cache never holds more entries than its size, and that
// the newest entry survives eviction.
func TestFindingsCacheBounded(t *testing.T) {
	c := newFindingsCache(4)
	for i := range 20 {
		k := cacheKey("kube-system/kubeadm-config[ClusterConfiguration]", fmt.Sprint(i))
		c.put(k, verdict{denial: fmt.Sprint(i)})
		if n := len(c.entries); n > 4 {
			t.Fatalf("after %d puts the cache holds %d entries, want at most 4", i+1, n)
		}
		if vd, ok := c.get(k); !ok || vd.denial != fmt.Sprint(i) {
			t.Fatalf("entry %d missing right after put", i)
		}
	}
}

// TestManyFindingsStayBounded: a kubeadm-config with thousands of errors gets a few warnings and a
// denial of bounded size in enforce mode, never a response the API server cannot read, which
// would fail open and admit it.
func TestManyFindingsStayBounded(t *testing.T) {
	linter, ar, obj := kubeadmConfigReview(t)
	var sans strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sans, "  - https://bad-%d.example.com:6443\n", i)
	}
	data := "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  certSANs:\n" + sans.String()
	if err := unstructured.SetNestedField(obj.Object, data, "data", "ClusterConfiguration"); err != nil {
		t.Fatal(err)
	}
	mar := model.NewAdmissionReviewV1(ar)
	for _, mode := range []Mode{ModeWarn, ModeEnforce} {
		v := configMapValidator{linter: linter, linting: linting{mode: mode, cache: newFindingsCache(findingsCacheSize)}}
		r, err := v.Validate(context.Background(), &mar, obj)
		if err != nil {
			t.Fatal(err)
		}
		size := 0
		for _, w := range r.Warnings {
			size += len(w)
		}
		if len(r.Warnings) > maxWarnings+1 || size > maxWarningBytes+200 || len(r.Message) > 4096 {
			t.Errorf("%s: %d warnings of %d bytes and a %d-byte message, want at most %d warnings, about %d bytes and 4 KiB",
				mode, len(r.Warnings), size, len(r.Message), maxWarnings+1, maxWarningBytes)
		}
		if !strings.Contains(r.Warnings[len(r.Warnings)-1], "more finding(s)") {
			t.Errorf("%s: the last warning %q does not say how many findings were left out", mode, r.Warnings[len(r.Warnings)-1])
		}
		if wantValid := mode == ModeWarn; r.Valid != wantValid || !wantValid && !strings.Contains(r.Message, "and ") {
			t.Errorf("%s: valid %v, message %q", mode, r.Valid, r.Message)
		}
	}
}

// TestLintBudget: a review whose linting runs over its budget is allowed with a warning that says
// so in warn mode, denied in enforce mode, and not cached.
func TestLintBudget(t *testing.T) {
	linter, ar, obj := kubeadmConfigReview(t)
	mar := model.NewAdmissionReviewV1(ar)
	for _, tt := range []struct {
		mode      Mode
		wantValid bool
	}{
		{mode: ModeWarn, wantValid: true},
		{mode: ModeEnforce, wantValid: false},
	} {
		v := configMapValidator{linter: linter, linting: linting{mode: tt.mode, cache: newFindingsCache(findingsCacheSize), budget: time.Nanosecond}}
		r, err := v.Validate(context.Background(), &mar, obj)
		if err != nil {
			t.Fatal(err)
		}
		said := strings.Join(append(r.Warnings, r.Message), "\n")
		if r.Valid != tt.wantValid || !strings.Contains(said, "not linted within") || len(v.cache.entries) != 0 {
			t.Errorf("%s: valid %v, warnings %q, message %q, %d cached; want valid %v saying it was not linted, nothing cached",
				tt.mode, r.Valid, r.Warnings, r.Message, len(v.cache.entries), tt.wantValid)
		}
	}
}

// TestLintSlots: a review waits for a free lint slot, within its budget; one that cannot get a
// slot in time is denied in enforce mode with the budget's message, and one that gets it is
// judged.
func TestLintSlots(t *testing.T) {
	linter, ar, obj := kubeadmConfigReview(t)
	mar := model.NewAdmissionReviewV1(ar)
	v := configMapValidator{linter: linter, linting: linting{mode: ModeEnforce, cache: newFindingsCache(findingsCacheSize), budget: 200 * time.Millisecond, slots: make(chan struct{}, 1)}}
	v.slots <- struct{}{} // every slot busy
	r, err := v.Validate(context.Background(), &mar, obj)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid || !strings.Contains(r.Message, "not linted within") {
		t.Errorf("with no free slot: valid %v, message %q; want denied with the budget's message", r.Valid, r.Message)
	}
	<-v.slots
	if r, err = v.Validate(context.Background(), &mar, obj); err != nil || r.Valid || !strings.Contains(r.Message, "KL101") {
		t.Errorf("with a free slot: valid %v, err %v, message %q; want the overlap denied", r.Valid, err, r.Message)
	}
	if len(v.slots) != 0 {
		t.Error("the review kept its slot")
	}
}

// TestReviewBudget: the budget never reaches past half the timeout the API server
// names, counted from the review's arrival.
func TestReviewBudget(t *testing.T) {
	at := func(timeout, ago time.Duration) context.Context {
		return context.WithValue(context.Background(), reviewClockKey{}, reviewClock{start: time.Now().Add(-ago), timeout: timeout})
	}
	tests := []struct {
		name string
		ctx  context.Context
		max  time.Duration
	}{
		{name: "no timeout named: the default", ctx: context.Background(), max: lintBudget},
		{name: "timeoutSeconds 1: half a second at most", ctx: at(time.Second, 0), max: 500 * time.Millisecond},
		{name: "timeoutSeconds 5: the default", ctx: at(5*time.Second, 0), max: lintBudget},
		{name: "a review that waited past its share: nothing left", ctx: at(time.Second, time.Second), max: 0},
	}
	for _, tt := range tests {
		if got := reviewBudget(tt.ctx, lintBudget); got > tt.max || got < 0 {
			t.Errorf("%s: budget %v, want between 0 and %v", tt.name, got, tt.max)
		}
	}
}

// kubeadmConfigReview returns a linter with every rule and the review of a kubeadm-config write.
func kubeadmConfigReview(t *testing.T) (*lint.Linter, *admissionv1.AdmissionReview, *unstructured.Unstructured) {
	t.Helper()
	linter, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	ar, _ := fixture(t, "kubeadm-config-overlap.json")
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(ar.Request.Object.Raw); err != nil {
		t.Fatal(err)
	}
	return linter, ar, obj
}

// TestLongMessagesStayBounded: five errors that each quote a 1 MB value make a denial of a few
// kilobytes, not 5 MB, and the warnings show them clipped rather than not at all.
func TestLongMessagesStayBounded(t *testing.T) {
	var fs []lint.Finding
	for i := range 5 {
		fs = append(fs, lint.Finding{Rule: "KL008", Severity: lint.SeverityError, Pos: lint.Position{Line: i + 1},
			Message: fmt.Sprintf("certSANs[%d]: Invalid value: %q", i, strings.Repeat("x", 1<<20))})
	}
	vd := linting{mode: ModeEnforce}.judge("kube-system/kubeadm-config[ClusterConfiguration]", fs, nil)
	size := 0
	for _, w := range vd.warnings {
		size += len(w)
	}
	if len(vd.denial) > 4096 || size > maxWarningBytes || len(vd.warnings) < 5 {
		t.Errorf("a %d-byte denial and %d warnings of %d bytes; want at most 4 KiB, and the 5 errors warned within %d bytes",
			len(vd.denial), len(vd.warnings), size, maxWarningBytes)
	}
}

// TestErrorAnswersAreClipped: an error answer that quotes the request is cut, not echoed whole.
func TestErrorAnswersAreClipped(t *testing.T) {
	h := guardBody(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		http.Error(w, "could not decode: "+string(body), http.StatusBadRequest)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, PathConfigMaps, strings.NewReader(`{"request":{}, "x":"`+strings.Repeat("y", 1<<20)+`"}`)))
	if rec.Code != http.StatusBadRequest || rec.Body.Len() > maxErrorBody {
		t.Errorf("status %d with a %d-byte body, want 400 with at most %d bytes", rec.Code, rec.Body.Len(), maxErrorBody)
	}
}
