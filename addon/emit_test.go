package addon

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

var update = flag.Bool("update", false, "rewrite the goldens in testdata/emit")

func TestEmitGoldens(t *testing.T) {
	tests := []struct {
		name string
		emit Emit
	}{
		{name: "default", emit: Emit{Tolerations: Tolerations(nil, false)}},
		{name: "uninitialized-and-coredns", emit: Emit{Tolerations: Tolerations(nil, true), CoreDNS: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := tt.emit.Files()
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("..", "testdata", "emit", tt.name)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			entries, _ := os.ReadDir(dir)
			if !*update && len(entries) != len(files) {
				t.Errorf("emitted %d files, the golden dir has %d", len(files), len(entries))
			}
			for _, f := range files {
				path := filepath.Join(dir, f.Name)
				if *update {
					if err := os.WriteFile(path, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if string(want) != string(f.Data) {
					t.Errorf("%s differs from its golden (run go test ./addon -update):\n%s", f.Name, f.Data)
				}
			}
		})
	}
}

func TestCheckToleration(t *testing.T) {
	secs := int64(30)
	tests := []struct {
		name    string
		tol     corev1.Toleration
		wantErr string
	}{
		{name: "Exists with a key is valid", tol: corev1.Toleration{Key: CriticalAddonsOnly, Operator: corev1.TolerationOpExists}},
		{name: "an empty operator means Equal", tol: corev1.Toleration{Key: TaintControlPlane, Effect: corev1.TaintEffectNoSchedule}},
		{name: "Exists takes no value", tol: corev1.Toleration{Key: "a", Operator: corev1.TolerationOpExists, Value: "b"}, wantErr: "no value"},
		{name: "Equal needs a key", tol: corev1.Toleration{Operator: corev1.TolerationOpEqual, Value: "b"}, wantErr: "needs a key"},
		{name: "an unknown operator", tol: corev1.Toleration{Key: "a", Operator: "In"}, wantErr: "unknown operator"},
		{name: "an unknown effect", tol: corev1.Toleration{Key: "a", Effect: "NoRun"}, wantErr: "unknown effect"},
		{name: "tolerationSeconds needs NoExecute", tol: corev1.Toleration{Key: "a", Effect: corev1.TaintEffectNoSchedule, TolerationSeconds: &secs}, wantErr: "NoExecute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckToleration(tt.tol)
			if (err != nil) != (tt.wantErr != "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CheckToleration(%+v) = %v, want an error containing %q", tt.tol, err, tt.wantErr)
			}
		})
	}
}
