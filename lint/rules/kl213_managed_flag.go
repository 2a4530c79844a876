package rules

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL213 = &lint.Rule{
	ID:       "KL213",
	Name:     "managed-flag-override",
	Summary:  "an extraArgs flag overrides one that kubeadm derives from the configuration, and the two disagree",
	Severity: lint.SeverityError,
	Also:     []lint.Severity{lint.SeverityWarning},
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c == nil {
			return
		}
		for _, l := range controlPlaneArgs(c) {
			if l.Component != release.APIServer && l.Component != release.ControllerManager {
				continue
			}
			if v, i, ok := l.Get("service-cluster-ip-range"); ok && !sameSubnets(v, c.Networking.ServiceSubnet) {
				p.Report(cdoc, lint.Finding{Path: l.At(i) + ".value",
					Message: fmt.Sprintf("service-cluster-ip-range %q differs from networking.serviceSubnet %q", v, c.Networking.ServiceSubnet),
					Hint:    "set networking.serviceSubnet instead, from which kubeadm also takes the API server certificate's and CoreDNS's Service IPs"})
			}
		}
		api := args{Path: "apiServer.extraArgs", Args: c.APIServer.ExtraArgs}
		if v, i, ok := api.Get("etcd-servers"); ok && c.Etcd.External == nil {
			p.Report(cdoc, lint.Finding{Path: api.At(i) + ".value", Severity: lint.SeverityWarning,
				Message: fmt.Sprintf("etcd-servers %q points the API server away from the etcd that kubeadm runs on this node", v),
				Hint:    "describe the external etcd in etcd.external instead"})
		}
		init := p.File.Init()
		idoc := p.File.Doc(lint.KindInit)
		if init == nil || idoc == nil {
			return
		}
		if v, i, ok := api.Get("advertise-address"); ok && idoc.Has("localAPIEndpoint.advertiseAddress") && v != init.LocalAPIEndpoint.AdvertiseAddress {
			p.Report(cdoc, lint.Finding{Path: api.At(i) + ".value", Severity: lint.SeverityWarning,
				Message: fmt.Sprintf("advertise-address %q differs from localAPIEndpoint.advertiseAddress %q", v, init.LocalAPIEndpoint.AdvertiseAddress),
				Hint:    "set only localAPIEndpoint.advertiseAddress, which kubeadm also puts in the API server's certificate and its health checks"})
		}
		if v, i, ok := api.Get("secure-port"); ok && v != strconv.Itoa(int(init.LocalAPIEndpoint.BindPort)) {
			p.Report(cdoc, lint.Finding{Path: api.At(i) + ".value",
				Message: fmt.Sprintf("secure-port %q differs from localAPIEndpoint.bindPort %d", v, init.LocalAPIEndpoint.BindPort),
				Hint:    "set only localAPIEndpoint.bindPort, where kubeadm's kubeconfigs and health checks reach the API server, or kubeadm waits for it forever"})
		}
	},
	Doc: doc(`
kubeadm derives some of the control plane's flags from the configuration and writes the same
values into certificates, kubeconfig files and add-ons. An extraArgs entry overrides the flag
but not the rest, and the cluster then disagrees with itself:
- service-cluster-ip-range (API server or controller-manager) other than networking.serviceSubnet:
  the API server's certificate names the first Service IP of serviceSubnet, and CoreDNS's Service
  gets an address outside the API server's range, so 'kubeadm init' fails at the DNS add-on;
- secure-port other than localAPIEndpoint.bindPort: kubeadm's health checks and the admin and
  component kubeconfigs use bindPort, and 'kubeadm init' waits forever;
- etcd-servers while etcd is local (a warning): the API server leaves the etcd kubeadm set up;
  etcd.external is how kubeadm learns about an external etcd, its certificates included;
- advertise-address other than localAPIEndpoint.advertiseAddress (a warning): the address in the
  certificate and in kubeadm's checks is not the one the API server publishes.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  serviceSubnet: 10.96.0.0/12
apiServer:
  extraArgs:
  - name: service-cluster-ip-range
    value: 10.100.0.0/16`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  serviceSubnet: 10.100.0.0/16`, `kubeadm's control-plane manifests (cmd/kubeadm/app/phases/controlplane); the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane").`),
}

// sameSubnets compares two comma-separated CIDR lists as sets of networks.
func sameSubnets(a, b string) bool {
	norm := func(s string) []string {
		var out []string
		for _, n := range subnets(s) {
			out = append(out, n.String())
		}
		slices.Sort(out)
		return out
	}
	na, nb := norm(a), norm(b)
	return len(na) > 0 && slices.Equal(na, nb) || len(na) == 0 && a == b
}
