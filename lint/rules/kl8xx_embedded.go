package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint"

// The KL8xx rules are about the objects that carry kubeadm configuration, Cluster API's and
// kind's, rather than the configuration inside them, which every other rule lints.

// reportObjectProblems returns the Run function of a KL8xx rule: it reports what rendering the
// pass's object recorded under code.
func reportObjectProblems(code lint.ProblemCode) func(*lint.Pass) {
	return func(p *lint.Pass) {
		for _, pr := range p.Doc.Problems {
			if pr.Code == code {
				p.Report(p.Doc, lint.Finding{Path: pr.Path, Node: pr.Node, Message: pr.Message, Hint: pr.Hint, Severity: pr.Severity})
			}
		}
		p.Omit(p.Doc, p.Doc.Omitted(code))
	}
}

var capiKinds = []string{lint.KindKubeadmControlPlane, lint.KindKubeadmControlPlaneTemplate, lint.KindKubeadmConfig, lint.KindKubeadmConfigTemplate}

var KL801 = &lint.Rule{
	ID:       "KL801",
	Name:     "embedded-release-unknown",
	Summary:  "the release a Cluster API or kind object runs is one the linter cannot lint its kubeadm configuration at",
	Severity: lint.SeverityWarning,
	Kinds:    lint.CarrierKinds,
	Run:      reportObjectProblems(lint.ProblemEmbeddedRelease),
	Doc: doc(`
The kubeadm configuration inside a KubeadmControlPlane, KubeadmConfig, KubeadmConfigTemplate or
kind Cluster is linted at the release the object will run: a KubeadmControlPlane's spec.version,
the version of the MachineDeployment or MachinePool that references a template in the same run,
else the Cluster's spec.topology.version, else --kubernetes-version; for kind, the node image's
tag. Flags, feature gates and API versions differ by release, so when that release is one the
linter has no tables for, or the version does not parse, the configuration is not linted rather
than linted with another release's facts, and this finding says so.`, `
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  version: v1.29.4
  kubeadmConfigSpec: {}`, `
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  version: v1.36.2
  kubeadmConfigSpec: {}`, `sigs.k8s.io/cluster-api bootstrap/kubeadm/pkg/types/utils.go (KubeVersionToKubeadmAPIGroupVersion)`),
}

var KL802 = &lint.Rule{
	ID:       "KL802",
	Name:     "capi-extra-args-repeated",
	Summary:  "a Cluster API v1beta2 extraArgs list repeats a name, which Cluster API's schema rejects",
	Severity: lint.SeverityError,
	Kinds:    capiKinds,
	Run:      reportObjectProblems(lint.ProblemArgRepeated),
	Doc: doc(`
kubeadm v1beta4 made extraArgs lists so that a flag may be given twice, but Cluster API's
v1beta2 API keeps a validation rule, "extraArgs name must be unique", until v1beta1 is no longer
served (kubernetes-sigs/cluster-api#13853): the API server rejects the object, and users who
migrated from v1beta1 maps hit it (kubernetes-sigs/cluster-api#13339). Join the values into one
entry.`, `
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  version: v1.36.2
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        extraArgs:
        - name: enable-admission-plugins
          value: NodeRestriction
        - name: enable-admission-plugins
          value: EventRateLimit`, `
apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  version: v1.36.2
  kubeadmConfigSpec:
    clusterConfiguration:
      apiServer:
        extraArgs:
        - name: enable-admission-plugins
          value: NodeRestriction,EventRateLimit`, `sigs.k8s.io/cluster-api/api bootstrap/kubeadm/v1beta2/kubeadm_types.go (Arg, the listMapKey and CEL rule on extraArgs)`),
}

