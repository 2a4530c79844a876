package rules

import (
	"fmt"
	"slices"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL227 = &lint.Rule{
	ID:       "KL227",
	Name:     "kubelet-address-type-unknown",
	Summary:  "a kubelet-preferred-address-types entry that is no node address type, which kube-apiserver skips",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		rel := componentRelease(p, release.APIServer)
		known := rel.Component(release.APIServer).Values("node-address-types")
		if known == nil || rel.StaticPods() == nil {
			return
		}
		fv := newFlagView(c, release.APIServer, rel)
		for _, e := range fv.entries("kubelet-preferred-address-types") {
			if e.index < 0 {
				continue
			}
			var unknown []string
			for _, t := range listed(e.value) {
				if !slices.Contains(known, t) {
					unknown = append(unknown, t)
				}
			}
			for _, t := range unknown {
				hint := "use " + strings.Join(known, ", ")
				if s := release.Nearest(t, known); s != "" {
					hint = fmt.Sprintf("did you mean %q?", s)
				}
				if len(unknown) == len(listed(e.value)) {
					hint += "; with no type it knows, kube-apiserver reaches no kubelet and kubectl logs and exec fail"
				}
				p.Report(p.Doc, lint.Finding{Path: fv.list.At(e.index) + ".value",
					Message: fmt.Sprintf("address type %q is no node address type", t), Hint: hint})
			}
		}
	},
	Doc: doc(`
kube-apiserver reaches a kubelet (for kubectl logs, exec, attach and port-forward, and for the
metrics of 'kubectl top' through the aggregator) at the first of the Node's addresses whose type
is listed in --kubelet-preferred-address-types. Nothing checks the list: a type that is not one a
Node reports (Hostname, InternalIP, ExternalIP, InternalDNS, ExternalDNS) is skipped without a
word, so a typo silently changes which address is used, often to Hostname, which the control
plane may not resolve. A list with no known type leaves every such request failing with "no
preferred addresses found". The types are read per release from the flag's default in
kube-apiserver's options, which lists them all.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: kubelet-preferred-address-types
    value: InternalIp,Hostname`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: kubelet-preferred-address-types
    value: InternalIP,Hostname`, `k8s.io/kubernetes cmd/kube-apiserver/app/options/options.go (NewServerRunOptions), pkg/kubelet/client/kubelet_client.go and pkg/util/node (GetPreferredNodeAddress).`),
}
