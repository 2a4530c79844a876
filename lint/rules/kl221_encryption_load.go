package rules

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
	apiserverapi "k8s.io/apiserver/pkg/apis/apiserver"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL221 = &lint.Rule{
	ID:       "KL221",
	Name:     "encryption-config-load",
	Summary:  "kube-apiserver would refuse an EncryptionConfiguration when it builds its encryption providers",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindEncryption},
	Run: func(p *lint.Pass) {
		c, ok := object[*apiserverapi.EncryptionConfiguration](p)
		if !ok {
			return
		}
		// getTransformerOverridesAndKMSPluginProbes: a resource that an earlier entry's '*.group'
		// or '*.*' already covers is an error. Within one entry, validation reports the overlap.
		covered := map[schema.GroupResource]int{} // by the entry that names it
		for i, rc := range c.Resources {
			for k, r := range rc.Resources {
				gr := schema.ParseGroupResource(r)
				for _, mask := range []schema.GroupResource{{Group: gr.Group, Resource: "*"}, {Group: "*", Resource: "*"}} {
					if j, ok := covered[mask]; ok && j < i {
						p.Report(p.Doc, lint.Finding{Path: fmt.Sprintf("resources[%d].resources[%d]", i, k),
							Message: fmt.Sprintf("resource %q is masked by earlier rule %q", grYAMLString(gr), grYAMLString(mask)),
							Hint:    fmt.Sprintf("move the entry of %q before the one of %q, or drop it, as kube-apiserver exits at start", r, grYAMLString(mask))})
						break
					}
				}
				if _, ok := covered[gr]; !ok {
					covered[gr] = i
				}
			}
		}
		// kmsPrefixTransformer: a KMS v1 provider (apiVersion unset or v1) needs the KMSv1 gate.
		gate := p.Options.Release().Component(release.APIServer).Gate("KMSv1")
		args, _ := p.File.ReaderArgs()
		if on, set := gateValue(args["feature-gates"], "KMSv1"); gate != nil && (gate.Default || set && on) {
			return // on by default, or turned on by the kubeadm configuration that names this file
		}
		for i, rc := range c.Resources {
			for k, pr := range rc.Providers {
				if pr.KMS == nil || pr.KMS.APIVersion != "v1" {
					continue
				}
				path := fmt.Sprintf("resources[%d].providers[%d].kms", i, k)
				if p.Doc.Has(path + ".apiVersion") {
					path += ".apiVersion"
				}
				hint := fmt.Sprintf("use apiVersion v2 with a KMS v2 plugin, or set KMSv1=true in the kube-apiserver's feature-gates, as kube-apiserver %s exits at start: KMSv1 is deprecated", p.Options.Release().Name())
				if gate == nil {
					hint = fmt.Sprintf("use apiVersion v2 with a KMS v2 plugin, as kube-apiserver %s has no KMSv1 feature gate", p.Options.Release().Name())
				}
				p.Report(p.Doc, lint.Finding{Path: path,
					Message: fmt.Sprintf("kms provider %q uses the KMS v1 API, which needs the KMSv1 feature gate", pr.KMS.Name),
					Hint:    hint})
			}
		}
	},
	Doc: doc(`
kube-apiserver validates its EncryptionConfiguration (KL220) and then builds a transformer for
each resource from the entries in order. Two refusals come only then, and stop it at start:

- a resource that an earlier entry already covers with '*.' (every resource of the core group),
  '*.GROUP' or '*.*' ("resource \"secrets\" is masked by earlier rule \"*.\""): the wildcard entry
  must come last;
- a KMS provider of the v1 API (apiVersion v1, which is also the default when apiVersion is unset)
  without the deprecated KMSv1 feature gate, which is off by default in every supported release.

Both are read from k8s.io/apiserver's encryptionconfig package; the gate's default comes from the
target release's table. When the same lint run holds the ClusterConfiguration whose
encryption-provider-config names the file (by the convention of KL224) and its apiServer
feature-gates turn KMSv1 on, the provider is fine.`, `
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources:
  - '*.'
  providers:
  - identity: {}
- resources:
  - secrets
  providers:
  - kms:
      name: vault
      endpoint: unix:///var/run/kms-plugin/socket.sock`, `
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources:
  - secrets
  providers:
  - kms:
      apiVersion: v2
      name: vault
      endpoint: unix:///var/run/kms-plugin/socket.sock
- resources:
  - '*.'
  providers:
  - identity: {}`, `k8s.io/apiserver v0.37.2 pkg/server/options/encryptionconfig/config.go (getTransformerOverridesAndKMSPluginProbes, kmsPrefixTransformer).`),
}

// grYAMLString writes a group and resource as the encryption configuration does
// (encryptionconfig's grYAMLString).
func grYAMLString(gr schema.GroupResource) string {
	if gr.Group == "" && gr.Resource == "*" {
		return "*."
	}
	return gr.String()
}
