package audit

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"k8s.io/client-go/rest"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL614 = &lint.Rule{
	ID:       "KL614",
	Name:     "certificate-expiry",
	Summary:  "the API server's certificate or the CA the kubeconfig trusts expires soon",
	Check:    checkCertificates,
	Severity: lint.SeverityError,
	Doc: `kubeadm signs the API server's serving certificate for one year and its CA for ten.
` + "`kubeadm upgrade`" + ` renews the certificates, so a cluster that is not upgraded within a year stops
answering: every client, the kubelets included, refuses the expired certificate.

The audit reads the serving certificate from the TLS handshake, and the CA from the kubeconfig
(or the ServiceAccount's CA inside a Pod). Under 30 days left is a warning, under 7 an error.

Bad: a cluster last upgraded eleven months ago, whose API server certificate has 20 days left.

Good: ` + "`kubeadm certs check-expiration`" + `, then ` + "`kubeadm certs renew all`" + ` on each control-plane
node and a restart of the static Pods.

Source: https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/`,
}

// Expiry thresholds: a warning gives a month to plan, an error a week to act.
const (
	expiryWarning = 30 * 24 * time.Hour
	expiryError   = 7 * 24 * time.Hour
)

// certificates checks the API server's serving certificate and the CA the client trusts.
func (a *auditor) certificates(ctx context.Context) error {
	if chain, err := servingChain(ctx, a.cfg.REST); err == nil && len(chain) > 0 {
		a.expiry(a.cfg.REST.Host, "the API server's serving certificate", chain[0])
	}
	for _, ca := range trustedCAs(a.cfg.REST) {
		a.expiry("kubeconfig", fmt.Sprintf("the CA %q the kubeconfig trusts", ca.Subject.CommonName), ca)
	}
	return nil
}

func (a *auditor) expiry(object, what string, c *x509.Certificate) {
	left := c.NotAfter.Sub(a.cfg.Now)
	hint := "renew it: kubeadm certs renew all on each control-plane node, then restart the static Pods"
	date := c.NotAfter.UTC().Format(time.DateOnly)
	switch {
	case left <= 0:
		a.report(KL614, lint.SeverityError, object, fmt.Sprintf("%s expired on %s", what, date), hint)
	case left < expiryError:
		a.report(KL614, lint.SeverityError, object, fmt.Sprintf("%s expires on %s, in %s", what, date, days(left)), hint)
	case left < expiryWarning:
		a.report(KL614, lint.SeverityWarning, object, fmt.Sprintf("%s expires on %s, in %s", what, date, days(left)), hint)
	}
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// servingChain reads the certificates the API server presents. It does not verify them: it only
// reads their dates, and an expired one must be read, not refused.
func servingChain(ctx context.Context, cfg *rest.Config) ([]*x509.Certificate, error) {
	host := cfg.Host
	if !strings.Contains(host, "://") {
		host = "https://" + host // as client-go reads a host without a scheme
	}
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "https" {
		return nil, fmt.Errorf("not an https server: %q", cfg.Host)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{ServerName: cmp.Or(cfg.TLSClientConfig.ServerName, u.Hostname()), InsecureSkipVerify: true}}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return conn.(*tls.Conn).ConnectionState().PeerCertificates, nil
}

// trustedCAs returns the certificates of the CA bundle the client configuration trusts.
func trustedCAs(cfg *rest.Config) []*x509.Certificate {
	data := cfg.TLSClientConfig.CAData
	if len(data) == 0 && cfg.TLSClientConfig.CAFile != "" {
		data, _ = os.ReadFile(cfg.TLSClientConfig.CAFile)
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return out
		}
		if c, err := x509.ParseCertificate(block.Bytes); err == nil && block.Type == "CERTIFICATE" {
			out = append(out, c)
		}
	}
}
