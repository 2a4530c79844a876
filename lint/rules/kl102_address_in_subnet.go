package rules

import (
	"fmt"
	"net"
	"strings"

	netutils "k8s.io/utils/net"

	kubeadmutil "k8s.io/kubernetes/cmd/kubeadm/app/util"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL102 = &lint.Rule{
	ID:       "KL102",
	Name:     "address-in-cluster-subnet",
	Summary:  "a node address, the control-plane endpoint or an IP certSAN lies inside the pod or service subnet",
	Severity: lint.SeverityError,
	Run: func(p *lint.Pass) {
		c, cdoc := clusterConfig(p.File)
		if c == nil {
			return
		}
		type net_ struct {
			name string
			n    *net.IPNet
		}
		var nets []net_
		for _, n := range subnets(c.Networking.PodSubnet) {
			nets = append(nets, net_{"podSubnet", n})
		}
		var svcFirst []net.IP
		for _, n := range subnets(c.Networking.ServiceSubnet) {
			nets = append(nets, net_{"serviceSubnet", n})
			if ip, err := netutils.GetIndexedIP(n, 1); err == nil {
				svcFirst = append(svcFirst, ip)
			}
		}
		// One subnet chosen over the nodes' network is one mistake, however many of the
		// addresses show it: it is reported at the first, and the hint names the others.
		type hit struct {
			doc              *lint.Document
			path, what, addr string
			others           []string
		}
		hits := map[*net.IPNet]*hit{}
		var order []*net.IPNet
		check := func(doc *lint.Document, path, what string, ip net.IP) {
			for _, n := range nets {
				if n.n.Contains(ip) {
					if h := hits[n.n]; h != nil {
						h.others = append(h.others, fmt.Sprintf("%s %s", what, ip))
						return
					}
					hits[n.n] = &hit{doc: doc, path: path, what: what, addr: ip.String()}
					order = append(order, n.n)
					return
				}
			}
		}
		defer func() {
			for _, n := range order {
				h, name := hits[n], "podSubnet"
				if subnetsContain(c.Networking.ServiceSubnet, n) {
					name = "serviceSubnet"
				}
				hint := fmt.Sprintf("choose a %s outside the network of the nodes and endpoints", name)
				if len(h.others) > 0 {
					hint += fmt.Sprintf(", where %s also lie", strings.Join(h.others, ", "))
				}
				p.Report(h.doc, lint.Finding{Path: h.path,
					Message: fmt.Sprintf("%s %s lies inside the %s %s", h.what, h.addr, name, n),
					Hint:    hint})
			}
		}()
		for _, nr := range nodeRegistrations(p.File) {
			if ip := netutils.ParseIPSloppy(nr.AdvertiseAddress); ip != nil && nr.Doc.Has(nr.AdvertisePath) {
				check(nr.Doc, nr.AdvertisePath, "advertiseAddress", ip)
			}
			if v, i, ok := nr.KubeletArgs.Get("node-ip"); ok {
				for _, ip := range ips(v) {
					check(nr.Doc, nr.KubeletArgs.At(i), "node-ip", ip)
				}
			}
		}
		if host, _, err := kubeadmutil.ParseHostPort(c.ControlPlaneEndpoint); err == nil {
			if ip := netutils.ParseIPSloppy(host); ip != nil {
				check(cdoc, "controlPlaneEndpoint", "controlPlaneEndpoint", ip)
			}
		}
	sans:
		for i, san := range c.APIServer.CertSANs {
			ip := netutils.ParseIPSloppy(san)
			if ip == nil {
				continue
			}
			for _, first := range svcFirst {
				if first.Equal(ip) {
					continue sans // the kubernetes Service IP; kubeadm adds it anyway
				}
			}
			check(cdoc, lint.PathIndex("apiServer.certSANs", i), "certSAN", ip)
		}
	},
	Doc: doc(`
Addresses of nodes and of the API server must be reachable outside the cluster's virtual ranges.
An advertiseAddress, node-ip or controlPlaneEndpoint inside the podSubnet or serviceSubnet is
routed by kube-proxy or the CNI instead of the network, so nodes cannot reach the API server once
the CNI is up. An IP certSAN inside those ranges is a sign that one of them was chosen wrongly; the
first Service IP (the kubernetes Service) is allowed, as kubeadm adds it itself.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 10.244.0.10
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.168.10.11
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16`, `the kubeadm troubleshooting guide ("Pods are not accessible via their Service IP"); kubernetes/kubeadm#3312.`),
}

// subnetsContain reports whether n is one of the comma-separated subnets of list.
func subnetsContain(list string, n *net.IPNet) bool {
	for _, s := range subnets(list) {
		if s.String() == n.String() {
			return true
		}
	}
	return false
}
