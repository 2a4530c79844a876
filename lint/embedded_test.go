package lint_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

const kubeadmConfigTemplate = `apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: workers
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
          - name: boot-id-file
            value: /proc/sys/kernel/random/boot_id
`

const machineDeployment = `apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata:
  name: workers
spec:
  clusterName: prod
  template:
    spec:
      clusterName: prod
      version: v1.36.3
      bootstrap:
        configRef:
          apiGroup: bootstrap.cluster.x-k8s.io
          kind: KubeadmConfigTemplate
          name: workers
`

// TestLintObject is the library entry the webhook calls: one object, YAML or JSON, with the
// release for objects that name none and the other objects of the run.
func TestLintObject(t *testing.T) {
	kcpJSON := `{"apiVersion":"controlplane.cluster.x-k8s.io/v1beta2","kind":"KubeadmControlPlane","metadata":{"name":"cp"},
"spec":{"version":"v1.37.0","kubeadmConfigSpec":{"clusterConfiguration":{"apiServer":{"extraArgs":[{"name":"cloud-provider","value":"external"}]}}}}}`
	related := &lint.Related{}
	related.Add("md.yaml", []byte(machineDeployment))
	tests := map[string]struct {
		src  string
		opts lint.ObjectOptions
		want []string // rule@line:col
	}{
		"a KubeadmControlPlane as JSON is linted at its spec.version": {
			src: kcpJSON, want: []string{"KL207@2:100"},
		},
		"a template without a referencing object is linted at the given release": {
			src: kubeadmConfigTemplate, opts: lint.ObjectOptions{KubernetesVersion: "v1.37"}, want: []string{"KL208@11:13"},
		},
		"the given release decides what is wrong": {
			src: kubeadmConfigTemplate, opts: lint.ObjectOptions{KubernetesVersion: "v1.36"}, want: []string{"KL209@11:13"},
		},
		"a MachineDeployment of the run gives the template its version": {
			src: kubeadmConfigTemplate, opts: lint.ObjectOptions{KubernetesVersion: "v1.37", Related: related}, want: []string{"KL209@11:13"},
		},
		"an ignore comment in the object suppresses the finding": {
			src:  "# kubeadm-lint:ignore-file KL208 the image pins an old kubelet\n" + kubeadmConfigTemplate,
			opts: lint.ObjectOptions{KubernetesVersion: "v1.37"},
		},
	}
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			res, err := l.LintObject(context.Background(), lint.Source{Name: "obj", Data: []byte(tt.src)}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, fmt.Sprintf("%s@%d:%d", f.Rule, f.Pos.Line, f.Pos.Column))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v (%v)", got, tt.want, res.Findings)
			}
			if len(res.File.Objects) != 1 {
				t.Errorf("got %d objects, want 1", len(res.File.Objects))
			}
		})
	}
}
