package rules_test

import (
	"context"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
)

// TestKMSv1GateOfTheRun: a KMS v1 provider is fine when the ClusterConfiguration of the same run
// that names the file turns KMSv1 on, and still an error when it names another file or leaves the
// gate off.
func TestKMSv1GateOfTheRun(t *testing.T) {
	const encryption = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - kms:
      apiVersion: v1
      name: vault
      endpoint: unix:///var/run/kms-plugin/socket.sock
      cachesize: 1000
  - identity: {}
`
	cluster := func(file, gates string) string {
		return `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: encryption-provider-config
    value: ` + file + `
  - name: feature-gates
    value: ` + gates + "\n"
	}
	// The file is mounted from another directory of the node, where the run holds it beside a
	// file of the container's path.
	mounted := cluster("/etc/kubernetes/enc/encryption.yaml", "KMSv1=true") + `  extraVolumes:
  - name: kms
    hostPath: /srv/kms
    mountPath: /etc/kubernetes/enc
`
	for _, c := range []struct {
		name, cluster, file string
		want                int
	}{
		{"gate on", cluster("/etc/kubernetes/enc/encryption.yaml", "KMSv1=true"), "cluster/enc/encryption.yaml", 0},
		{"gate off", cluster("/etc/kubernetes/enc/encryption.yaml", "KMSv1=false"), "cluster/enc/encryption.yaml", 1},
		{"another file", cluster("/etc/kubernetes/enc/other.yaml", "KMSv1=true"), "cluster/enc/encryption.yaml", 1},
		{"no ClusterConfiguration", "", "cluster/enc/encryption.yaml", 1},
		{"mounted from the node's /srv/kms", mounted, "cluster/kms/encryption.yaml", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &lint.Related{}
			r.Add("cluster/enc/encryption.yaml", []byte(encryption))
			r.Add(c.file, []byte(encryption))
			r.Add("cluster/kubeadm.yaml", []byte(c.cluster))
			l, err := lint.New(lint.Config{Rules: []*lint.Rule{rules.KL221}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.LintObject(context.Background(), lint.Source{Name: c.file, Data: []byte(encryption)},
				lint.ObjectOptions{Related: r})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(res.Findings); got != c.want {
				t.Errorf("%d findings, want %d: %v", got, c.want, res.Findings)
			}
		})
	}
}
