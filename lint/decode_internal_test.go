package lint

import (
	"context"
	"errors"
	"testing"
)

// TestDecodeStopsWhenCancelled: the retries that report one type error each re-encode the
// document, so a caller that gave up (the API server, for the webhook) must stop them.
func TestDecodeStopsWhenCancelled(t *testing.T) {
	data := []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: [a]\ncertificatesDir: {b: c}\n")
	nodes, err := parseDocuments("x.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		ctx     func() context.Context
		wantErr error
	}{
		{name: "a live context decodes and reports both type errors", ctx: context.Background},
		{name: "a cancelled context stops at the first retry", ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, wantErr: context.Canceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, foreign := classify(deref(nodes[0]), 0)
			if foreign {
				t.Fatal("the document was not recognised")
			}
			err := decode(tt.ctx(), d, nil, newExpansion(len(data)))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("decode: %v, want %v", err, tt.wantErr)
			}
			if want := map[bool]int{true: 2, false: 1}[tt.wantErr == nil]; len(d.Problems) != want {
				t.Errorf("%d problems, want %d: %+v", len(d.Problems), want, d.Problems)
			}
		})
	}
}
