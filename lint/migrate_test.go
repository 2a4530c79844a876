package lint_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestV1beta3FindingsLandWhereV1beta4Ones: the same mistakes written in v1beta3 and in
// v1beta4 must be reported at the same lines and columns, through the migration.
func TestV1beta3FindingsLandWhereV1beta4Ones(t *testing.T) {
	places := func(file string) map[string]bool {
		data, err := os.ReadFile("../testdata/parity/cases/" + file)
		if err != nil {
			t.Fatal(err)
		}
		l, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: "v1.36"}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.Lint(context.Background(), lint.Source{Name: file, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, f := range res.Findings {
			if f.Rule != "KL002" { // the API version itself differs
				out[fmt.Sprintf("%s %d:%d", f.Rule, f.Pos.Line, f.Pos.Column)] = true
			}
		}
		return out
	}
	v4, v3 := places("v1beta4-three-errors.yaml"), places("v1beta3-three-errors.yaml")
	for _, want := range []string{"KL008 6:3", "KL008 11:5", "KL005 12:3"} {
		if !v4[want] {
			t.Errorf("v1beta4: no finding %s; got %v", want, v4)
		}
	}
	if fmt.Sprint(v3) != fmt.Sprint(v4) {
		t.Errorf("v1beta3 findings %v differ from v1beta4 findings %v", v3, v4)
	}
}

// TestV1beta3TimeoutMovesAsKubeadmMovesIt: apiServer.timeoutForControlPlane goes to the
// InitConfiguration's timeouts, whatever that document's version, and a zero one is dropped, as
// kubeadm v1.36 does. fix --migrate reads the same table (internal/migration).
func TestV1beta3TimeoutMovesAsKubeadmMovesIt(t *testing.T) {
	const cluster = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  timeoutForControlPlane: %s\n"
	tests := []struct {
		name, init, timeout string
		want                string // timeouts.controlPlaneComponentHealthCheck in the InitConfiguration
	}{
		{name: "a v1beta3 InitConfiguration gets the timeout", init: "v1beta3", timeout: "5m0s", want: "5m0s"},
		{name: "a v1beta4 InitConfiguration beside a v1beta3 ClusterConfiguration gets it too", init: "v1beta4", timeout: "5m0s", want: "5m0s"},
		{name: "a zero timeout is dropped", init: "v1beta3", timeout: "0s", want: ""},
		{name: "a zero timeout is dropped for a v1beta4 InitConfiguration too", init: "v1beta4", timeout: "0s", want: ""},
	}
	l, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: "v1.36"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("apiVersion: kubeadm.k8s.io/%s\nkind: InitConfiguration\n---\n"+cluster, tt.init, tt.timeout)
			res, err := l.Lint(context.Background(), lint.Source{Name: "in.yaml", Data: []byte(src)})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if n := res.File.Doc(lint.KindInit).Lookup("timeouts.controlPlaneComponentHealthCheck"); n != nil {
				got = n.Value
			}
			if got != tt.want {
				t.Errorf("timeouts.controlPlaneComponentHealthCheck = %q, want %q", got, tt.want)
			}
			if res.File.Doc(lint.KindCluster).Has("apiServer.timeoutForControlPlane") {
				t.Error("apiServer.timeoutForControlPlane is still in the migrated ClusterConfiguration")
			}
			if n := res.File.Doc(lint.KindInit).Written("kind"); n == nil || n.Line != 2 {
				t.Errorf("Written(kind) = %v, want the parsed node on line 2", n)
			}
		})
	}
}
