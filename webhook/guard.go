package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/slok/kubewebhook/v2/pkg/model"
	kwhwebhook "github.com/slok/kubewebhook/v2/pkg/webhook"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// guardBody answers 413 to a body over MaxBodyBytes, and 400 to a review without a request.
// kubewebhook dereferences the request without a check, and the panic would cost the client its
// connection with no answer. The check runs only after such a panic, so that a good review pays
// for nothing but one copy of its body; any other panic is this webhook's bug and goes on up.
//
// It also starts the review's clock (withReviewClock), before the body is read.
func guardBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = withReviewClock(r)
		w = &clippedErrors{ResponseWriter: w}
		body, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			http.Error(w, fmt.Sprintf("admission review larger than %d bytes", tooLarge.Limit), http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			http.Error(w, "reading the admission review: "+err.Error(), http.StatusBadRequest)
			return
		}
		defer func() {
			if p := recover(); p != nil {
				if hasRequest(body) {
					panic(p)
				}
				http.Error(w, "the admission review has no request", http.StatusBadRequest)
			}
		}()
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// hasRequest reads the body as kubewebhook's decoder does: JSON, or YAML converted to JSON, with
// case-sensitive field names, the last of duplicates winning.
func hasRequest(body []byte) bool {
	var envelope struct {
		Request *struct{} `json:"request"`
	}
	err := kjson.UnmarshalCaseSensitivePreserveInts(body, &envelope)
	if err != nil {
		if j, yerr := yaml.YAMLToJSON(body); yerr == nil {
			err = kjson.UnmarshalCaseSensitivePreserveInts(j, &envelope)
		}
	}
	return err == nil && envelope.Request != nil
}

// objectDecoder is the decoder kubewebhook turns a review's object into an Unstructured with.
var objectDecoder = serializer.NewCodecFactory(runtime.NewScheme()).UniversalDeserializer()

// tolerant allows, with a warning, a review whose object is not a Kubernetes object at all (no
// kind, not a JSON object), where kubewebhook would answer 500. An API server never sends one;
// anything else that does learns what is wrong instead of seeing a server error. Other errors
// pass through: they are this webhook's bugs.
type tolerant struct {
	next kwhwebhook.Webhook
}

func (t tolerant) ID() string              { return t.next.ID() }
func (t tolerant) Kind() model.WebhookKind { return t.next.Kind() }

func (t tolerant) Review(ctx context.Context, ar model.AdmissionReview) (model.AdmissionResponse, error) {
	resp, err := t.next.Review(ctx, ar)
	if err == nil {
		return resp, nil
	}
	raw := ar.NewObjectRaw
	if ar.Operation == model.OperationDelete {
		raw = ar.OldObjectRaw // as kubewebhook reads it
	}
	_, _, decodeErr := objectDecoder.Decode(raw, nil, &unstructured.Unstructured{})
	if decodeErr == nil {
		return resp, err
	}
	msg := decodeErr.Error()
	if len(msg) > 200 {
		msg = msg[:200] + "..." // the decoder quotes the whole object
	}
	warning := "kubeadm-lint: not reviewed, the object is not a Kubernetes object: " + msg
	if t.next.Kind() == model.WebhookKindMutating {
		return &model.MutatingAdmissionResponse{ID: ar.ID, Warnings: []string{warning}}, nil
	}
	return &model.ValidatingAdmissionResponse{ID: ar.ID, Allowed: true, Warnings: []string{warning}}, nil
}

// maxErrorBody bounds the body of an error answer: decoders quote what they could not read, and
// an answer must not echo a request of megabytes back to whoever sent it.
const maxErrorBody = 1024

// clippedErrors cuts the body of an answer with an error status to maxErrorBody bytes.
type clippedErrors struct {
	http.ResponseWriter
	status  int
	written int
}

func (c *clippedErrors) WriteHeader(status int) {
	c.status = status
	c.ResponseWriter.WriteHeader(status)
}

func (c *clippedErrors) Write(p []byte) (int, error) {
	if c.status < 400 {
		return c.ResponseWriter.Write(p)
	}
	n := len(p)
	if left := maxErrorBody - c.written; len(p) > left {
		p = p[:max(left, 0)]
	}
	c.written += len(p)
	if len(p) > 0 {
		if _, err := c.ResponseWriter.Write(p); err != nil {
			return 0, err
		}
	}
	return n, nil // the rest is dropped on purpose, not failed
}
