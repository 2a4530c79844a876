package webhook

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

// configMapValidator lints the configs kubeadm stores in the cluster with the CLI's core.
type configMapValidator struct {
	linter *lint.Linter
	linting
}

// linting is what the validators that lint share: what errors do, the verdicts on content
// already seen, the time a review may lint, and the slots that bound lints running at once.
type linting struct {
	mode   Mode
	cache  *findingsCache
	budget time.Duration // lintBudget, unless a test sets another
	// slots bound how many objects are linted at once, whatever the API server's concurrency:
	// more lints than cores finish no sooner, and each holds its document's parse, some 15 MB
	// for a kubeadm-config of 20,000 bad names. Nil is unbounded. The validators share them.
	slots chan struct{}
	// what names, in an answer that leaves findings out, what to run the CLI on for all of them.
	what string
	// byPath places findings by their field path instead of their line: the source is YAML
	// the webhook made from the object, whose lines the user never saw.
	byPath bool
}

// newLintSlots returns the slots for linting as many objects at once as there are cores.
func newLintSlots() chan struct{} { return make(chan struct{}, runtime.GOMAXPROCS(0)) }

func (v configMapValidator) Validate(ctx context.Context, ar *model.AdmissionReview, obj metav1.Object) (*validating.ValidatorResult, error) {
	allow := &validating.ValidatorResult{Valid: true}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok || !isWrite(ar) || namespace(ar, obj) != kubeSystem || u.GroupVersionKind().GroupKind().String() != "ConfigMap" {
		return allow, nil
	}
	cm, ok := kubeadm.StoredConfig(name(ar, obj))
	if !ok {
		return allow, nil
	}
	data, found, err := unstructured.NestedString(u.Object, "data", cm.Key)
	if err != nil || !found {
		// kubeadm itself will complain about a missing key; this webhook only lints content.
		return allow, nil
	}
	source := fmt.Sprintf("%s/%s[%s]", kubeSystem, cm.Name, cm.Key)
	hash := cacheKey(source, data)
	if vd, ok := v.cache.get(hash); ok {
		return vd.result(), nil
	}
	budget := reviewBudget(ctx, cmp.Or(v.budget, lintBudget))
	fs, err := v.lintInTime(ctx, budget, func(ctx context.Context) (*lint.Result, error) {
		return v.linter.Lint(ctx, lint.Source{Name: source, Data: []byte(data)})
	})
	if errors.Is(err, errLate) {
		// Not cached: a quieter moment may finish it.
		return v.overBudget(source, budget), nil
	}
	if err != nil {
		return nil, err
	}
	vd := v.judge(source, fs, nil)
	v.cache.put(hash, vd)
	return vd.result(), nil
}

// findings returns a lint's findings, with a source that is not YAML at all as a finding like
// any other, not a failure of the webhook.
func findings(res *lint.Result, err error) ([]lint.Finding, error) {
	var inputErr *lint.InputError
	if errors.As(err, &inputErr) {
		return []lint.Finding{inputErr.Finding()}, nil
	}
	if err != nil {
		return nil, err
	}
	return res.Findings, nil
}

// findingsCache remembers the verdicts on the last few ConfigMap contents, each a few
// kilobytes at most. The API server posts
// the same kubeadm ConfigMaps again and again (every kubeadm join, upgrade and re-apply), and
// linting is most of the cost of a review. Linting depends only on the source name and content,
// so a content hash is a safe key. It is bounded: a full cache drops a random entry.
type findingsCache struct {
	mu      sync.Mutex
	max     int
	entries map[[sha256.Size]byte]verdict
}

const findingsCacheSize = 32

func newFindingsCache(size int) *findingsCache {
	return &findingsCache{max: size, entries: make(map[[sha256.Size]byte]verdict, size)}
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

func (c *findingsCache) get(k [sha256.Size]byte) (verdict, bool) {
	if c == nil {
		return verdict{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fs, ok := c.entries[k]
	return fs, ok
}

func (c *findingsCache) put(k [sha256.Size]byte, vd verdict) {
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
	c.entries[k] = vd
}

// lintBudget is the longest a review lints, well inside the webhook's timeoutSeconds (5 at
// most), so that the API server never waits on it past its timeout.
const lintBudget = 2 * time.Second

// What one review returns is bounded, whatever the findings: the API server keeps about 4 KB of
// warnings in all and cuts each beyond that, and a response too large for it to read fails
// open, which in enforce mode would admit the config it should deny.
const (
	maxWarnings     = 10   // findings shown as warnings; one more says how many were left out
	maxWarningBytes = 3000 // of warning text in all
	maxDenied       = 5    // errors quoted in a denial
)

// verdict is what a review of some content returns, bounded as above. The cache keeps it.
type verdict struct {
	warnings []string
	denial   string // empty to allow
}

func (vd verdict) result() *validating.ValidatorResult {
	return &validating.ValidatorResult{Valid: vd.denial == "", Message: vd.denial, Warnings: vd.warnings}
}

// judge turns findings into warnings, and in enforce mode errors into a denial, however many
// there are. Both carry the message alone, without the hint, and where the finding is: its line
// in the source, or at for a source the user never saw as text. An error that stored reports is
// already stored, so a write that leaves it as it was is not denied for it.
func (v linting) judge(source string, fs []lint.Finding, stored func(lint.Finding) bool) verdict {
	var vd verdict
	var errs []string
	size, nErrs := 0, 0
	for _, f := range fs {
		msg := fmt.Sprintf("%s: %s", f.Rule, clip(f.Message, maxMessageBytes))
		switch {
		case v.byPath && f.Path != "":
			msg += fmt.Sprintf(" (at %s)", clip(f.Path, maxMessageBytes))
		case !v.byPath && f.Pos.Line > 0:
			msg += fmt.Sprintf(" (line %d)", f.Pos.Line)
		}
		if len(vd.warnings) < maxWarnings && size+len(msg) <= maxWarningBytes {
			vd.warnings = append(vd.warnings, msg)
			size += len(msg)
		}
		if f.Severity == lint.SeverityError && (stored == nil || !stored(f)) {
			nErrs++
			if len(errs) < maxDenied {
				errs = append(errs, msg)
			}
		}
	}
	if left := len(fs) - len(vd.warnings); left > 0 {
		vd.warnings = append(vd.warnings, fmt.Sprintf("kubeadm-lint: %d more finding(s) in %s not shown; lint %s with the kubeadm-lint CLI for all of them", left, source, v.what))
	}
	if v.mode == ModeEnforce && nErrs > 0 {
		vd.denial = fmt.Sprintf("kubeadm-lint: %s has %d error(s): %s", source, nErrs, strings.Join(errs, "; "))
		if nErrs > len(errs) {
			vd.denial += fmt.Sprintf("; and %d more", nErrs-len(errs))
		}
	}
	return vd
}
