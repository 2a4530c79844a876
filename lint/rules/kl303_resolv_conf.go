package rules

import (
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL303 = &lint.Rule{
	ID:       "KL303",
	Name:     "resolv-conf-loop",
	Summary:  "the kubelet's resolvConf is /etc/resolv.conf, which on systemd-resolved hosts makes CoreDNS loop",
	Severity: lint.SeverityWarning,
	Also:     []lint.Severity{lint.SeverityError},
	Kinds:    []string{lint.KindKubelet},
	Run: func(p *lint.Pass) {
		kc := p.File.Kubelet()
		if kc == nil || kc.ResolverConfig == nil || *kc.ResolverConfig != "/etc/resolv.conf" {
			return
		}
		if h := p.Options.Host; h != nil && h.ResolvConfLoopback {
			p.Report(p.Doc, lint.Finding{Path: "resolvConf", Severity: lint.SeverityError,
				Message: "resolvConf is /etc/resolv.conf, whose nameserver on this host is a loopback address",
				Hint:    "use /run/systemd/resolve/resolv.conf, or CoreDNS forwards to itself and CrashLoops with 'loop detected'"})
			return
		}
		p.Report(p.Doc, lint.Finding{Path: "resolvConf",
			Message: "resolvConf is /etc/resolv.conf, which kubeadm will not replace",
			Hint:    "use /run/systemd/resolve/resolv.conf on hosts with systemd-resolved, whose stub at 127.0.0.53 makes CoreDNS loop"})
	},
	Doc: doc(`
CoreDNS forwards queries to the nameservers in the resolv.conf the kubelet gives it. With
systemd-resolved (Ubuntu, Fedora and others), /etc/resolv.conf names the local stub 127.0.0.53,
which inside the CoreDNS Pod is CoreDNS itself: the loop plugin detects the cycle and CoreDNS
CrashLoops. kubeadm picks /run/systemd/resolve/resolv.conf when systemd-resolved runs, but keeps
a resolvConf the user set. With --host the rule reads the machine's /etc/resolv.conf and makes
this an error when its nameserver is a loopback address.`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
resolvConf: /etc/resolv.conf`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
resolvConf: /run/systemd/resolve/resolv.conf`, `the kubeadm troubleshooting guide ("coredns pods have CrashLoopBackOff or Error state"); kubernetes/kubeadm#273, #1162; coredns/coredns#2087.`),
}
