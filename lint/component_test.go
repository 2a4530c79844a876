package lint_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"

	"k8s.io/apiserver/pkg/audit/policy"
	"k8s.io/apiserver/pkg/server/egressselector"
	"k8s.io/apiserver/pkg/server/options"
	"k8s.io/apiserver/pkg/server/options/encryptionconfig"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	tracingapi "k8s.io/component-base/tracing/api/v1"
	podsecurityload "k8s.io/pod-security-admission/admission/api/load"
	podsecurityvalidation "k8s.io/pod-security-admission/admission/api/validation"
)

func lintText(t *testing.T, src lint.Source) *lint.Result {
	t.Helper()
	l, err := lint.New(lint.Config{Rules: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Lint(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestEncryptionKeysNeverShown: no finding about an EncryptionConfiguration quotes a key, even
// where the apiserver's validation quotes a whole provider.
func TestEncryptionKeysNeverShown(t *testing.T) {
	secrets := []string{"c2VjcmV0IGlzIHNlY3VyZQ==", "MTIzNDU2Nzg=", "bm90IGEga2V5IGF0IGFsbA", "WVdKalpHVm1aMmhwYW10c2JXNXZjSEZ5YzNSMWRuZDRlWG94TWpNME5UWT0="}
	src := `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: both
        secret: ` + secrets[0] + `
    secretbox:
      keys:
      - name: both
        secret: ` + secrets[1] + `
  - aesgcm:
      keys:
      - name: unpadded
        secret: ` + secrets[2] + `
      - name: long
        secret: ` + secrets[3] + `
        secret: ` + secrets[3] + `
`
	res := lintText(t, lint.Source{Name: "enc.yaml", Data: []byte(src)})
	if len(res.Findings) < 4 {
		t.Fatalf("want findings about every provider, got %v", res.Findings)
	}
	for _, f := range res.Findings {
		for _, s := range secrets {
			if strings.Contains(f.Message, s) || strings.Contains(f.Hint, s) {
				t.Errorf("%s %s quotes a key: %s (hint %q)", f.Pos, f.Rule, f.Message, f.Hint)
			}
		}
	}
}

// TestComponentFileKinds: a walked file that holds only a component's configuration is linted,
// not skipped; beside kubeadm's documents such a document is foreign to kubeadm (KL001).
func TestComponentFileKinds(t *testing.T) {
	policyDoc := "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n"
	tests := []struct {
		name          string
		src           string
		docs, skipped int
		rules         string // the rules of the findings about loading, KL001 and KL220, in order
	}{
		{name: "an audit policy alone is linted", src: policyDoc, docs: 1},
		{name: "comments before its first separator are no document", src: "# the audit policy\n---\n" + policyDoc, docs: 1},
		{name: "a scheduler configuration alone is linted", src: "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n", docs: 1},
		{name: "a version the component does not read is KL001", src: "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n", docs: 1, rules: "KL001"},
		{name: "another kind of the group is not a configuration file", src: "apiVersion: audit.k8s.io/v1\nkind: Event\nlevel: Metadata\n", skipped: 1},
		{name: "beside kubeadm's documents it is foreign to kubeadm", src: "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n" + policyDoc, docs: 2, rules: "KL001"},
		{name: "another object beside it is skipped", src: policyDoc + "---\napiVersion: v1\nkind: ConfigMap\n", docs: 1, skipped: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lintText(t, lint.Source{Name: "f.yaml", Data: []byte(tt.src), Walked: true})
			var rules []string
			for _, f := range res.Findings {
				if f.Rule == "KL001" || f.Rule == "KL220" {
					rules = append(rules, f.Rule)
				}
			}
			if len(res.File.Docs) != tt.docs || res.File.Skipped != tt.skipped || strings.Join(rules, " ") != tt.rules {
				t.Errorf("%d documents, %d skipped, findings %v; want %d, %d, %q", len(res.File.Docs), res.File.Skipped, res.Findings, tt.docs, tt.skipped, tt.rules)
			}
		})
	}
}

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// TestComponentLoaders holds the verdict of KL220 and KL221 on every document of their cases to
// the component's own loader, where the loader can run in a test without a cluster: a document
// gets an error exactly when the loader refuses it.
func TestComponentLoaders(t *testing.T) {
	var files []string
	for _, rule := range []string{"KL220", "KL221"} {
		found, err := filepath.Glob("../testdata/rules/" + rule + "/*.yaml")
		if err != nil || len(found) == 0 {
			t.Fatalf("no cases of %s: %v", rule, err)
		}
		files = append(files, found...)
	}
	loaders := map[string]func(t *testing.T, data []byte) error{
		"EncryptionConfiguration": func(t *testing.T, data []byte) error {
			file := filepath.Join(t.TempDir(), "enc.yaml")
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := encryptionconfig.LoadEncryptionConfig(ctx, file, false, "test")
			return err
		},
		"Policy": func(_ *testing.T, data []byte) error {
			_, err := policy.LoadPolicyFromBytes(data)
			return err
		},
		"PodSecurityConfiguration": func(_ *testing.T, data []byte) error {
			c, err := podsecurityload.LoadFromData(data)
			if err != nil {
				return err
			}
			return podsecurityvalidation.ValidatePodSecurityConfiguration(c).ToAggregate()
		},
		"EgressSelectorConfiguration": func(t *testing.T, data []byte) error {
			file := filepath.Join(t.TempDir(), "egress.yaml")
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := egressselector.ReadEgressSelectorConfiguration(file)
			if err != nil {
				return err
			}
			return egressselector.ValidateEgressSelectorConfiguration(c).ToAggregate()
		},
		"TracingConfiguration": func(t *testing.T, data []byte) error {
			file := filepath.Join(t.TempDir(), "tracing.yaml")
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := options.ReadTracingConfiguration(file)
			if err != nil {
				return err
			}
			return tracingapi.ValidateTracingConfiguration(c, utilfeature.DefaultFeatureGate, nil).ToAggregate()
		},
	}
	kindLine := regexp.MustCompile(`(?m)^kind: (\S+)`)
	checked := map[string]int{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range documentSeparator.Split(string(data), -1) {
			m := kindLine.FindStringSubmatch(doc)
			if m == nil || loaders[m[1]] == nil {
				continue
			}
			if strings.Contains(doc, "kms:") {
				continue // the loader would dial the KMS plugin
			}
			res := lintText(t, lint.Source{Name: "doc.yaml", Data: []byte(doc)})
			var linted []string
			for _, f := range res.Findings {
				if (f.Rule == "KL220" || f.Rule == "KL221") && f.Severity == lint.SeverityError {
					linted = append(linted, f.Message)
				}
			}
			loadErr := loaders[m[1]](t, []byte(doc))
			if (loadErr != nil) != (len(linted) > 0) {
				t.Errorf("%s, document %d (%s): the loader says %v; KL220 errors: %q", filepath.Base(file), i+1, m[1], loadErr, linted)
			}
			checked[m[1]]++
		}
	}
	for kind := range loaders {
		if checked[kind] < 2 {
			t.Errorf("only %d documents of kind %s among the cases: add a good and a bad one", checked[kind], kind)
		}
	}
}

// TestRunFile: a flag's file on the node is the file of the run that ends with the most of its
// path, then the one nearest the kubeadm configuration; a tie is no file.
func TestRunFile(t *testing.T) {
	enc := []byte("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n")
	r := &lint.Related{}
	for _, name := range []string{"prod/encryption.yaml", "staging/encryption.yaml", "prod/etc/kubernetes/audit.yaml", "staging/audit.yaml"} {
		r.Add(name, enc)
	}
	r.Add("prod/kubeadm.yaml", []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"))
	tests := []struct {
		path, from, want string
	}{
		{path: "/etc/kubernetes/encryption.yaml", from: "prod/kubeadm.yaml", want: "prod/encryption.yaml"},
		{path: "/etc/kubernetes/encryption.yaml", from: "staging/kubeadm.yaml", want: "staging/encryption.yaml"},
		{path: "/etc/kubernetes/encryption.yaml", from: "kubeadm.yaml"}, // a tie
		{path: "/etc/kubernetes/audit.yaml", from: "staging/kubeadm.yaml", want: "prod/etc/kubernetes/audit.yaml"},
		{path: "/etc/kubernetes/kubeadm.yaml", from: "prod/kubeadm.yaml"}, // not a control-plane file
		{path: "/etc/kubernetes/tracing.yaml", from: "prod/kubeadm.yaml"},
	}
	for _, tt := range tests {
		got, ok := r.File(tt.path, tt.from)
		if got.Name != tt.want || ok != (tt.want != "") {
			t.Errorf("File(%q, %q) = %q, %v; want %q", tt.path, tt.from, got.Name, ok, tt.want)
		}
	}
}
