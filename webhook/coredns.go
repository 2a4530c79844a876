package webhook

import (
	"context"

	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/mutating"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

// coreDNSMutator applies the guide's fix for CoreDNS in CrashLoopBackOff on SELinux hosts with
// Docker older than 1.13: allowPrivilegeEscalation on the coredns container, and nothing else.
type coreDNSMutator struct {
	enabled bool
}

var containersPath = []string{"spec", "template", "spec", "containers"}

const coreDNSWarning = "kubeadm-lint: set allowPrivilegeEscalation: true on the coredns container (the fix for SELinux hosts with Docker older than 1.13); this weakens the pod's security, remove --coredns-allow-privilege-escalation once the hosts are fixed"

func (m coreDNSMutator) Mutate(_ context.Context, ar *model.AdmissionReview, obj metav1.Object) (*mutating.MutatorResult, error) {
	u, ok := target(ar, obj, "apps", "Deployment", kubeadm.CoreDNSName)
	if !m.enabled || !ok {
		return &mutating.MutatorResult{}, nil
	}
	containers, err := nestedList[corev1.Container](u, containersPath...)
	if err != nil {
		return &mutating.MutatorResult{Warnings: []string{"kubeadm-lint: coredns left unchanged: " + err.Error()}}, nil
	}
	for i, c := range containers {
		if c.Name != kubeadm.CoreDNSPodName {
			continue
		}
		if sc := c.SecurityContext; sc != nil && sc.AllowPrivilegeEscalation != nil && *sc.AllowPrivilegeEscalation {
			return &mutating.MutatorResult{}, nil
		}
		// Edit the unstructured container rather than the typed copy, so that fields this
		// build of k8s.io/api does not know survive.
		raw, _, _ := unstructured.NestedSlice(u.Object, containersPath...)
		container := raw[i].(map[string]any)
		sc, _ := container["securityContext"].(map[string]any)
		if sc == nil {
			sc = map[string]any{}
		}
		sc["allowPrivilegeEscalation"] = true
		container["securityContext"] = sc
		if err := unstructured.SetNestedSlice(u.Object, raw, containersPath...); err != nil {
			return nil, err
		}
		return &mutating.MutatorResult{MutatedObject: u, Warnings: []string{coreDNSWarning}}, nil
	}
	return &mutating.MutatorResult{}, nil
}
