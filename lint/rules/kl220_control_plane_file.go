package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

var KL220 = &lint.Rule{
	ID:       "KL220",
	Name:     "control-plane-config-file",
	Summary:  "kube-apiserver or kube-scheduler would refuse a configuration file it reads at start",
	Severity: lint.SeverityError,
	Also:     []lint.Severity{lint.SeverityWarning},
	Run:      reportProblems(lint.ProblemComponentFile),
	Doc: doc(`
Hardened clusters hand kube-apiserver and kube-scheduler configuration files of their own through
extraArgs flags and extraVolumes: an EncryptionConfiguration (encryption-provider-config), an audit
Policy (audit-policy-file), an AdmissionConfiguration with PodSecurity's configuration inline
(admission-control-config-file), an AuthenticationConfiguration (authentication-config), an
AuthorizationConfiguration (authorization-config), an EgressSelectorConfiguration
(egress-selector-config-file), a TracingConfiguration (tracing-config-file) and a
KubeSchedulerConfiguration (the scheduler's config). kubeadm copies the flags and mounts the files
without reading them; the component reads them when it starts, and exits on an unknown or
repeated field, a value of the wrong type or a value its validation refuses, while kubeadm waits
for a control plane that never comes up.

The linter reads each of these documents as its component does: strict decoding into the
component's own versioned types, its defaulting, and its own validation functions
(k8s.io/apiserver v0.37.2, k8s.io/pod-security-admission, k8s.io/kubernetes v1.37.2's scheduler),
and reports the component's message at the field. An AdmissionConfiguration's inline
PodSecurityConfiguration is decoded and validated as the PodSecurity plugin does, and a scheduler
profile's plugin arguments as kube-scheduler does. kube-apiserver decodes an audit policy again
leniently when strict decoding fails, so an unknown field there is a warning: the field is
ignored. The keys of an EncryptionConfiguration never appear in a message.`, `
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources:
  - secrets
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: MTIzNDU2Nzg=   # 8 bytes: kube-apiserver exits
  - identity: {}`, `
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources:
  - secrets
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: SkLZ3mvkGv5qLrJ8DOiFG7gGxDbpBCkDFE5nwCNDLkY=   # head -c 32 /dev/urandom | base64
  - identity: {}`, `k8s.io/apiserver pkg/apis/apiserver/validation (ValidateEncryptionConfiguration, ValidateAuthenticationConfiguration, ValidateAuthorizationConfiguration), pkg/apis/audit/validation and pkg/audit/policy/reader.go, pkg/server/egressselector, k8s.io/component-base/tracing/api/v1; k8s.io/pod-security-admission admission/api/validation; k8s.io/kubernetes pkg/scheduler/apis/config/validation and cmd/kube-scheduler/app/options/configfile.go.`),
}
