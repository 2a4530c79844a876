package audit

import (
	"context"
	"fmt"
	"slices"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

var KL613 = &lint.Rule{
	ID:       "KL613",
	Name:     "admission-webhook-wedges-control-plane",
	Summary:  "an admission webhook can block the control plane's own writes",
	Check:    checkWebhooks,
	Severity: lint.SeverityError,
	Doc: `An admission webhook with ` + "`failurePolicy: Fail`" + ` that sees kube-system objects rejects every
write to them while its backend is down. The backend is usually a Pod in the cluster, so a
cluster that lost it cannot schedule it again: kube-proxy, CoreDNS, leases and the kubeadm
ConfigMaps are all in kube-system, and ` + "`kubeadm upgrade`" + ` stops half-way. A timeout over 10 s holds
each of those writes that long before it fails or passes.

The audit checks every mutating and validating webhook, kubeadm-lint's own included. A webhook
narrowed by an ` + "`objectSelector`" + ` or ` + "`matchConditions`" + ` is taken as meant.

Bad:

    failurePolicy: Fail
    namespaceSelector: {}

Good: ` + "`failurePolicy: Ignore`" + `, or a namespaceSelector that leaves kube-system out:

    namespaceSelector:
      matchExpressions:
      - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}

Source: https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#avoiding-operating-on-the-kube-system-namespace`,
}

// maxWebhookTimeout is the longest timeoutSeconds that does not hold the control plane's writes
// for long; the API's own limit is 30.
const maxWebhookTimeout = 10

// webhookSummary says what keeps the kube-proxy fix, for KL603's hint.
type webhookSummary struct {
	kubeProxyWebhook bool // kubeadm-lint's mutating webhook for kube-proxy
	kubeProxyPolicy  bool // the MutatingAdmissionPolicy that 'kubeadm-lint emit' writes
}

// kubeSystemLabels are the labels every kube-system namespace has, which namespace selectors
// are matched against when the namespace itself may not be read.
var kubeSystemLabels = labels.Set{"kubernetes.io/metadata.name": metav1.NamespaceSystem}

// controlPlaneGroups are the API groups of what the control plane writes in kube-system: Pods,
// ConfigMaps, Secrets and Endpoints, its add-ons' DaemonSets and Deployments, and the leader
// election and node Leases. A webhook that sees none of them cannot wedge it.
var controlPlaneGroups = []string{"", "apps", "coordination.k8s.io", "*"}

// webhooks checks every admission webhook in one pass over each configuration kind, and looks
// for what keeps the kube-proxy fix.
func (a *auditor) webhooks(ctx context.Context) error {
	// Namespace selectors are matched against kube-system's own labels, such as an exemption
	// Gatekeeper's setup adds; without leave to read it, against the labels every one has.
	a.kubeSystem = kubeSystemLabels
	if ns, err := a.cfg.Client.CoreV1().Namespaces().Get(ctx, metav1.NamespaceSystem, metav1.GetOptions{}); err == nil {
		a.kubeSystem = labels.Set(ns.Labels)
		a.rep.Checked++
	}
	adm := a.cfg.Client.AdmissionregistrationV1()
	err := list(ctx, a.cfg.PageSize, func(ctx context.Context, o metav1.ListOptions) (page[admissionregistrationv1.MutatingWebhookConfiguration], error) {
		l, err := adm.MutatingWebhookConfigurations().List(ctx, o)
		if err != nil {
			return page[admissionregistrationv1.MutatingWebhookConfiguration]{}, err
		}
		return page[admissionregistrationv1.MutatingWebhookConfiguration]{l.Items, l.Continue}, nil
	}, func(c *admissionregistrationv1.MutatingWebhookConfiguration) {
		a.rep.Checked++
		for _, w := range c.Webhooks {
			if w.Name == kubeadm.KubeProxyName+"."+kubeadm.WebhookDomain {
				a.webhookStats.kubeProxyWebhook = true
			}
			a.webhook(ref("MutatingWebhookConfiguration", "", c.Name), w.Name, w.FailurePolicy, w.TimeoutSeconds, w.NamespaceSelector, w.ObjectSelector, len(w.MatchConditions) > 0, w.Rules)
		}
	})
	if !a.forbidden(err, "list", "mutatingwebhookconfigurations", "", "the admission webhook checks") && err != nil {
		return err
	}
	err = list(ctx, a.cfg.PageSize, func(ctx context.Context, o metav1.ListOptions) (page[admissionregistrationv1.ValidatingWebhookConfiguration], error) {
		l, err := adm.ValidatingWebhookConfigurations().List(ctx, o)
		if err != nil {
			return page[admissionregistrationv1.ValidatingWebhookConfiguration]{}, err
		}
		return page[admissionregistrationv1.ValidatingWebhookConfiguration]{l.Items, l.Continue}, nil
	}, func(c *admissionregistrationv1.ValidatingWebhookConfiguration) {
		a.rep.Checked++
		for _, w := range c.Webhooks {
			a.webhook(ref("ValidatingWebhookConfiguration", "", c.Name), w.Name, w.FailurePolicy, w.TimeoutSeconds, w.NamespaceSelector, w.ObjectSelector, len(w.MatchConditions) > 0, w.Rules)
		}
	})
	if !a.forbidden(err, "list", "validatingwebhookconfigurations", "", "the admission webhook checks") && err != nil {
		return err
	}
	return a.policy(ctx)
}

// webhook checks one webhook of a configuration. The two configuration kinds share these fields
// but not a type.
func (a *auditor) webhook(object, name string, policy *admissionregistrationv1.FailurePolicyType, timeout *int32, ns, objs *metav1.LabelSelector, conditions bool, rules []admissionregistrationv1.RuleWithOperations) {
	if timeout != nil && *timeout > maxWebhookTimeout {
		a.report(KL613, lint.SeverityWarning, object, fmt.Sprintf("webhook %s holds each write for up to %d s", name, *timeout),
			fmt.Sprintf("set timeoutSeconds to %d or less", maxWebhookTimeout))
	}
	// The API server defaults an unset failurePolicy to Fail.
	if policy != nil && *policy == admissionregistrationv1.Ignore {
		return
	}
	if conditions || objs != nil && (len(objs.MatchLabels) > 0 || len(objs.MatchExpressions) > 0) || !seesControlPlane(rules) {
		return
	}
	if ns != nil {
		sel, err := metav1.LabelSelectorAsSelector(ns)
		if err != nil || !sel.Matches(a.kubeSystem) {
			return
		}
	}
	a.reportf(KL613, object, "set failurePolicy: Ignore, or a namespaceSelector that leaves out kube-system",
		"webhook %s fails closed on kube-system objects, so its outage blocks the control plane's writes", name)
}

// seesControlPlane reports whether any rule can match a write of the control plane's in
// kube-system: a namespaced object of one of controlPlaneGroups, by an operation other than
// CONNECT. cert-manager's webhook, which sees only its own resources, does not.
func seesControlPlane(rules []admissionregistrationv1.RuleWithOperations) bool {
	for _, r := range rules {
		if r.Scope != nil && *r.Scope == admissionregistrationv1.ClusterScope {
			continue
		}
		writes := len(r.Operations) == 0 // the API requires operations; be generous
		for _, op := range r.Operations {
			writes = writes || op != admissionregistrationv1.Connect
		}
		groups := len(r.APIGroups) == 0
		for _, g := range r.APIGroups {
			groups = groups || slices.Contains(controlPlaneGroups, g)
		}
		if writes && groups {
			return true
		}
	}
	return false
}

// policy looks for the MutatingAdmissionPolicy that 'kubeadm-lint emit' writes: v1 from
// Kubernetes v1.36, v1beta1 before. A not-found answer does not say whether the version is
// served at all (client-go names the object in both), so v1beta1 is asked after any.
func (a *auditor) policy(ctx context.Context) error {
	_, err := a.cfg.Client.AdmissionregistrationV1().MutatingAdmissionPolicies().Get(ctx, kubeadm.PolicyName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = a.cfg.Client.AdmissionregistrationV1beta1().MutatingAdmissionPolicies().Get(ctx, kubeadm.PolicyName, metav1.GetOptions{})
	}
	switch {
	case err == nil:
		a.webhookStats.kubeProxyPolicy = true
	case apierrors.IsNotFound(err), apierrors.IsForbidden(err):
		// Not installed, or not ours to know: the hint then names both ways to keep the fix.
	default:
		return err
	}
	return nil
}
