package audit

import (
	"cmp"
	"context"
	"slices"
	"time"

	certificatesv1 "k8s.io/api/certificates/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL610 = &lint.Rule{
	ID:       "KL610",
	Name:     "kubelet-serving-csr-unapproved",
	Summary:  "a kubelet's serving certificate request is pending or denied",
	Check:    checkServingCSRs,
	Severity: lint.SeverityWarning,
	Doc: `With ` + "`serverTLSBootstrap: true`" + ` in the KubeletConfiguration, each kubelet asks for its serving
certificate with a CertificateSigningRequest of signer ` + "`kubernetes.io/kubelet-serving`" + `. Nothing in
kubeadm approves those: the controller-manager approves only client certificates. Until someone
does, the kubelet serves no TLS that the API server trusts, and ` + "`kubectl logs`" + `, ` + "`exec`" + ` and
metrics-server fail against the node.

The audit reports requests pending or denied for more than five minutes.

Bad: ` + "`kubectl get csr`" + ` shows ` + "`kubernetes.io/kubelet-serving ... Pending`" + ` for an hour.

Good: approve them after checking them (` + "`kubectl certificate approve NAME`" + `), or run an approver
that checks each request's names and addresses, such as kubelet-csr-approver.

Source: the troubleshooting guide, "metrics-server and kubelet serving certificates";
https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation`,
}

// csrGrace is how long a serving request may wait before it is a finding: an approver running
// in the cluster takes seconds.
const csrGrace = 5 * time.Minute

// servingCSRs checks the kubelets' serving certificate requests. The API server selects them by
// signer, so the pass reads only those.
func (a *auditor) servingCSRs(ctx context.Context) error {
	csrs := a.cfg.Client.CertificatesV1().CertificateSigningRequests()
	// A kubelet asks again when its request is not answered, and the API server removes pending
	// requests only after a day: only each requester's newest request says what it waits for.
	type request struct {
		name    string
		created time.Time
		state   string // "pending", "denied", or "" when approved
	}
	newest := map[string]request{}
	err := list(ctx, a.cfg.PageSize, func(ctx context.Context, o metav1.ListOptions) (page[certificatesv1.CertificateSigningRequest], error) {
		o.FieldSelector = fields.OneTermEqualSelector("spec.signerName", certificatesv1.KubeletServingSignerName).String()
		l, err := csrs.List(ctx, o)
		if err != nil {
			return page[certificatesv1.CertificateSigningRequest]{}, err
		}
		return page[certificatesv1.CertificateSigningRequest]{l.Items, l.Continue}, nil
	}, func(c *certificatesv1.CertificateSigningRequest) {
		a.rep.Checked++
		if c.CreationTimestamp.IsZero() {
			return
		}
		r := request{name: c.Name, created: c.CreationTimestamp.Time, state: "pending"}
		for _, cond := range c.Status.Conditions {
			switch cond.Type {
			case certificatesv1.CertificateApproved:
				r.state = ""
			case certificatesv1.CertificateDenied, certificatesv1.CertificateFailed:
				r.state = "denied"
			}
		}
		user := cmp.Or(c.Spec.Username, "an unnamed user")
		if old, seen := newest[user]; !seen || r.created.After(old.created) {
			newest[user] = r
		}
	})
	if a.forbidden(err, "list", "certificatesigningrequests", "", "the serving certificate check") {
		return nil
	}
	if err != nil {
		return err
	}
	users := make([]string, 0, len(newest))
	for u := range newest {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, user := range users {
		r := newest[user]
		if age := a.cfg.Now.Sub(r.created); r.state != "" && age >= csrGrace {
			a.reportf(KL610, ref("CertificateSigningRequest", "", r.name), "check the request's names and addresses, then: kubectl certificate approve "+r.name,
				"the serving certificate request of %s has been %s for %s", user, r.state, age.Round(time.Minute))
		}
	}
	return nil
}
