package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slok/kubewebhook/v2/pkg/model"
	kwhwebhook "github.com/slok/kubewebhook/v2/pkg/webhook"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// TestMalformedRequests posts broken reviews over TLS. Each gets a 4xx or an answer that allows
// the object, none takes the server down, and a good review still succeeds after them.
func TestMalformedRequests(t *testing.T) {
	ts := startServer(t, nil)
	_, good := fixture(t, "kube-proxy-create.json")
	cases := malformedReviews(t, good)
	huge := edit(t, good, func(req map[string]any) {
		obj := req["object"].(map[string]any)
		obj["metadata"].(map[string]any)["annotations"] = map[string]any{"padding": strings.Repeat("x", 10<<20)}
	})
	cases = append(cases, malformedReview{name: "a 10 MB review", body: huge, wantCode: http.StatusRequestEntityTooLarge})

	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := ts.client.Post("https://"+ts.Addr().String()+PathKubeProxy, "application/json", bytes.NewReader(tt.body))
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, data, tt.wantCode)
			}
			checkAnswer(t, PathKubeProxy, tt.body, resp.StatusCode, data)
			if resp.StatusCode != http.StatusOK {
				return
			}
			var out admissionv1.AdmissionReview
			if err := json.Unmarshal(data, &out); err != nil {
				t.Fatal(err)
			}
			if hasPatch := len(out.Response.Patch) > 2; hasPatch != tt.wantPatch {
				t.Errorf("patch %s, want one: %v", out.Response.Patch, tt.wantPatch)
			}
			got := strings.Join(out.Response.Warnings, "\n")
			if (tt.wantWarning == "") != (got == "") || !strings.Contains(got, tt.wantWarning) {
				t.Errorf("warnings %q, want %q", out.Response.Warnings, tt.wantWarning)
			}
		})
	}
	t.Run("a good review still succeeds", func(t *testing.T) {
		expectServing(t, ts)
	})
}

// TestSlowClients holds connections open the ways a slow-loris client does. The server's
// timeouts, shortened here, must close each one; the 30 s the test waits only bounds a hang.
func TestSlowClients(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.timeouts = timeouts{readHeader: 500 * time.Millisecond, read: time.Second, write: 5 * time.Second, idle: time.Second}
	})
	_, body := fixture(t, "kube-proxy-create.json")
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", PathKubeProxy, len(body))
	tests := []struct {
		name    string
		tls     bool   // finish the handshake first
		prefix  string // sent at once
		trickle string // then sent a byte at a time, 20 ms apart, then nothing more
	}{
		{name: "a client that never starts the TLS handshake"},
		{name: "a client that finishes the handshake and sends nothing", tls: true},
		{name: "a client that sends its headers a byte at a time and never ends them", tls: true,
			prefix: "POST " + PathKubeProxy + " HTTP/1.1\r\n", trickle: strings.Repeat("X-Slow: y\r\n", 1000)},
		{name: "a client that sends its headers, then the body a byte at a time", tls: true,
			prefix: head, trickle: string(body)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conn net.Conn
			conn, err := net.Dial("tcp", ts.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if tt.tls {
				cfg := ts.client.Transport.(*http.Transport).TLSClientConfig.Clone()
				cfg.ServerName = "localhost"
				tc := tls.Client(conn, cfg)
				if err := tc.Handshake(); err != nil {
					t.Fatalf("handshake: %v", err)
				}
				conn = tc
			}
			if _, err := io.WriteString(conn, tt.prefix); err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for i := range len(tt.trickle) {
					select {
					case <-stop:
						return
					case <-time.After(20 * time.Millisecond):
					}
					if _, err := conn.Write([]byte{tt.trickle[i]}); err != nil {
						return
					}
				}
			}()
			// The server may answer (408, 400) before it closes; read until it does.
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err = io.Copy(io.Discard, conn)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the server kept the connection open for 30 s")
			}
		})
	}
	t.Run("a good review still succeeds", func(t *testing.T) {
		expectServing(t, ts)
	})
}

