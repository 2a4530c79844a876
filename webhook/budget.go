package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// The API server's failurePolicy applies only when the webhook does not answer in time, and the
// manifests' policy is Ignore: a review that outlives the timeoutSeconds is admitted unchecked,
// in enforce mode too. So a review answers within its budget whatever the input, and what it
// answers when linting did not finish depends on the mode: warn mode allows with a warning that
// says so; enforce mode denies, since admitting what it could not check is the walk-around
// enforce mode exists to close. Such a denial is not cached, so a retry in a quieter moment is
// linted; the cost is that in enforce mode a kubeadm ConfigMap write can fail under load, which
// is the choice an enforcing user made.

// reviewClock is when a review arrived and the timeout the API server gave it: the API server
// adds ?timeout=Ns, its timeoutSeconds, to every call.
type reviewClock struct {
	start   time.Time
	timeout time.Duration // 0 when the caller named none
}

type reviewClockKey struct{}

// withReviewClock records the review's clock in the request's context.
func withReviewClock(r *http.Request) *http.Request {
	c := reviewClock{start: time.Now()}
	if d, err := time.ParseDuration(r.URL.Query().Get("timeout")); err == nil && d > 0 {
		c.timeout = d
	}
	return r.WithContext(context.WithValue(r.Context(), reviewClockKey{}, c))
}

// reviewBudget is how long a review may lint: def, but never past half the API server's timeout
// since the review arrived, so that the answer, encoded and sent, still reaches the API server in
// time. The other half also covers what comes before the review's clock starts, which the
// webhook cannot see: the API server's call and the TLS handshake. With two thirds, 5 of 64
// concurrent 500 KB reviews on a 2-core machine running the rest of the test suite outlived the
// 3 s timeout and were admitted by the Ignore policy (the e2e suite's enforce-mode case).
func reviewBudget(ctx context.Context, def time.Duration) time.Duration {
	c, ok := ctx.Value(reviewClockKey{}).(reviewClock)
	if !ok || c.timeout == 0 {
		return def
	}
	return max(0, min(def, c.timeout/2-time.Since(c.start)))
}

// errLate is a lint that did not finish within its budget.
var errLate = errors.New("not linted within the budget")

// lintInTime runs one lint within budget, the wait for a lint slot included, and returns its
// findings (see findings). It returns errLate when the budget ran out first, without waiting
// for the linter: a lint in a phase that does not look at its context (one parse, one rule)
// goes on in the background, holding its slot, until it sees the context done, so that the
// slots still bound the lints running at once.
func (v linting) lintInTime(ctx context.Context, budget time.Duration, run func(context.Context) (*lint.Result, error)) ([]lint.Finding, error) {
	lintCtx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	type outcome struct {
		res *lint.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		if v.slots != nil {
			select {
			case v.slots <- struct{}{}:
				defer func() { <-v.slots }()
			case <-lintCtx.Done():
				// The wait for a slot counts against the budget: a review that gets none in
				// time is not linted at all, so that waiting reviews hold no parse either.
				done <- outcome{err: lintCtx.Err()}
				return
			}
		}
		res, err := run(lintCtx)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		if o.err == nil || lintCtx.Err() == nil {
			return findings(o.res, o.err)
		}
	case <-lintCtx.Done():
	}
	if ctx.Err() != nil {
		return nil, ctx.Err() // the API server has given up: no answer reaches it
	}
	return nil, errLate
}

// overBudget answers a write that was not linted within the budget: allowed with a warning in
// warn mode, denied in enforce mode.
func (v linting) overBudget(source string, budget time.Duration) *validating.ValidatorResult {
	if v.mode == ModeEnforce {
		return &validating.ValidatorResult{Valid: false, Message: fmt.Sprintf(
			"kubeadm-lint: %s was not linted within %v, and enforce mode admits nothing unchecked: retry, or lint %s with the kubeadm-lint CLI",
			source, budget.Round(time.Millisecond), v.what)}
	}
	return &validating.ValidatorResult{Valid: true, Warnings: []string{fmt.Sprintf(
		"kubeadm-lint: %s was not linted within %v; allowed without checking", source, budget.Round(time.Millisecond))}}
}

// maxMessageBytes bounds one finding's message in a warning or a denial: the counts bound how
// many, but a message quotes its value, and a value may be a megabyte.
const maxMessageBytes = 300

// clip cuts s to at most n bytes, at a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("...")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
