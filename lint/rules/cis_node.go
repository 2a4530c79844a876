package rules

import (
	"fmt"
	"strings"

	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
)

// The CIS controls of sections 4.2 (kubelet) and 4.3 (kube-proxy), on KubeletConfiguration and
// KubeProxyConfiguration as the components run them: kubeadm's defaults, then their own.
// Controls that kubeadm enforces whatever the file says (4.2.3 clientCAFile, 4.2.10
// rotateCertificates) or that the kubelet's defaulting makes unfailable from a file (4.2.5, where
// 0 means the default of 4h) have no rule; docs/cis.md lists them.
var (
	KL745 = cisRule(control{id: "KL745", name: "cis-kubelet-anonymous-auth", cis: "4.2.1",
		summary: "the kubelet accepts anonymous requests",
		kubelet: func(k *kubeletView) *violation {
			if e := k.Authentication.Anonymous.Enabled; e != nil && *e {
				return &violation{path: "authentication.anonymous.enabled", msg: "kubelet authentication.anonymous.enabled is true", hint: "set it to false, as kubeadm does, or anyone who reaches port 10250 may call the kubelet's API"}
			}
			return nil
		},
		why: `Anonymous requests to the kubelet's API on port 10250 can read pods and logs, and exec into containers where authorization allows it. kubeadm writes false.`,
		bad: "authentication:\n  anonymous:\n    enabled: true\n", good: "authentication:\n  anonymous:\n    enabled: false\n"})
	KL746 = cisRule(control{id: "KL746", name: "cis-kubelet-authorization-mode", cis: "4.2.2",
		summary: "the kubelet authorizes every request",
		kubelet: func(k *kubeletView) *violation {
			if k.Authorization.Mode == kubeletv1beta1.KubeletAuthorizationModeAlwaysAllow {
				return &violation{path: "authorization.mode", msg: "kubelet authorization.mode is AlwaysAllow", hint: "set it to Webhook, as kubeadm does, so that the API server authorizes each call"}
			}
			return nil
		},
		why: `With AlwaysAllow every authenticated caller may use the whole kubelet API. kubeadm writes Webhook.`,
		bad: "authorization:\n  mode: AlwaysAllow\n", good: "authorization:\n  mode: Webhook\n"})
	KL747 = cisRule(control{id: "KL747", name: "cis-kubelet-read-only-port", cis: "4.2.4", manual: true,
		summary: "the kubelet serves its read-only port",
		kubelet: func(k *kubeletView) *violation {
			if k.ReadOnlyPort != 0 {
				return &violation{path: "readOnlyPort", msg: fmt.Sprintf("kubelet readOnlyPort is %d", k.ReadOnlyPort), hint: "set it to 0 or remove it, as the read-only port serves pod and node data without authentication"}
			}
			return nil
		},
		why: `The read-only port, 10255 when set, serves pods and node data without authentication or authorization. kubeadm leaves it at 0, off.`,
		bad: "readOnlyPort: 10255\n", good: "readOnlyPort: 0\n"})
	KL748 = cisRule(control{id: "KL748", name: "cis-kubelet-iptables-util-chains", cis: "4.2.6",
		summary: "the kubelet does not manage its iptables chains",
		kubelet: func(k *kubeletView) *violation {
			if m := k.MakeIPTablesUtilChains; m != nil && !*m {
				return &violation{path: "makeIPTablesUtilChains", msg: "kubelet makeIPTablesUtilChains is false", hint: "set it to true or remove it, so that the kubelet keeps its iptables chains in line with the pods' networking"}
			}
			return nil
		},
		why: `With makeIPTablesUtilChains the kubelet maintains the iptables chains that drop martian and marked packets. It is on by default.`,
		bad: "makeIPTablesUtilChains: false\n", good: "makeIPTablesUtilChains: true\n"})
	KL749 = cisRule(control{id: "KL749", name: "cis-kubelet-hostname-override", cis: "4.2.7", manual: true,
		summary: "the kubelet's hostname is overridden",
		node: func(a args) *violation {
			if v, i, ok := a.Get("hostname-override"); ok {
				return &violation{index: i, msg: fmt.Sprintf("kubelet hostname-override is %q", v), hint: "remove it and let the node name be the host name, or set nodeRegistration.name, as TLS between the API server and the kubelet relies on it"}
			}
			return nil
		},
		why: `hostname-override gives the node a name that differs from the host's, which breaks TLS
between the API server and the kubelet where certificates name the host. kubeadm itself adds the
flag when nodeRegistration.name differs from the host name, which the configuration cannot show.`,
		bad: "nodeRegistration:\n  kubeletExtraArgs:\n  - name: hostname-override\n    value: worker-1\n", good: "nodeRegistration:\n  name: worker-1\n"})
	KL750 = cisRule(control{id: "KL750", name: "cis-kubelet-serving-certificate", cis: "4.2.9", manual: true, failsByDefault: true,
		summary: "the kubelet serves a self-signed certificate",
		kubelet: func(k *kubeletView) *violation {
			if k.ServerTLSBootstrap || k.TLSCertFile != "" && k.TLSPrivateKeyFile != "" {
				return nil
			}
			return &violation{path: "serverTLSBootstrap", msg: "the kubelet has neither serverTLSBootstrap nor tlsCertFile and tlsPrivateKeyFile", hint: "set serverTLSBootstrap: true and approve the kubelet-serving CSRs, or the kubelet serves a self-signed certificate"}
		},
		why: `Without tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap, the kubelet serves a
self-signed certificate that the API server cannot verify (see KL705 and KL902). kubeadm sets
none of them; serverTLSBootstrap: true needs an approver for the kubelet-serving CSRs.`,
		good: "serverTLSBootstrap: true\n"})
	KL751 = cisRule(control{id: "KL751", name: "cis-kubelet-rotate-server-certificate", cis: "4.2.11", manual: true,
		summary: "the kubelet turns RotateKubeletServerCertificate off",
		kubelet: func(k *kubeletView) *violation {
			if on, ok := k.written.FeatureGates["RotateKubeletServerCertificate"]; ok && !on {
				return &violation{path: "featureGates.RotateKubeletServerCertificate", msg: "kubelet feature gate RotateKubeletServerCertificate is false", hint: "remove it, so that the kubelet can renew its serving certificate"}
			}
			return nil
		},
		why: `The RotateKubeletServerCertificate gate lets the kubelet request and renew its serving certificate; it is on by default.`,
		bad: "featureGates:\n  RotateKubeletServerCertificate: false\n", good: "featureGates: {}\n"})
	KL752 = cisRule(control{id: "KL752", name: "cis-kubelet-tls-cipher-suites", cis: "4.2.12", manual: true, failsByDefault: true,
		summary: "the kubelet may use weak TLS cipher suites",
		kubelet: func(k *kubeletView) *violation {
			if len(k.TLSCipherSuites) == 0 {
				return &violation{path: "tlsCipherSuites", msg: "kubelet tlsCipherSuites is not set, so Go's default suites apply", hint: "list strong suites only, such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}
			}
			for i, s := range k.TLSCipherSuites {
				if !contains(kubeletCiphers, s) {
					return &violation{path: fmt.Sprintf("tlsCipherSuites[%d]", i), msg: fmt.Sprintf("kubelet tlsCipherSuites has %s", s), hint: "keep only the benchmark's strong suites: " + strings.Join(kubeletCiphers, ", ")}
				}
			}
			return nil
		},
		why:  `Unless tlsCipherSuites is set, the kubelet accepts Go's default suites, which include suites the benchmark does not count as strong.`,
		good: "tlsCipherSuites:\n- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"})
	KL753 = cisRule(control{id: "KL753", name: "cis-kubelet-pod-pids-limit", cis: "4.2.13", manual: true, failsByDefault: true,
		summary: "pods may start unlimited processes",
		kubelet: func(k *kubeletView) *violation {
			if k.PodPidsLimit == nil || *k.PodPidsLimit <= 0 {
				return &violation{path: "podPidsLimit", msg: "kubelet podPidsLimit is not set, so a pod may exhaust the node's PIDs", hint: "set podPidsLimit to a number that suits the workloads, such as 4096"}
			}
			return nil
		},
		why:  `Without podPidsLimit one pod can fork until the node runs out of process IDs. The default, -1, sets no limit.`,
		good: "podPidsLimit: 4096\n"})
	KL754 = cisRule(control{id: "KL754", name: "cis-kubelet-seccomp-default", cis: "4.2.14", manual: true, failsByDefault: true,
		summary: "containers run without a seccomp profile by default",
		kubelet: func(k *kubeletView) *violation {
			if k.SeccompDefault == nil || !*k.SeccompDefault {
				return &violation{path: "seccompDefault", msg: "kubelet seccompDefault is off, so containers run Unconfined by default", hint: "set seccompDefault: true, so that containers get the runtime's default profile"}
			}
			return nil
		},
		why:  `With seccompDefault the kubelet gives every container the runtime's default seccomp profile unless the pod asks for another. It is off by default.`,
		good: "seccompDefault: true\n"})

	KL755 = cisRule(control{id: "KL755", name: "cis-kube-proxy-metrics-bind-address", cis: "4.3.1",
		summary: "kube-proxy serves metrics beyond localhost",
		proxy: func(kp *kubeproxyv1alpha1.KubeProxyConfiguration) *violation {
			if !strings.HasPrefix(kp.MetricsBindAddress, "127.0.0.1:") && !strings.HasPrefix(kp.MetricsBindAddress, "[::1]:") {
				return &violation{path: "metricsBindAddress", msg: fmt.Sprintf("kube-proxy metricsBindAddress is %q", kp.MetricsBindAddress), hint: "bind it to 127.0.0.1:10249, the default, and scrape it from the node, as the metrics endpoint has no authentication"}
			}
			return nil
		},
		why: `kube-proxy's metrics endpoint has no authentication. It binds to 127.0.0.1:10249 by default;
setting 0.0.0.0:10249 for Prometheus exposes it to the network.`,
		bad: "metricsBindAddress: 0.0.0.0:10249\n", good: "metricsBindAddress: 127.0.0.1:10249\n"})
)

// kubeletCiphers are the suites control 4.2.12 accepts.
var kubeletCiphers = []string{
	"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
}
