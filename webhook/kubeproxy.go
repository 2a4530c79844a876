package webhook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/slok/kubewebhook/v2/pkg/model"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "sigs.k8s.io/json"

	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

// kubeProxyReview keeps the guide's tolerations on the kube-proxy DaemonSet. kubeadm init and
// upgrade render the DaemonSet with "operator: Exists", which schedules kube-proxy on nodes the
// cloud-controller-manager has not initialised yet.
//
// It is a kubewebhook Webhook of its own rather than a mutator: kubewebhook's mutating webhook
// decodes the whole DaemonSet, encodes it again and diffs the two to find the patch, two thirds
// of a review's CPU (bench/notes.md), for a patch that is always the one list. This decodes the
// levels down to the tolerations, each only as far as its keys, and writes that patch itself.
type kubeProxyReview struct {
	want []corev1.Toleration
	// replace is the patch for a DaemonSet that has the list, as kubeadm's does: written once.
	replace []byte
}

func newKubeProxyReview(want []corev1.Toleration) (kubeProxyReview, error) {
	replace, err := json.Marshal([]jsonPatchOp{{Op: "replace", Path: "/" + strings.Join(tolerationsPath, "/"), Value: want}})
	return kubeProxyReview{want: want, replace: replace}, err
}

func (kubeProxyReview) ID() string              { return "kube-proxy" }
func (kubeProxyReview) Kind() model.WebhookKind { return model.WebhookKindMutating }

var (
	tolerationsPath  = []string{"spec", "template", "spec", "tolerations"}
	tolerationsField = strings.Join(tolerationsPath, ".") // for messages
)

func (r kubeProxyReview) Review(_ context.Context, ar model.AdmissionReview) (model.AdmissionResponse, error) {
	resp := &model.MutatingAdmissionResponse{ID: ar.ID}
	raw := ar.NewObjectRaw
	if ar.Operation == model.OperationDelete {
		raw = ar.OldObjectRaw // as kubewebhook reads it
	}
	// What is no Kubernetes object is an error, which tolerant turns into its warning.
	obj, err := jsonObject(raw)
	if err != nil {
		return nil, fmt.Errorf("could not create object from raw: %w", err)
	}
	var apiVersion, kind string
	if err := decodeField(obj, "apiVersion", &apiVersion); err != nil {
		return nil, err
	}
	if err := decodeField(obj, "kind", &kind); err != nil || kind == "" {
		return nil, cmp.Or(err, errors.New("the object has no kind"))
	}
	group, _, _ := strings.Cut(apiVersion, "/")
	if !strings.Contains(apiVersion, "/") {
		group = ""
	}
	if !isWrite(&ar) || group != "apps" || kind != "DaemonSet" {
		return resp, nil
	}
	// The request names the object; a CREATE may leave its namespace, or a generated name, to
	// the object. Metadata that is no object reads as empty, as an Unstructured's does.
	var meta struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	}
	if ar.Namespace == "" || ar.Name == "" {
		if m, ok := obj["metadata"]; ok {
			_ = kjson.UnmarshalCaseSensitivePreserveInts(m, &meta)
		}
	}
	if cmp.Or(ar.Namespace, meta.Namespace) != kubeSystem || cmp.Or(ar.Name, meta.Name) != kubeadm.KubeProxyName {
		return resp, nil
	}
	have, patch, err := r.tolerationsPatch(obj)
	if err != nil {
		resp.Warnings = []string{"kubeadm-lint: kube-proxy tolerations left unchanged: " + err.Error()}
		return resp, nil
	}
	if kubeadm.SameTolerations(have, r.want) {
		return resp, nil
	}
	resp.JSONPatchPatch = patch
	resp.Warnings = []string{fmt.Sprintf(
		"kubeadm-lint: kube-proxy tolerations changed from %s to %s, so kube-proxy waits for the cloud-controller-manager to initialise each node (kubernetes/kubeadm#1027)",
		formatTolerations(have), formatTolerations(r.want))}
	return resp, nil
}

// tolerationsPatch reads the pod template's tolerations and returns the JSON patch that sets
// them to r.want: a replace when the list is there, else an add at the first level missing.
func (r kubeProxyReview) tolerationsPatch(obj map[string]json.RawMessage) ([]corev1.Toleration, []byte, error) {
	value := any(r.want)
	level := obj
	for i, key := range tolerationsPath {
		raw, ok := level[key]
		if !ok {
			// Build what is missing below key, innermost first.
			for j := len(tolerationsPath) - 1; j > i; j-- {
				value = map[string]any{tolerationsPath[j]: value}
			}
			patch, err := json.Marshal([]jsonPatchOp{{Op: "add", Path: "/" + strings.Join(tolerationsPath[:i+1], "/"), Value: value}})
			return nil, patch, err
		}
		if i == len(tolerationsPath)-1 {
			have, err := tolerations(raw)
			return have, r.replace, err
		}
		var err error
		if level, err = jsonObject(raw); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", strings.Join(tolerationsPath[:i+1], "."), err)
		}
	}
	panic("unreachable: the loop returns at the path's last key")
}

// tolerations decodes a toleration list, null as none, each item as the API server would.
func tolerations(raw json.RawMessage) ([]corev1.Toleration, error) {
	var items []json.RawMessage
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, &items); err != nil {
		return nil, fmt.Errorf("%s is not a list", tolerationsField)
	}
	out := make([]corev1.Toleration, len(items))
	for i, item := range items {
		if !isJSONObject(item) {
			return nil, fmt.Errorf("%s[%d] is not an object", tolerationsField, i)
		}
		if err := kjson.UnmarshalCaseSensitivePreserveInts(item, &out[i]); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", tolerationsField, i, err)
		}
	}
	return out, nil
}

type jsonPatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// jsonObject decodes one level of a JSON object, leaving the values undecoded. Keys are
// case-sensitive, the last of duplicates wins, as in the API server.
func jsonObject(raw []byte) (map[string]json.RawMessage, error) {
	if !isJSONObject(raw) {
		return nil, errors.New("not an object")
	}
	var m map[string]json.RawMessage
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func isJSONObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

// decodeField decodes obj[key] into v, leaving v as it is when the key is absent.
func decodeField(obj map[string]json.RawMessage, key string, v any) error {
	raw, ok := obj[key]
	if !ok {
		return nil
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
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
