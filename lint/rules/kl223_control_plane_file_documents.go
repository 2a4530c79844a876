package rules

import (
	"fmt"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL223 = &lint.Rule{
	ID:       "KL223",
	Name:     "control-plane-file-documents",
	Summary:  "a control-plane configuration file holds more than one YAML document, and its component reads only the first",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		first := p.File.First()
		for _, d := range p.File.Docs {
			if d.Component == "" || d.Index == first {
				continue
			}
			p.Report(d, lint.Finding{Path: "kind",
				Message: fmt.Sprintf("%s is not the first document of its file, and %s reads only the first", d.Kind, d.Component),
				Hint:    fmt.Sprintf("move it to a file of its own and name that file in its flag, as %s never reads it here", d.Component)})
		}
	},
	Doc: doc(`
kube-apiserver and kube-scheduler read a configuration file with a YAML decoder that takes the
file's first document and ignores the rest. An audit Policy written after an
EncryptionConfiguration in one file is never read: the flag that names the file gets the first
document, of the wrong kind, and the component exits at start; or the flag names another file and
the policy is silently not the one in force. Comments and an empty part before the first '---' are
no document.

Beside kubeadm's own documents, such a document is foreign to kubeadm and KL001 reports it.`, `
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
---
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - identity: {}`, `
# audit-policy.yaml, named by audit-policy-file; the EncryptionConfiguration has a file of its own.
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata`, `k8s.io/apimachinery's YAML serializer (runtime/serializer/json, yaml.YAMLToJSON reads one document), which every loader of these files uses; k8s.io/apiserver pkg/audit/policy/reader.go.`),
}
