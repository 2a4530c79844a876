package rules

import (
	"net/url"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL402 = &lint.Rule{
	ID:       "KL402",
	Name:     "certsan-format",
	Summary:  "a certSANs entry carries a URL scheme, a port or a path",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		for i, san := range c.APIServer.CertSANs {
			host, what := sanHost(san)
			if what == "" {
				continue
			}
			path := lint.PathIndex("apiServer.certSANs", i)
			p.Report(p.Doc, lint.Finding{
				Path:    path,
				Message: "certSAN " + quote(san) + " has " + what,
				Hint:    "use " + quote(host) + ", as a SAN is a bare DNS name or IP address",
				Fixes:   []lint.Fix{{Message: "keep only the host", Edits: []lint.Edit{{Path: path, Value: host}}}},
			})
		}
	},
	Doc: doc(`
Subject Alternative Names are host names and IP addresses only. An entry copied from a URL, such
as https://k8s.example.com:6443, is rejected by kubeadm's validation with a long generic message
(KL008); this rule says what is wrong and offers the fix. The same mistake in advertiseAddress is
kubernetes/kubeadm#1159.`, `
apiServer:
  certSANs:
  - https://k8s.example.com:6443`, `
apiServer:
  certSANs:
  - k8s.example.com`, `kubernetes/kubeadm#1159; x509 SAN rules (RFC 5280).`),
}

// sanHost returns the host inside a SAN written as a URL or host:port, and what was extra.
func sanHost(san string) (host, extra string) {
	var parts []string
	s := san
	if u, err := url.Parse(san); err == nil && u.Scheme != "" && u.Host != "" {
		parts = append(parts, "a scheme")
		s = u.Host
		if u.Path != "" && u.Path != "/" {
			parts = append(parts, "a path")
		}
	} else if i := strings.IndexByte(s, '/'); i >= 0 && netutils.ParseIPSloppy(s) == nil {
		parts = append(parts, "a path")
		s = s[:i]
	}
	if h, port, ok := strings.Cut(s, ":"); ok && netutils.ParseIPSloppy(s) == nil && port != "" && !strings.Contains(port, ":") {
		parts = append(parts, "a port")
		s = h
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(strings.SplitN(s, "]", 2)[0]+"]", "]") && netutils.ParseIPSloppy(strings.Trim(s, "[]")) != nil {
		s = strings.Trim(s, "[]")
	}
	return s, strings.Join(parts, " and ")
}
