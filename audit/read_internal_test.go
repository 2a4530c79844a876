package audit

import (
	"context"
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestListStopsPaging: a server that answers every page with a continue token must not keep
// the audit paging for ever.
func TestListStopsPaging(t *testing.T) {
	pages := 0
	err := list(context.Background(), 500, func(context.Context, metav1.ListOptions) (page[int], error) {
		pages++
		return page[int]{items: []int{1}, next: "again"}, nil
	}, func(*int) {})
	if err == nil || !strings.Contains(err.Error(), "continue token") || pages != maxPages {
		t.Errorf("after %d pages: %v, want an error after %d pages naming the continue token", pages, err, maxPages)
	}
}

// TestGetNamesTheObject: a decoding error alone says nothing of what was read.
func TestGetNamesTheObject(t *testing.T) {
	_, ok, err := get(context.Background(), &auditor{}, func(context.Context, string, metav1.GetOptions) (int, error) {
		return 0, errors.New("unexpected end of JSON input")
	}, "kubeadm-config", "configmaps", "kube-system", "the ConfigMap checks", nil)
	if ok || err == nil || !strings.Contains(err.Error(), "configmaps/kube-system/kubeadm-config: unexpected end of JSON input") {
		t.Errorf("ok %v, error %v; want an error naming configmaps/kube-system/kubeadm-config", ok, err)
	}
}
