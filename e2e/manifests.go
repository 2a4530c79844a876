package e2e

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// Render builds a kustomization directory, as 'kubectl kustomize' does, into YAML.
func Render(dir string) ([]byte, error) {
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize %s: %w", dir, err)
	}
	return m.AsYaml()
}

// WebhookConfigurations returns the webhook configurations of manifests/base with each
// clientConfig pointed at url instead of the in-cluster Service. Everything else, rules,
// selectors and matchConditions included, is what users deploy.
func WebhookConfigurations(root, url string, caBundle []byte) (*admissionregistrationv1.MutatingWebhookConfiguration, *admissionregistrationv1.ValidatingWebhookConfiguration, error) {
	return WebhookConfigurationsOf(filepath.Join(root, "manifests", "base"), url, caBundle)
}

// WebhookConfigurationsOf is WebhookConfigurations of another kustomization of manifests/,
// such as overlays/cluster-api.
func WebhookConfigurationsOf(dir, url string, caBundle []byte) (*admissionregistrationv1.MutatingWebhookConfiguration, *admissionregistrationv1.ValidatingWebhookConfiguration, error) {
	out, err := Render(dir)
	if err != nil {
		return nil, nil, err
	}
	var (
		mutating   *admissionregistrationv1.MutatingWebhookConfiguration
		validating *admissionregistrationv1.ValidatingWebhookConfiguration
	)
	clientConfig := func(cc *admissionregistrationv1.WebhookClientConfig) error {
		if cc.Service == nil || cc.Service.Path == nil {
			return errors.New("webhook without a service path")
		}
		u := url + *cc.Service.Path
		*cc = admissionregistrationv1.WebhookClientConfig{URL: &u, CABundle: caBundle}
		return nil
	}
	for _, doc := range strings.Split(string(out), "\n---\n") {
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			return nil, nil, err
		}
		switch meta.Kind {
		case "MutatingWebhookConfiguration":
			mutating = &admissionregistrationv1.MutatingWebhookConfiguration{}
			if err := yaml.UnmarshalStrict([]byte(doc), mutating); err != nil {
				return nil, nil, err
			}
			for i := range mutating.Webhooks {
				if err := clientConfig(&mutating.Webhooks[i].ClientConfig); err != nil {
					return nil, nil, err
				}
			}
		case "ValidatingWebhookConfiguration":
			validating = &admissionregistrationv1.ValidatingWebhookConfiguration{}
			if err := yaml.UnmarshalStrict([]byte(doc), validating); err != nil {
				return nil, nil, err
			}
			for i := range validating.Webhooks {
				if err := clientConfig(&validating.Webhooks[i].ClientConfig); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	if mutating == nil || validating == nil {
		return nil, nil, fmt.Errorf("%s lacks a webhook configuration", dir)
	}
	return mutating, validating, nil
}

// Register creates or replaces the webhook configurations.
func Register(ctx context.Context, client kubernetes.Interface, m *admissionregistrationv1.MutatingWebhookConfiguration, v *admissionregistrationv1.ValidatingWebhookConfiguration) error {
	if err := apply(ctx, client.AdmissionregistrationV1().MutatingWebhookConfigurations(), m); err != nil {
		return err
	}
	return apply(ctx, client.AdmissionregistrationV1().ValidatingWebhookConfigurations(), v)
}

// resource is the part of a typed client that apply needs.
type resource[T metav1.Object] interface {
	Get(ctx context.Context, name string, opts metav1.GetOptions) (T, error)
	Create(ctx context.Context, obj T, opts metav1.CreateOptions) (T, error)
	Update(ctx context.Context, obj T, opts metav1.UpdateOptions) (T, error)
}

// apply creates obj, or replaces the stored object of its name.
func apply[T metav1.Object](ctx context.Context, c resource[T], obj T) error {
	old, err := c.Get(ctx, obj.GetName(), metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		_, err = c.Create(ctx, obj, metav1.CreateOptions{})
	case err == nil:
		obj.SetResourceVersion(old.GetResourceVersion())
		_, err = c.Update(ctx, obj, metav1.UpdateOptions{})
	}
	return err
}
