package rules

import (
	"fmt"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// KL014 sits with the KL0xx rules of kubeadm's own values: it is about a file that is still
// kubeadm's template, whichever field shows it, and not about networking, the node or security
// alone.
var KL014 = &lint.Rule{
	ID:       "KL014",
	Name:     "placeholder-value",
	Summary:  "a value is a placeholder that 'kubeadm config print' and the kubeadm docs ship",
	Severity: lint.SeverityWarning,
	Run: func(p *lint.Pass) {
		ph := placeholders(p.Options)
		var doc *lint.Document
		tokenSeen := false
		report := func(path, what, value, hint string) bool {
			if value == "" || !doc.Has(path) {
				return false
			}
			p.Report(doc, lint.Finding{Path: path,
				Message: fmt.Sprintf("%s %q is kubeadm's placeholder", what, value), Hint: hint})
			return true
		}
		address := func(path, value string) {
			if value == ph["AdvertiseAddress"] {
				report(path, "advertiseAddress", value, "set this machine's address on the nodes' network, or remove the field for kubeadm to detect it, as etcd and the API server cannot bind an address the machine does not have")
			}
		}
		name := func(nro *kubeadmapi.NodeRegistrationOptions) {
			if nro.Name == ph["Name"] {
				report("nodeRegistration.name", "node name", nro.Name, "remove the field for kubeadm to use the hostname, or set the name of this machine, as every node made from the defaults registers under the same name")
			}
		}
		// One token is one secret to replace, wherever the file repeats it: the first place.
		token := func(path, value string) {
			if value == ph["Token"] && !tokenSeen {
				tokenSeen = report(path, "bootstrap token", value, "remove the field for kubeadm to generate a token, or use one from 'kubeadm token generate', as anyone who reads kubeadm's docs knows this one and can join a node with it")
			}
		}
		for _, doc = range p.File.Docs {
			switch c := doc.Object.(type) {
			case *kubeadmapi.InitConfiguration:
				address("localAPIEndpoint.advertiseAddress", c.LocalAPIEndpoint.AdvertiseAddress)
				name(&c.NodeRegistration)
				for i, t := range c.BootstrapTokens {
					if t.Token != nil {
						token(lint.PathIndex("bootstrapTokens", i)+".token", t.Token.String())
					}
				}
			case *kubeadmapi.JoinConfiguration:
				if c.ControlPlane != nil {
					address("controlPlane.localAPIEndpoint.advertiseAddress", c.ControlPlane.LocalAPIEndpoint.AdvertiseAddress)
				}
				name(&c.NodeRegistration)
				if bt := c.Discovery.BootstrapToken; bt != nil {
					token("discovery.bootstrapToken.token", bt.Token)
				}
				token("discovery.tlsBootstrapToken", c.Discovery.TLSBootstrapToken)
			}
		}
	},
	Doc: doc(`
'kubeadm config print init-defaults' and the examples of the kubeadm docs fill some fields with
placeholders, to be replaced: the advertiseAddress 1.2.3.4, which no machine of the cluster has,
so etcd and the API server fail to bind it; the node name "node", which every node made from the
same file registers under; and the bootstrap token abcdef.0123456789abcdef, which is published, so
that anyone who can reach the API server can join a node with it. The values are read from the
kubeadm source of each supported release (hack/placeholders).`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
localAPIEndpoint:
  advertiseAddress: 1.2.3.4
nodeRegistration:
  name: node`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.168.10.11
nodeRegistration:
  name: cp-1`, `kubeadm's DefaultedStaticInitConfiguration and PlaceholderToken (cmd/kubeadm/app/util/config/initconfiguration.go); the kubeadm API docs' examples.`),
}

// placeholders returns the target release's placeholder values, by the Go field of kubeadm's
// types that holds them.
func placeholders(o *lint.Options) map[string]string {
	if o != nil && o.Release() != nil {
		if ph, ok := generatedPlaceholders[o.Release().Name()]; ok {
			return ph
		}
	}
	return generatedPlaceholders[lint.DefaultKubernetesVersion]
}
