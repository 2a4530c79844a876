package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestLimitBodies: a response over the limit fails, whether it says its length or not; one at
// the limit is read whole.
func TestLimitBodies(t *testing.T) {
	const limit = 1 << 20
	tests := []struct {
		name    string
		size    int
		chunked bool
		wantErr bool
	}{
		{name: "a body at the limit", size: limit},
		{name: "a body one byte over, with its length", size: limit + 1, wantErr: true},
		{name: "a body one byte over, chunked", size: limit + 1, chunked: true, wantErr: true},
		{name: "a body of 8 MiB, chunked", size: 8 << 20, chunked: true, wantErr: true},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if tt.chunked {
				w.(http.Flusher).Flush() // no Content-Length
			}
			w.Write(bytes.Repeat([]byte("x"), tt.size))
		}))
		client := &http.Client{Transport: limitBodies(limit)(http.DefaultTransport)}
		var n int64
		resp, err := client.Get(srv.URL + "/api/v1/nodes")
		if err == nil {
			n, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		srv.Close()
		switch {
		case tt.wantErr && (err == nil || !strings.Contains(err.Error(), "larger than 1 MiB")):
			t.Errorf("%s: read %d bytes, error %v; want the limit's error", tt.name, n, err)
		case !tt.wantErr && (err != nil || n != int64(tt.size)):
			t.Errorf("%s: read %d bytes, error %v; want all %d", tt.name, n, err, tt.size)
		}
	}
}

// TestClusterTimeout: a server that never answers stops the audit at --timeout, which says so
// in one line, however long --request-timeout is.
func TestClusterTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	kubeconfig := t.TempDir() + "/kubeconfig"
	writeKubeconfig(t, kubeconfig, srv.URL)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"cluster", "--kubeconfig", kubeconfig, "--request-timeout", "1h", "--timeout", "200ms"},
		strings.NewReader(""), &stdout, &stderr)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if code != exitUsage || len(lines) != 1 || !strings.Contains(lines[0], "did not finish within --timeout 200ms") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and one line naming --timeout", code, stderr.String())
	}
}

func writeKubeconfig(t *testing.T, path, server string) {
	t.Helper()
	data := "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + server +
		"\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