var KL803 = &lint.Rule{
	ID:       "KL803",
	Name:     "capi-ignored-field",
	Summary:  "a v1beta1 clusterConfiguration field that Cluster API does not write into the configuration kubeadm reads",
	Severity: lint.SeverityWarning,
	Kinds:    capiKinds,
	Run:      reportObjectProblems(lint.ProblemIgnoredField),
	Doc: doc(`
Cluster API v1beta1 objects still accept clusterConfiguration.networking, kubernetesVersion and
clusterName, but since v1beta2 became the stored version (Cluster API v1.11) the conversion drops
them, and the bootstrap controller writes kubeadm's networking, kubernetesVersion and clusterName
from the Cluster's spec.clusterNetwork, the owner's version and the Cluster's name
(computeClusterConfigurationAndAdditionalData). A subnet set here never reaches kubeadm, and the
cluster comes up with the Cluster's (or kubeadm's default) subnets.`, `
apiVersion: controlplane.cluster.x-k8s.io/v1beta1
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  version: v1.36.2
  kubeadmConfigSpec:
    clusterConfiguration:
      networking:
        podSubnet: 10.244.0.0/16`, `
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c
spec:
  clusterNetwork:
    pods:
      cidrBlocks: [10.244.0.0/16]`, `sigs.k8s.io/cluster-api bootstrap/kubeadm/reconcilers/kubeadmconfig/kubeadmconfig_controller.go (computeClusterConfigurationAndAdditionalData); api/bootstrap/kubeadm/v1beta1/conversion.go`),
}

var KL804 = &lint.Rule{
	ID:       "KL804",
	Name:     "kind-patch-unmatched",
	Summary:  "a kind kubeadmConfigPatches entry matches no document kind generates, so kind ignores it",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindKindCluster},
	Run:      reportObjectProblems(lint.ProblemPatchUnmatched),
	Doc: doc(`
kind applies each kubeadmConfigPatches entry to the documents of the kubeadm configuration it
generates whose kind is the patch's and whose apiVersion, if the patch sets one, is the patch's
(pkg/internal/patch, resource.go). A patch that matches nothing is skipped without a word, so the
setting never reaches kubeadm. kind v0.33 generates kubeadm.k8s.io/v1beta4 for node images of
Kubernetes v1.36 and later and v1beta3 before (pkg/cluster/internal/kubeadm/config.go), so a
patch pinned to v1beta3 stops applying when the node image moves to v1.36. Leave the apiVersion
out: kind then applies the patch to whichever version it generates, and turns a map of extraArgs
into the list v1beta4 wants.`, `
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  image: kindest/node:v1.36.1
kubeadmConfigPatches:
- |
  apiVersion: kubeadm.k8s.io/v1beta3
  kind: ClusterConfiguration
  apiServer:
    extraArgs:
      enable-admission-plugins: NodeRestriction,EventRateLimit`, `
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  image: kindest/node:v1.36.1
kubeadmConfigPatches:
- |
  kind: ClusterConfiguration
  apiServer:
    extraArgs:
      enable-admission-plugins: NodeRestriction,EventRateLimit`, `sigs.k8s.io/kind v0.33.0 pkg/internal/patch/resource.go (matches), pkg/cluster/internal/kubeadm/config.go (Config)`),
}

var KL805 = &lint.Rule{
	ID:       "KL805",
	Name:     "kind-json6902-unmatched",
	Summary:  "a kind kubeadmConfigPatchesJSON6902 target matches no document kind generates, so kind ignores it",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindKindCluster},
	Run:      reportObjectProblems(lint.ProblemJSON6902Unmatched),
	Doc: doc(`
A kubeadmConfigPatchesJSON6902 entry names its target by group, version and kind, and kind
applies it only to a generated document of exactly that apiVersion and kind. As with merge
patches, kind says nothing about one that matches nothing: version v1beta3 stops matching when
the node image moves to Kubernetes v1.36, where kind generates kubeadm.k8s.io/v1beta4.`, `
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  image: kindest/node:v1.36.1
kubeadmConfigPatchesJSON6902:
- group: kubeadm.k8s.io
  version: v1beta3
  kind: ClusterConfiguration
  patch: |
    - op: add
      path: /apiServer/certSANs/-
      value: my-hostname`, `
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  image: kindest/node:v1.36.1
kubeadmConfigPatchesJSON6902:
- group: kubeadm.k8s.io
  version: v1beta4
  kind: ClusterConfiguration
  patch: |
    - op: add
      path: /apiServer/certSANs/-
      value: my-hostname`, `sigs.k8s.io/kind v0.33.0 pkg/internal/patch/matchinfo.go and resource.go`),
}
