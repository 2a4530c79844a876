package audit

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL601 = &lint.Rule{
	ID:       "KL601",
	Name:     "cluster-read-forbidden",
	Summary:  "the audit may not read something a check needs",
	Check:    checkForbidden,
	Severity: lint.SeverityWarning,
	Doc: `A check of ` + "`kubeadm-lint cluster`" + ` could not run because RBAC forbids a request it
makes. The finding names the verb and the resource; the other checks still run.

The audit only reads. ` + "`manifests/audit/clusterrole.yaml`" + ` grants exactly the get and list
permissions it needs, and nothing else:

    kubectl apply -f manifests/audit/

Bad: auditing as a user who may only read ConfigMaps in kube-system reports, among the ConfigMap
findings, ` + "`the node checks did not run: list nodes cluster-wide is forbidden`" + `.

Good: auditing as the ` + "`kubeadm-lint-audit`" + ` ServiceAccount bound to that ClusterRole, as the
CronJob in ` + "`manifests/audit/cronjob.yaml`" + ` does.

Source: the Kubernetes RBAC documentation; ` + "`manifests/audit/clusterrole.yaml`" + `.`,
}

// forbidden turns a request that RBAC refused into a finding naming the missing permission, and
// says whether err was one. what names the checks that could not run.
func (a *auditor) forbidden(err error, verb, resource, namespace, what string) bool {
	if !apierrors.IsForbidden(err) {
		return false
	}
	scope := "cluster-wide"
	if namespace != "" {
		scope = "in " + namespace
	}
	a.denied = append(a.denied, denial{resource: resource,
		hint:    "grant '" + verb + "' on " + resource + " " + scope + "; manifests/audit/clusterrole.yaml grants every permission the audit needs",
		message: fmt.Sprintf("%s did not run: %s %s %s is forbidden", what, verb, resource, scope)})
	return true
}

// denial is a request RBAC refused, for KL601.
type denial struct{ resource, message, hint string }

// reportDenied is KL601's check: the requests the other checks were refused.
func (a *auditor) reportDenied(context.Context) error {
	for _, d := range a.denied {
		a.report(KL601, 0, d.resource, d.message, d.hint)
	}
	return nil
}

// page is one page of a list: its items and the token of the next.
type page[T any] struct {
	items []T
	next  string
}

// maxPages bounds the pages of one list: 2,000 pages of 500 are a million objects, more than any
// cluster holds, while a server that returns a continue token with every page would otherwise
// keep the audit paging for ever.
const maxPages = 2000

// list calls each for every item that fetch lists, a page at a time: only one page of objects is
// in memory at once, whatever the cluster's size.
func list[T any](ctx context.Context, size int64, fetch func(context.Context, metav1.ListOptions) (page[T], error), each func(*T)) error {
	opts := metav1.ListOptions{Limit: size}
	for pages := 1; ; pages++ {
		if pages > maxPages {
			return fmt.Errorf("the list goes on past %d pages of %d; the server keeps answering with a continue token", maxPages, size)
		}
		p, err := fetch(ctx, opts)
		if apierrors.IsNotFound(err) {
			return nil // a kind the server does not serve has nothing to check
		}
		if err != nil {
			return err
		}
		for i := range p.items {
			each(&p.items[i])
		}
		if p.next == "" {
			return nil
		}
		opts.Continue = p.next
	}
}

// get reads one object. ok is false when there is nothing to check: the object is missing, and
// missing, when set, has reported it; or RBAC forbids reading it, which is reported as KL601.
func get[T any](ctx context.Context, a *auditor, fetch func(context.Context, string, metav1.GetOptions) (T, error), name, resource, namespace, what string, missing func()) (obj T, ok bool, err error) {
	obj, err = fetch(ctx, name, metav1.GetOptions{})
	switch {
	case a.forbidden(err, "get", resource, namespace, what):
		return obj, false, nil
	case apierrors.IsNotFound(err):
		if missing != nil {
			missing()
		}
		return obj, false, nil
	case err != nil:
		// The client's error may be only the decoder's ("unexpected end of JSON input").
		where := resource + "/" + name
		if namespace != "" {
			where = resource + "/" + namespace + "/" + name
		}
		return obj, false, fmt.Errorf("reading %s: %w", where, err)
	}
	a.rep.Checked++
	return obj, true, nil
}

// kubeSystemPods lists the Pods of kube-system that selector matches, a page at a time.
func (a *auditor) kubeSystemPods(ctx context.Context, selector string, each func(*corev1.Pod)) error {
	pods := a.cfg.Client.CoreV1().Pods(metav1.NamespaceSystem)
	return list(ctx, a.cfg.PageSize, func(ctx context.Context, o metav1.ListOptions) (page[corev1.Pod], error) {
		o.LabelSelector = selector
		l, err := pods.List(ctx, o)
		if err != nil {
			return page[corev1.Pod]{}, err
		}
		return page[corev1.Pod]{l.Items, l.Continue}, nil
	}, each)
}
