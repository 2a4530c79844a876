package webhook

import (
	"context"
	"fmt"
	"strings"

	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/mutating"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

// kubeProxyMutator keeps the guide's tolerations on the kube-proxy DaemonSet. kubeadm init and
// upgrade render the DaemonSet with "operator: Exists", which schedules kube-proxy on nodes the
// cloud-controller-manager has not initialised yet.
type kubeProxyMutator struct {
	want []corev1.Toleration
}

var tolerationsPath = []string{"spec", "template", "spec", "tolerations"}

func (m kubeProxyMutator) Mutate(_ context.Context, ar *model.AdmissionReview, obj metav1.Object) (*mutating.MutatorResult, error) {
	u, ok := target(ar, obj, "apps", "DaemonSet", kubeadm.KubeProxyName)
	if !ok {
		return &mutating.MutatorResult{}, nil
	}
	unchanged := func(err error) (*mutating.MutatorResult, error) {
		return &mutating.MutatorResult{Warnings: []string{"kubeadm-lint: kube-proxy tolerations left unchanged: " + err.Error()}}, nil
	}
	have, err := nestedList[corev1.Toleration](u, tolerationsPath...)
	if err != nil {
		return unchanged(err)
	}
	if kubeadm.SameTolerations(have, m.want) {
		return &mutating.MutatorResult{}, nil
	}
	// A null pod template reads as no tolerations but cannot take new ones.
	if err := setNestedList(u, m.want, tolerationsPath...); err != nil {
		return unchanged(err)
	}
	return &mutating.MutatorResult{MutatedObject: u, Warnings: []string{fmt.Sprintf(
		"kubeadm-lint: kube-proxy tolerations changed from %s to %s, so kube-proxy waits for the cloud-controller-manager to initialise each node (kubernetes/kubeadm#1027)",
		formatTolerations(have), formatTolerations(m.want))}}, nil
}

// formatTolerations writes a list the way kubectl describe does: key=value:effect.
func formatTolerations(ts []corev1.Toleration) string {
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		s := t.Key
		switch {
		case t.Operator == corev1.TolerationOpExists && s == "":
			s = "<all>"
		case t.Operator == corev1.TolerationOpExists:
			s += " exists"
		case t.Value != "":
			s += "=" + t.Value
		}
		if t.Effect != "" {
			s += ":" + string(t.Effect)
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// nestedList reads a list field of an unstructured object as typed items. A missing field is an
// empty list.
func nestedList[T any](u *unstructured.Unstructured, path ...string) ([]T, error) {
	raw, found, err := unstructured.NestedSlice(u.Object, path...)
	if err != nil || !found {
		return nil, err
	}
	out := make([]T, len(raw))
	for i, item := range raw {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s[%d] is not an object", strings.Join(path, "."), i)
		}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, &out[i]); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", strings.Join(path, "."), i, err)
		}
	}
	return out, nil
}

func setNestedList[T any](u *unstructured.Unstructured, items []T, path ...string) error {
	raw := make([]any, len(items))
	for i := range items {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&items[i])
		if err != nil {
			return err
		}
		raw[i] = m
	}
	return unstructured.SetNestedSlice(u.Object, raw, path...)
}