// expectServing posts a good review and checks that Run has not returned.
func expectServing(t *testing.T, ts *testServer) {
	t.Helper()
	_, body := fixture(t, "kube-proxy-create.json")
	code, out := ts.post(t, PathKubeProxy, body)
	if code != http.StatusOK || out.Response == nil || !out.Response.Allowed || len(out.Response.Patch) <= 2 {
		t.Errorf("status %d, response %+v; want the review patched", code, out.Response)
	}
	select {
	case err := <-ts.done:
		ts.done <- err // for the cleanup
		t.Errorf("the server stopped: %v", err)
	default:
	}
}

// edit returns review with change applied to its request.
func edit(t *testing.T, review []byte, change func(req map[string]any)) []byte {
	t.Helper()
	var ar map[string]any
	if err := json.Unmarshal(review, &ar); err != nil {
		t.Fatal(err)
	}
	change(ar["request"].(map[string]any))
	out, err := json.Marshal(ar)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var scopeSeed = flag.Uint64("scope-seed", 7, "seed of TestScopeProperty's random objects")

// TestScopeProperty sends 1,000 random objects, of many kinds, names and namespaces, most of
// them near misses, to every review. Only the exact kube-system objects may be touched: patched
// or warned about by their mutator, warned about by the ConfigMap validator; and Cluster API's
// three kinds, in any namespace, by the Cluster API validator.
func TestScopeProperty(t *testing.T) {
	t.Logf("seed %d: rerun with -scope-seed=%d", *scopeSeed, *scopeSeed)
	rng := rand.New(rand.NewPCG(*scopeSeed, 0))
	// Half exact names, half near misses, so that targets come up too.
	pick := func(exact, misses []string) string {
		if rng.IntN(2) == 0 {
			return exact[rng.IntN(len(exact))]
		}
		return misses[rng.IntN(len(misses))]
	}
	type kind struct{ apiVersion, kind string }
	kinds := []kind{
		{"apps/v1", "DaemonSet"}, {"apps/v1beta2", "DaemonSet"}, {"extensions/v1beta1", "DaemonSet"}, {"example.com/v1", "DaemonSet"},
		{"apps/v1", "Deployment"}, {"apps/v1", "StatefulSet"}, {"apps/v1", "ReplicaSet"},
		{"v1", "ConfigMap"}, {"example.com/v1", "ConfigMap"}, {"v1", "Pod"}, {"v1", "Secret"}, {"batch/v1", "Job"},
		{"controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane"}, {"controlplane.cluster.x-k8s.io/v1beta1", "KubeadmControlPlaneTemplate"},
		{"bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfigTemplate"}, {"bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfig"},
		{"example.com/v1beta2", "KubeadmControlPlane"}, {"cluster.x-k8s.io/v1beta2", "MachineDeployment"},
	}
	names := []string{"kube-proxy", "coredns", "kubeadm-config", "kubelet-config"}
	nearNames := []string{"kube-proxy2", "Kube-Proxy", "kube-proxy-", "kube_proxy", " kube-proxy", "coredns-1", "CoreDNS", "core-dns",
		"kubeadm-config2", "kubelet-config-1.37", "kube-proxy-config", ""}
	nearNamespaces := []string{"kube-system2", "Kube-System", "kube-public", "default", "", "kube-system "}
	operations := []admissionv1.Operation{admissionv1.Create, admissionv1.Update, admissionv1.Create, admissionv1.Update, admissionv1.Delete, admissionv1.Connect}

	w := newTestWebhook(t, func(c *Config) { c.CoreDNS.AllowPrivilegeEscalation = true })
	targets := map[string]int{}
	for i := range 1000 {
		k := kinds[rng.IntN(len(kinds))]
		name, ns, op := pick(names, nearNames), pick([]string{kubeSystem}, nearNamespaces), operations[rng.IntN(len(operations))]
		// What every mutator and the validator would change or lint, were the object theirs.
		obj := map[string]any{
			"apiVersion": k.apiVersion, "kind": k.kind,
			"metadata": map[string]any{"name": name, "namespace": ns},
			"spec": map[string]any{
				"template": map[string]any{"spec": map[string]any{
					"tolerations": []any{map[string]any{"operator": "Exists"}},
					"containers":  []any{map[string]any{"name": "coredns", "image": "coredns"}},
					"joinConfiguration": map[string]any{"nodeRegistration": map[string]any{
						"kubeletExtraArgs": []any{map[string]any{"name": "containerd", "value": "/run/containerd/containerd.sock"}}}},
					"kubeadmConfigSpec": map[string]any{"clusterConfiguration": map[string]any{"controllerManager": map[string]any{
						"extraArgs": []any{map[string]any{"name": "concurrent-service-syncs", "value": "5"}}}}},
				}},
				"version": "v1.37.2",
				"kubeadmConfigSpec": map[string]any{"clusterConfiguration": map[string]any{"controllerManager": map[string]any{
					"extraArgs": []any{map[string]any{"name": "concurrent-service-syncs", "value": "5"}}}}},
			},
			"data": map[string]any{"ClusterConfiguration": "a: [", "kubelet": "a: [", "config.conf": "a: ["},
		}
		meta := obj["metadata"].(map[string]any)
		reqName, reqNS := name, ns
		switch rng.IntN(4) {
		case 0: // a CREATE body may leave its namespace to the request
			delete(meta, "namespace")
		case 1: // generateName: the request has no name yet
			reqName = ""
		}
		raw, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		group, _, _ := strings.Cut(k.apiVersion, "/")
		if !strings.Contains(k.apiVersion, "/") {
			group = ""
		}
		write := op == admissionv1.Create || op == admissionv1.Update
		want := map[string]bool{
			"kube-proxy": write && ns == kubeSystem && name == "kube-proxy" && group == "apps" && k.kind == "DaemonSet",
			"coredns":    write && ns == kubeSystem && name == "coredns" && group == "apps" && k.kind == "Deployment",
			"configmaps": write && ns == kubeSystem && group == "" && k.kind == "ConfigMap" &&
				(name == "kube-proxy" || name == "kubeadm-config" || name == "kubelet-config"),
			// In any namespace, by any name; an UPDATE here leaves spec as it was, and is not linted.
			"cluster-api": op == admissionv1.Create && clusterAPIKinds[schema.GroupKind{Group: group, Kind: k.kind}],
		}
		req := &admissionv1.AdmissionRequest{
			UID: types.UID(fmt.Sprint(i)), Name: reqName, Namespace: reqNS, Operation: op,
			Kind:   metav1.GroupVersionKind{Group: group, Version: "v1", Kind: k.kind},
			Object: runtime.RawExtension{Raw: raw}, OldObject: runtime.RawExtension{Raw: raw},
		}
		for id, wh := range map[string]kwhwebhook.Webhook{"kube-proxy": w.KubeProxy, "coredns": w.CoreDNS, "configmaps": w.ConfigMaps, "cluster-api": w.ClusterAPI} {
			resp, err := wh.Review(context.Background(), model.NewAdmissionReviewV1(&admissionv1.AdmissionReview{Request: req}))
			if err != nil {
				t.Fatalf("%s on %s %s %s/%s: %v", id, op, k.kind, ns, name, err)
			}
			var touched bool
			switch r := resp.(type) {
			case *model.MutatingAdmissionResponse:
				touched = len(r.JSONPatchPatch) > 2 || len(r.Warnings) > 0
			case *model.ValidatingAdmissionResponse:
				touched = !r.Allowed || len(r.Warnings) > 0
			}
			if touched != want[id] {
				t.Errorf("%s on %s of %s %s %q in %q (request name %q): touched %v, want %v", id, op, k.apiVersion, k.kind, name, ns, reqName, touched, want[id])
			}
			if want[id] {
				targets[id]++
			}
		}
	}
	t.Logf("objects that were targets: %v", targets)
	for _, id := range []string{"kube-proxy", "coredns", "configmaps", "cluster-api"} {
		if targets[id] == 0 {
			t.Errorf("no %s target among the random objects: the property was not tested both ways", id)
		}
	}
}
