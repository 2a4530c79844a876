package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL401 = &lint.Rule{
	ID:       "KL401",
	Name:     "insecure-bootstrap",
	Summary:  "discovery skips CA verification, or a bootstrap token never expires",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		if j := p.File.Join(); j != nil && j.Discovery.BootstrapToken != nil && j.Discovery.BootstrapToken.UnsafeSkipCAVerification {
			p.Report(p.File.Doc(lint.KindJoin), lint.Finding{Path: "discovery.bootstrapToken.unsafeSkipCAVerification",
				Message: "unsafeSkipCAVerification is true",
				Hint:    "pin caCertHashes instead, or anyone on the path to the API server can impersonate the control plane"})
		}
		if d := p.File.Doc(lint.KindInit); d != nil && d.Lookup("bootstrapTokens") != nil {
			for i := range d.Lookup("bootstrapTokens").Content {
				path := lint.PathIndex("bootstrapTokens", i)
				if ttl := d.Lookup(path + ".ttl"); ttl != nil && (ttl.Value == "0" || ttl.Value == "0s") {
					p.Report(d, lint.Finding{Path: path + ".ttl",
						Message: "bootstrap token ttl " + ttl.Value + " never expires",
						Hint:    "set a ttl and create tokens when needed, as anyone who reads this one can join nodes forever"})
				}
			}
		}
	},
	Doc: doc(`
Token discovery is safe only when the joining node checks the cluster CA against caCertHashes.
With unsafeSkipCAVerification: true it accepts any CA, so an attacker on the network path can pose
as the API server and harvest the node's credentials. A bootstrap token with ttl 0 never expires;
if it leaks, anyone can add nodes to the cluster for ever.`, `
discovery:
  bootstrapToken:
    apiServerEndpoint: 192.168.10.11:6443
    token: abcdef.0123456789abcdef
    unsafeSkipCAVerification: true`, `
discovery:
  bootstrapToken:
    apiServerEndpoint: 192.168.10.11:6443
    token: abcdef.0123456789abcdef
    caCertHashes:
    - sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`, `kubeadm join documentation (token-based discovery with CA pinning).`),
}
