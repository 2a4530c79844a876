package kubeadm

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/admissionregistration"
	admissioninstall "k8s.io/kubernetes/pkg/apis/admissionregistration/install"
	admissionvalidation "k8s.io/kubernetes/pkg/apis/admissionregistration/validation"
)

var update = flag.Bool("update", false, "rewrite the goldens in testdata/emit")

func TestEmitGoldens(t *testing.T) {
	tests := []struct {
		name string
		emit Emit
	}{
		{name: "default", emit: Emit{Tolerations: Tolerations(nil, false)}},
		{name: "uninitialized-and-coredns", emit: Emit{Tolerations: Tolerations(nil, true), CoreDNS: true}},
		{name: "v1.36", emit: Emit{Tolerations: Tolerations(nil, false), CoreDNS: true, Minor: 36}},
		{name: "v1.35", emit: Emit{Tolerations: Tolerations(nil, false), CoreDNS: true, Minor: 35}},
		{name: "v1.34", emit: Emit{Tolerations: Tolerations(nil, true), Minor: 34}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := tt.emit.Files()
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("..", "..", "testdata", "emit", tt.name)
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
					t.Errorf("%s differs from its golden (run go test ./lint/kubeadm -update):\n%s", f.Name, f.Data)
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

func TestEmitForRelease(t *testing.T) {
	tests := []struct {
		name        string
		minor       int
		wantVersion string
		wantProxy   bool
		wantNotes   []string
		wantErr     string
	}{
		{name: "the newest release gets v1 and the kube-proxy patch", wantVersion: "admissionregistration.k8s.io/v1", wantProxy: true},
		{name: "v1.37 gets v1 and the kube-proxy patch", minor: 37, wantVersion: "admissionregistration.k8s.io/v1", wantProxy: true},
		{name: "v1.36 gets v1 but no kube-proxy patch, which its kubeadm ignores", minor: 36, wantVersion: "admissionregistration.k8s.io/v1", wantNotes: []string{"no kubeproxydaemonset patch target"}},
		{name: "v1.35 gets v1beta1 and is told the gate is off", minor: 35, wantVersion: "admissionregistration.k8s.io/v1beta1", wantNotes: []string{"no kubeproxydaemonset", "off by default on v1.35"}},
		{name: "v1.34 gets v1beta1", minor: 34, wantVersion: "admissionregistration.k8s.io/v1beta1", wantNotes: []string{"no kubeproxydaemonset", "off by default on v1.34"}},
		{name: "v1.33 has only the alpha API", minor: 33, wantErr: "needs v1.34 or later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Emit{Tolerations: Tolerations(nil, false), CoreDNS: true, Minor: tt.minor}
			files, err := e.Files()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Files() = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var policy []byte
			proxy := false
			for _, f := range files {
				switch f.Name {
				case PolicyFile:
					policy = f.Data
				case KubeProxyPatchFile:
					proxy = true
				}
			}
			if proxy != tt.wantProxy {
				t.Errorf("kube-proxy patch written = %v, want %v", proxy, tt.wantProxy)
			}
			for _, doc := range strings.Split(string(policy), "\n---\n") {
				if !strings.Contains(doc, "apiVersion: "+tt.wantVersion+"\n") {
					t.Errorf("policy document without apiVersion %s:\n%s", tt.wantVersion, doc)
				}
			}
			if e.PolicyAPIVersion() != tt.wantVersion {
				t.Errorf("PolicyAPIVersion() = %s, want %s", e.PolicyAPIVersion(), tt.wantVersion)
			}
			notes := e.Notes()
			if len(notes) != len(tt.wantNotes) {
				t.Fatalf("Notes() = %q, want %d notes", notes, len(tt.wantNotes))
			}
			for i, want := range tt.wantNotes {
				if !strings.Contains(notes[i], want) {
					t.Errorf("note %d = %q, want it to contain %q", i, notes[i], want)
				}
			}
			if tt.minor > 0 && tt.minor < PolicyGAMinor && !strings.Contains(string(policy), "# MutatingAdmissionPolicy is beta and off by default") {
				t.Errorf("the v1beta1 policy does not say the gate is off by default:\n%s", policy)
			}
		})
	}
}

// TestEmittedPolicyValidates decodes each emitted policy through the API server's own scheme,
// strictly, and runs its validation: the v1beta1 documents must hold everything the v1 ones do.
func TestEmittedPolicyValidates(t *testing.T) {
	scheme := runtime.NewScheme()
	admissioninstall.Install(scheme)
	codecs := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	for _, minor := range []int{0, 36, 35, 34} {
		for _, coreDNS := range []bool{false, true} {
			files, err := Emit{Tolerations: Tolerations(nil, true), CoreDNS: coreDNS, Minor: minor}.Files()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if f.Name != PolicyFile {
					continue
				}
				docs := strings.Split(string(f.Data), "\n---\n")
				if len(docs) != 2 {
					t.Fatalf("v1.%d: %d policy documents, want 2", minor, len(docs))
				}
				for _, doc := range docs {
					obj, gvk, err := codecs.UniversalDecoder(admissionregistration.SchemeGroupVersion).Decode([]byte(doc), nil, nil)
					if err != nil {
						t.Fatalf("v1.%d: decoding:\n%s\n%v", minor, doc, err)
					}
					var errs field.ErrorList
					switch o := obj.(type) {
					case *admissionregistration.MutatingAdmissionPolicy:
						errs = admissionvalidation.ValidateMutatingAdmissionPolicy(o)
						if n := len(o.Spec.Mutations); n != map[bool]int{false: 1, true: 2}[coreDNS] {
							t.Errorf("v1.%d %s: %d mutations survived decoding", minor, gvk, n)
						}
					case *admissionregistration.MutatingAdmissionPolicyBinding:
						errs = admissionvalidation.ValidateMutatingAdmissionPolicyBinding(o)
					default:
						t.Fatalf("v1.%d: decoded a %T", minor, obj)
					}
					if len(errs) > 0 {
						t.Errorf("v1.%d %s: %v", minor, gvk, errs.ToAggregate())
					}
				}
			}
		}
	}
}
