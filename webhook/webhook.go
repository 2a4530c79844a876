// Package webhook is the admission webhook: it keeps the kube-proxy and CoreDNS objects kubeadm
// installs in the state the troubleshooting guide asks for, and lints the ConfigMaps kubeadm
// stores with the CLI's core. It is the only package that imports kubewebhook.
package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	kwhhttp "github.com/slok/kubewebhook/v2/pkg/http"
	kwhprometheus "github.com/slok/kubewebhook/v2/pkg/metrics/prometheus"
	"github.com/slok/kubewebhook/v2/pkg/model"
	kwhwebhook "github.com/slok/kubewebhook/v2/pkg/webhook"
	"github.com/slok/kubewebhook/v2/pkg/webhook/mutating"
	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Routes the API server calls; manifests/base points its webhook configurations at them.
const (
	PathKubeProxy  = "/mutate/kube-proxy"
	PathCoreDNS    = "/mutate/coredns"
	PathConfigMaps = "/validate/configmaps"
	PathClusterAPI = "/validate/cluster-api"
)

// MaxBodyBytes bounds a review. The API server caps objects at 3 MiB in etcd terms; nothing this
// webhook reviews comes close.
const MaxBodyBytes = 3 << 20

const kubeSystem = "kube-system"

// Webhook holds the four reviews. Each is a kubewebhook Webhook, so tests can call Review on
// them directly, and Handler serves them over HTTP.
type Webhook struct {
	KubeProxy  kwhwebhook.Webhook
	CoreDNS    kwhwebhook.Webhook
	ConfigMaps kwhwebhook.Webhook
	ClusterAPI kwhwebhook.Webhook
}

// New builds the reviews from a validated configuration. Metrics go to reg when it is not nil.
func New(cfg Config, logger *slog.Logger, reg prometheus.Registerer) (*Webhook, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	policy, err := cfg.ConfigMaps.policy()
	if err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	linter, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: cfg.ConfigMaps.KubernetesVersion}, Policy: policy})
	if err != nil {
		return nil, err
	}
	capiLint, err := newObjectLinter(cfg.ClusterAPI)
	if err != nil {
		return nil, err
	}
	var rec kwhwebhook.MetricsRecorder
	if reg != nil {
		if rec, err = kwhprometheus.NewRecorder(kwhprometheus.RecorderConfig{Registry: reg}); err != nil {
			return nil, fmt.Errorf("registering metrics: %w", err)
		}
	}
	wrap := func(wh kwhwebhook.Webhook) kwhwebhook.Webhook {
		if rec != nil {
			wh = kwhwebhook.NewMeasuredWebhook(rec, wh)
		}
		return logged{next: tolerant{next: wh}, logger: logger}
	}
	slots := newLintSlots()
	kubeProxy, err := newKubeProxyReview(cfg.KubeProxy.tolerations())
	if err != nil {
		return nil, err
	}
	// Unstructured objects keep every field of the request, so the computed patch holds only
	// what a mutator changed, and an object that does not match its kind is no decode error.
	coreDNS, err := mutating.NewWebhook(mutating.WebhookConfig{ID: "coredns", Obj: &unstructured.Unstructured{},
		Mutator: coreDNSMutator{enabled: cfg.CoreDNS.AllowPrivilegeEscalation}})
	if err != nil {
		return nil, err
	}
	configMaps, err := validating.NewWebhook(validating.WebhookConfig{ID: "configmaps", Obj: &unstructured.Unstructured{},
		Validator: configMapValidator{linter: linter, linting: linting{mode: cfg.ConfigMaps.Mode, cache: newFindingsCache(findingsCacheSize), slots: slots, what: "the ConfigMap's data"}}})
	if err != nil {
		return nil, err
	}
	clusterAPI, err := validating.NewWebhook(validating.WebhookConfig{ID: "cluster-api", Obj: &unstructured.Unstructured{},
		Validator: clusterAPIValidator{lint: capiLint, linting: linting{mode: cfg.ClusterAPI.Mode, cache: newFindingsCache(findingsCacheSize), slots: slots,
			what: "the object (kubectl get -o yaml)", byPath: true}}})
	if err != nil {
		return nil, err
	}
	w := &Webhook{KubeProxy: wrap(kubeProxy), CoreDNS: wrap(coreDNS), ConfigMaps: wrap(configMaps), ClusterAPI: wrap(clusterAPI)}
	return w, nil
}

