package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// maxResponseBytes bounds one response of the API server to the audit. A page of 500 nodes is a
// few megabytes, a ConfigMap at most one; a server that ignores the page size, or answers
// without end, would otherwise grow the process until the request timeout.
const maxResponseBytes = 64 << 20

// defaultAuditTimeout bounds a whole audit: a few dozen requests, each given --request-timeout,
// from a server slow on every one would otherwise take minutes.
const defaultAuditTimeout = 2 * time.Minute

// limitBodies is a rest.Config's WrapTransport that fails a response past limit bytes.
func limitBodies(limit int64) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return limitedTransport{next: next, limit: limit} }
}

type limitedTransport struct {
	next  http.RoundTripper
	limit int64
}

func (t limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	tooLarge := fmt.Errorf("%s %s: the response is larger than %d MiB", r.Method, r.URL.Path, t.limit>>20)
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, tooLarge
	}
	resp.Body = &limitedBody{body: resp.Body, left: t.limit, err: tooLarge}
	return resp, nil
}

type limitedBody struct {
	body io.ReadCloser
	left int64
	err  error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.err
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more tells a body of exactly the limit from a longer one
	}
	n, err := b.body.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return n, b.err
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }

// auditTimeoutError says which bound stopped an audit that ran out of time.
func auditTimeoutError(ctx context.Context, err error, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("the audit did not finish within --timeout %v: %w", timeout, err)
	}
	return err
}

// within returns what run returns, or ctx's error as soon as ctx is done, even when run is in a
// request that does not honour ctx (client-go's ServerVersion takes none); the process exits
// soon after, with whatever run still holds.
func within[T any](ctx context.Context, run func() (T, error)) (T, error) {
	type outcome struct {
		v   T
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := run()
		done <- outcome{v, err}
	}()
	select {
	case o := <-done:
		return o.v, o.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
