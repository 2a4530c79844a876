// Package noopwebhook is the yardstick of the webhook benchmarks: kubewebhook reviews that do
// nothing, on the paths kubeadm-lint-webhook serves, so that a benchmark can send the same
// requests, or point the same webhook configurations, at either. What our webhook costs beyond
// it is ours to cut; what it costs itself is the framework's, TLS's and the API server's.
package noopwebhook

import (
	"context"
	"net/http"

	kwhhttp "github.com/slok/kubewebhook/v2/pkg/http"
	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/mutating"
	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// Handler serves a mutating no-op on the webhook's mutating paths and a validating one on its
// validating paths: a mutating review is compared with a mutating no-op, whose framework cost
// differs (kubewebhook diffs the object it decoded against the request to compute a patch, even
// an empty one). Objects decode as unstructured, as ours do.
func Handler() http.Handler {
	mutate := kwhhttp.MustHandlerFor(kwhhttp.HandlerConfig{Webhook: must(mutating.NewWebhook(mutating.WebhookConfig{
		ID: "noop-mutate", Obj: &unstructured.Unstructured{},
		Mutator: mutating.MutatorFunc(func(context.Context, *model.AdmissionReview, metav1.Object) (*mutating.MutatorResult, error) {
			return &mutating.MutatorResult{}, nil
		}),
	}))})
	validate := kwhhttp.MustHandlerFor(kwhhttp.HandlerConfig{Webhook: must(validating.NewWebhook(validating.WebhookConfig{
		ID: "noop-validate", Obj: &unstructured.Unstructured{},
		Validator: validating.ValidatorFunc(func(context.Context, *model.AdmissionReview, metav1.Object) (*validating.ValidatorResult, error) {
			return &validating.ValidatorResult{Valid: true}, nil
		}),
	}))})
	mux := http.NewServeMux()
	for _, p := range []string{webhook.PathKubeProxy, webhook.PathCoreDNS} {
		mux.Handle("POST "+p, mutate)
	}
	for _, p := range []string{webhook.PathConfigMaps, webhook.PathClusterAPI} {
		mux.Handle("POST "+p, validate)
	}
	return http.MaxBytesHandler(mux, webhook.MaxBodyBytes)
}

// must holds for the configurations above, which set every required field.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