// Handler serves the four reviews on their paths.
func (w *Webhook) Handler() http.Handler {
	mux := http.NewServeMux()
	for path, wh := range map[string]kwhwebhook.Webhook{PathKubeProxy: w.KubeProxy, PathCoreDNS: w.CoreDNS, PathConfigMaps: w.ConfigMaps, PathClusterAPI: w.ClusterAPI} {
		mux.Handle("POST "+path, guardBody(kwhhttp.MustHandlerFor(kwhhttp.HandlerConfig{Webhook: wh})))
	}
	return http.MaxBytesHandler(mux, MaxBodyBytes)
}

// logged writes one log line per review.
type logged struct {
	next   kwhwebhook.Webhook
	logger *slog.Logger
}

func (l logged) ID() string              { return l.next.ID() }
func (l logged) Kind() model.WebhookKind { return l.next.Kind() }

func (l logged) Review(ctx context.Context, ar model.AdmissionReview) (model.AdmissionResponse, error) {
	start := time.Now()
	resp, err := l.next.Review(ctx, ar)
	attrs := []slog.Attr{
		slog.String("webhook", l.next.ID()),
		slog.String("uid", ar.ID),
		slog.String("namespace", ar.Namespace),
		slog.String("name", ar.Name),
		slog.String("operation", string(ar.Operation)),
		slog.Bool("dryRun", ar.DryRun),
		slog.Duration("duration", time.Since(start)),
	}
	if ar.RequestGVK != nil {
		attrs = append(attrs, slog.String("kind", ar.RequestGVK.Kind))
	}
	switch r := resp.(type) {
	case *model.MutatingAdmissionResponse:
		attrs = append(attrs, slog.Bool("mutated", len(r.JSONPatchPatch) > 2), slog.Int("warnings", len(r.Warnings)))
	case *model.ValidatingAdmissionResponse:
		attrs = append(attrs, slog.Bool("allowed", r.Allowed), slog.Int("warnings", len(r.Warnings)))
	}
	if err != nil {
		l.logger.LogAttrs(ctx, slog.LevelError, "review failed", append(attrs, slog.String("error", err.Error()))...)
		return resp, err
	}
	l.logger.LogAttrs(ctx, slog.LevelInfo, "review", attrs...)
	return resp, nil
}

// target returns obj as the named kube-system object of the given kind, or false. On CREATE the
// object may omit its namespace, so the request's is used.
func target(ar *model.AdmissionReview, obj metav1.Object, group, kind, objName string) (*unstructured.Unstructured, bool) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok || !isWrite(ar) || namespace(ar, obj) != kubeSystem || name(ar, obj) != objName {
		return nil, false
	}
	gvk := u.GroupVersionKind()
	return u, gvk.Group == group && gvk.Kind == kind
}

// isWrite reports a CREATE or UPDATE, the operations the manifests register. Any other review
// carries the old object, which is not this webhook's to change or judge.
func isWrite(ar *model.AdmissionReview) bool {
	return ar.Operation == model.OperationCreate || ar.Operation == model.OperationUpdate
}

func namespace(ar *model.AdmissionReview, obj metav1.Object) string {
	if ar.Namespace != "" {
		return ar.Namespace
	}
	return obj.GetNamespace()
}

func name(ar *model.AdmissionReview, obj metav1.Object) string {
	if ar.Name != "" {
		return ar.Name
	}
	return obj.GetName()
}
