package webhook

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// configMapKeys maps each kube-system ConfigMap kubeadm writes to the key holding its config.
var configMapKeys = map[string]string{
	"kubeadm-config": "ClusterConfiguration",
	"kubelet-config": "kubelet",
	"kube-proxy":     "config.conf",
}

// configMapValidator lints the configs kubeadm stores in the cluster with the CLI's core.
type configMapValidator struct {
	linter *lint.Linter
	mode   Mode
	cache  *findingsCache
}

func (v configMapValidator) Validate(ctx context.Context, ar *model.AdmissionReview, obj metav1.Object) (*validating.ValidatorResult, error) {
	allow := &validating.ValidatorResult{Valid: true}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok || !isWrite(ar) || namespace(ar, obj) != kubeSystem || u.GroupVersionKind().GroupKind().String() != "ConfigMap" {
		return allow, nil
	}
	key, ok := configMapKeys[name(ar, obj)]
	if !ok {
		return allow, nil
	}
	data, found, err := unstructured.NestedString(u.Object, "data", key)
	if err != nil || !found {
		// kubeadm itself will complain about a missing key; this webhook only lints content.
		return allow, nil
	}
	source := fmt.Sprintf("%s/%s[%s]", kubeSystem, name(ar, obj), key)
	hash := cacheKey(source, data)
	if fs, ok := v.cache.get(hash); ok {
		return v.result(source, fs), nil
	}
	res, err := v.linter.Lint(ctx, lint.Source{Name: source, Data: []byte(data)})
	var inputErr *lint.InputError
	switch {
	case errors.As(err, &inputErr):
		// Not YAML at all: a finding like any other, not a failure of the webhook.
		fs := []lint.Finding{inputErr.Finding()}
		v.cache.put(hash, fs)
		return v.result(source, fs), nil
	case err != nil:
		return nil, err
	}
	// The cache outlives the parse: keep the findings, not the trees they point into.
	for i := range res.Findings {
		res.Findings[i].Doc, res.Findings[i].Node = nil, nil
	}
	v.cache.put(hash, res.Findings)
	return v.result(source, res.Findings), nil
}

// findingsCache remembers the findings of the last few ConfigMap contents. The API server posts
// the same kubeadm ConfigMaps again and again (every kubeadm join, upgrade and re-apply), and
// linting is most of the cost of a review. Linting depends only on the source name and content,
// so a content hash is a safe key. It is bounded: a full cache drops a random entry.
type findingsCache struct {
	mu      sync.Mutex
	max     int
	entries map[[sha256.Size]byte][]lint.Finding
}

const findingsCacheSize = 32

func newFindingsCache(size int) *findingsCache {
	return &findingsCache{max: size, entries: make(map[[sha256.Size]byte][]lint.Finding, size)}
}

func cacheKey(source, data string) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(data))
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (c *findingsCache) get(k [sha256.Size]byte) ([]lint.Finding, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fs, ok := c.entries[k]
	return fs, ok
}

func (c *findingsCache) put(k [sha256.Size]byte, fs []lint.Finding) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		for old := range c.entries {
			delete(c.entries, old)
			break
		}
	}
	c.entries[k] = fs
}

// result turns findings into warnings, and in enforce mode errors into a denial. Both carry the
// message alone, without the hint: once a response's warnings pass 4096 characters in all, the
// API server cuts each one to 256, and a denial joins every error into one line.
func (v configMapValidator) result(source string, fs []lint.Finding) *validating.ValidatorResult {
	r := &validating.ValidatorResult{Valid: true}
	var errs []string
	for _, f := range fs {
		msg := fmt.Sprintf("%s: %s", f.Rule, f.Message)
		if f.Pos.Line > 0 {
			msg += fmt.Sprintf(" (line %d)", f.Pos.Line)
		}
		r.Warnings = append(r.Warnings, msg)
		if f.Severity == lint.SeverityError {
			errs = append(errs, msg)
		}
	}
	if v.mode == ModeEnforce && len(errs) > 0 {
		r.Valid = false
		r.Message = fmt.Sprintf("kubeadm-lint: %s has %d error(s): %s", source, len(errs), strings.Join(errs, "; "))
	}
	return r
}
