// Command admission-fixtures writes testdata/admission: AdmissionReviews of the objects kubeadm
// v1.37's own phase code writes, captured from a fake clientset, plus variants the tests need.
//
//	go run ./hack/admission-fixtures
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubeadm-lint/kubeadm-lint/e2e"
)

const dir = "testdata/admission"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "admission-fixtures:", err)
		os.Exit(1)
	}
}

func run() error {
	k, err := e2e.NewKubeadm()
	if err != nil {
		return err
	}
	client := fake.NewClientset()
	for _, phase := range []func() error{
		func() error { return k.UploadConfig(client) },
		func() error { return k.EnsureProxy(client) },
		func() error { return k.EnsureDNS(client) },
	} {
		if err := phase(); err != nil {
			return err
		}
	}
	ctx := context.Background()
	ds, err := client.AppsV1().DaemonSets("kube-system").Get(ctx, "kube-proxy", metav1.GetOptions{})
	if err != nil {
		return err
	}
	dep, err := client.AppsV1().Deployments("kube-system").Get(ctx, "coredns", metav1.GetOptions{})
	if err != nil {
		return err
	}
	cm := func(name string) (*corev1.ConfigMap, error) {
		return client.CoreV1().ConfigMaps("kube-system").Get(ctx, name, metav1.GetOptions{})
	}
	kubeadmConfig, err := cm("kubeadm-config")
	if err != nil {
		return err
	}
	kubeletConfig, err := cm("kubelet-config")
	if err != nil {
		return err
	}
	proxyConfig, err := cm("kube-proxy")
	if err != nil {
		return err
	}
	// The fake clientset stamps managedFields with the current time; the fixtures stay stable
	// without them.
	for _, m := range []metav1.Object{ds, dep, kubeadmConfig, kubeletConfig, proxyConfig} {
		m.SetManagedFields(nil)
	}
	ds.TypeMeta = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}
	dep.TypeMeta = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}
	for _, c := range []*corev1.ConfigMap{kubeadmConfig, kubeletConfig, proxyConfig} {
		c.TypeMeta = metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}
	}

	fixed := ds.DeepCopy()
	fixed.Spec.Template.Spec.Tolerations = []corev1.Toleration{
		{Key: "node-role.kubernetes.io/control-plane", Effect: corev1.TaintEffectNoSchedule},
		{Key: "CriticalAddonsOnly", Operator: corev1.TolerationOpExists},
	}
	other := ds.DeepCopy()
	other.Name = "node-exporter"
	elsewhere := ds.DeepCopy()
	elsewhere.Namespace = "monitoring"
	overlap := kubeadmConfig.DeepCopy()
	overlap.Data["ClusterConfiguration"] = strings.Replace(overlap.Data["ClusterConfiguration"], "podSubnet: 10.244.0.0/16", "podSubnet: 10.96.0.0/16", 1)
	broken := kubeadmConfig.DeepCopy()
	broken.Data["ClusterConfiguration"] = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking: [unclosed\n"

	reviews := []struct {
		file   string
		op     admissionv1.Operation
		obj    runtime.Object
		old    runtime.Object
		dryRun bool
	}{
		{"kube-proxy-create.json", admissionv1.Create, ds, nil, false},
		{"kube-proxy-upgrade.json", admissionv1.Update, ds, fixed, false},
		{"kube-proxy-compliant.json", admissionv1.Update, fixed, fixed, false},
		{"kube-proxy-dry-run.json", admissionv1.Create, ds, nil, true},
		{"daemonset-other-name.json", admissionv1.Create, other, nil, false},
		{"kube-proxy-other-namespace.json", admissionv1.Create, elsewhere, nil, false},
		{"coredns-create.json", admissionv1.Create, dep, nil, false},
		{"kubeadm-config-create.json", admissionv1.Create, kubeadmConfig, nil, false},
		{"kubeadm-config-overlap.json", admissionv1.Update, overlap, kubeadmConfig, false},
		{"kubeadm-config-unparsable.json", admissionv1.Update, broken, kubeadmConfig, false},
		{"kubelet-config-create.json", admissionv1.Create, kubeletConfig, nil, false},
		{"kube-proxy-configmap-create.json", admissionv1.Create, proxyConfig, nil, false},
	}
	for i, r := range reviews {
		review, err := admissionReview(fmt.Sprintf("00000000-0000-0000-0000-%012d", i+1), r.op, r.obj, r.old, r.dryRun)
		if err != nil {
			return fmt.Errorf("%s: %w", r.file, err)
		}
		if err := os.WriteFile(filepath.Join(dir, r.file), review, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func admissionReview(uid string, op admissionv1.Operation, obj, old runtime.Object, dryRun bool) ([]byte, error) {
	meta, err := metaOf(obj)
	if err != nil {
		return nil, err
	}
	gvk := obj.GetObjectKind().GroupVersionKind()
	resource := map[string]string{"DaemonSet": "daemonsets", "Deployment": "deployments", "ConfigMap": "configmaps"}[gvk.Kind]
	req := &admissionv1.AdmissionRequest{
		UID:             types.UID(uid),
		Kind:            metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		Resource:        metav1.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: resource},
		RequestKind:     &metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		RequestResource: &metav1.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: resource},
		Name:            meta.GetName(),
		Namespace:       meta.GetNamespace(),
		Operation:       op,
		UserInfo:        authUser(),
		Object:          runtime.RawExtension{Object: obj},
		DryRun:          &dryRun,
	}
	if old != nil {
		req.OldObject = runtime.RawExtension{Object: old}
	}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request:  req,
	}
	out, err := json.MarshalIndent(review, "", "  ")
	return append(out, '\n'), err
}

func metaOf(obj runtime.Object) (metav1.Object, error) {
	switch o := obj.(type) {
	case *appsv1.DaemonSet:
		return o, nil
	case *appsv1.Deployment:
		return o, nil
	case *corev1.ConfigMap:
		return o, nil
	}
	return nil, fmt.Errorf("unexpected %T", obj)
}

func authUser() authenticationv1.UserInfo {
	return authenticationv1.UserInfo{Username: "kubernetes-admin", Groups: []string{"kubeadm:cluster-admins", "system:authenticated"}}
}
