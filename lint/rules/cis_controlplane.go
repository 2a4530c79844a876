package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint/release"

// The CIS controls of sections 1.2 (API server), 1.3 (controller-manager) and 1.4 (scheduler).
var (
	KL701 = cisRule(control{id: "KL701", name: "cis-apiserver-anonymous-auth", cis: "1.2.1", manual: true, failsByDefault: true,
		summary: "the API server accepts anonymous requests", component: release.APIServer,
		flag: unless("authentication-config", flagIs("anonymous-auth", "false", "true", ", or keep anonymous access to /livez, /readyz and /healthz only through authentication-config, as kubeadm's probes and join discovery use it")),
		why: `Anonymous requests reach every endpoint that RBAC grants to system:anonymous or
system:unauthenticated. kubeadm leaves anonymous-auth on because its liveness probes and
'kubeadm join' discovery (the cluster-info ConfigMap) read the API server without credentials,
so anonymous-auth=false alone breaks both; an AuthenticationConfiguration (authentication-config)
can limit anonymous access to /livez, /readyz and /healthz instead.`,
		good: "anonymous-auth=false"})
	KL702 = cisRule(control{id: "KL702", name: "cis-apiserver-token-auth-file", cis: "1.2.2",
		summary: "the API server reads static bearer tokens", component: release.APIServer,
		flag: flagUnset("token-auth-file", ", as static tokens never expire and change only with a restart"),
		why:  `Static tokens from token-auth-file live in a file on the control plane, never expire and need an API server restart to revoke.`,
		bad:  "token-auth-file=/etc/kubernetes/tokens.csv"})
	KL703 = cisRule(control{id: "KL703", name: "cis-apiserver-deny-external-ips", cis: "1.2.3", manual: true, failsByDefault: true,
		summary: "the DenyServiceExternalIPs admission plugin is off", component: release.APIServer,
		flag: listHas("enable-admission-plugins", "DenyServiceExternalIPs", "", ", unless Services need spec.externalIPs"),
		why: `Any user who can create a Service can claim an external IP with spec.externalIPs and intercept
traffic to it (CVE-2020-8554). The DenyServiceExternalIPs admission plugin rejects new external IPs.`,
		good: "enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs"})
	KL704 = cisRule(control{id: "KL704", name: "cis-apiserver-kubelet-client-cert", cis: "1.2.4",
		summary: "the API server has no client certificate for the kubelets", component: release.APIServer,
		flag: flagsSet("", "kubelet-client-certificate", "kubelet-client-key"),
		why:  `Without a client certificate the API server cannot authenticate to the kubelets, whose API then has to accept it some other way. kubeadm sets both flags.`,
		bad:  "kubelet-client-certificate="})
	KL705 = cisRule(control{id: "KL705", name: "cis-apiserver-kubelet-certificate-authority", cis: "1.2.5", failsByDefault: true,
		summary: "the API server does not verify the kubelets' serving certificates", component: release.APIServer,
		flag: flagsSet(", together with serverTLSBootstrap: true and a CSR approver, or 'kubectl logs' and 'exec' fail", "kubelet-certificate-authority"),
		why: `Without kubelet-certificate-authority the API server connects to kubelets without checking
their certificates, open to a man in the middle on the node network. The kubelets must then
serve certificates that CA signed: serverTLSBootstrap: true with an approver for the
kubelet-serving CSRs; KL902 reports the flag without it.`,
		good: "kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt"})
	KL706 = cisRule(control{id: "KL706", name: "cis-apiserver-authorization-always-allow", cis: "1.2.6",
		summary: "the API server authorizes every request", component: release.APIServer,
		flag: listLacks("authorization-mode", "AlwaysAllow", ", as it authorizes every authenticated request"),
		why:  `AlwaysAllow turns authorization off.`,
		bad:  "authorization-mode=AlwaysAllow", good: "authorization-mode=Node,RBAC"})
	KL707 = cisRule(control{id: "KL707", name: "cis-apiserver-authorization-node", cis: "1.2.7",
		summary: "the API server's authorization modes lack Node", component: release.APIServer,
		flag: listHas("authorization-mode", "Node", "authorization-config", ", which limits each kubelet to its own node's objects"),
		why:  `The Node authorizer limits what each kubelet may read and write to the objects of its own node. kubeadm sets Node,RBAC.`,
		bad:  "authorization-mode=RBAC", good: "authorization-mode=Node,RBAC"})
	KL708 = cisRule(control{id: "KL708", name: "cis-apiserver-authorization-rbac", cis: "1.2.8",
		summary: "the API server's authorization modes lack RBAC", component: release.APIServer,
		flag: listHas("authorization-mode", "RBAC", "authorization-config", ""),
		why:  `Without RBAC, Roles and ClusterRoles grant nothing, and kubeadm's own bindings stop working. kubeadm sets Node,RBAC.`,
		bad:  "authorization-mode=Node", good: "authorization-mode=Node,RBAC"})
	KL709 = cisRule(control{id: "KL709", name: "cis-apiserver-event-rate-limit", cis: "1.2.9", manual: true, failsByDefault: true,
		summary: "the EventRateLimit admission plugin is off", component: release.APIServer,
		flag: listHas("enable-admission-plugins", "EventRateLimit", "", ", with its limits in admission-control-config-file (KL216)"),
		why:  `EventRateLimit keeps a flood of Events from one namespace or source from filling etcd. It needs its limits in the file admission-control-config-file names.`,
		good: "enable-admission-plugins=NodeRestriction,EventRateLimit; admission-control-config-file=/etc/kubernetes/admission/config.yaml"})
	KL710 = cisRule(control{id: "KL710", name: "cis-apiserver-always-admit", cis: "1.2.10",
		summary: "the AlwaysAdmit admission plugin is on", component: release.APIServer,
		flag: listLacks("enable-admission-plugins", "AlwaysAdmit", ""),
		why:  `AlwaysAdmit admits every request; it is deprecated and does nothing but weaken admission.`,
		bad:  "enable-admission-plugins=NodeRestriction,AlwaysAdmit", good: "enable-admission-plugins=NodeRestriction"})
	KL711 = cisRule(control{id: "KL711", name: "cis-apiserver-always-pull-images", cis: "1.2.11", manual: true, failsByDefault: true,
		summary: "the AlwaysPullImages admission plugin is off", component: release.APIServer,
		flag: listHas("enable-admission-plugins", "AlwaysPullImages", "", ", so that a pod cannot use a private image another pod pulled"),
		why:  `Without AlwaysPullImages, a pod on a node can run a private image that another pod's credentials pulled there.`,
		good: "enable-admission-plugins=NodeRestriction,AlwaysPullImages"})
	KL712 = cisRule(control{id: "KL712", name: "cis-apiserver-service-account-plugin", cis: "1.2.12",
		summary: "the ServiceAccount admission plugin is disabled", component: release.APIServer,
		flag: listLacks("disable-admission-plugins", "ServiceAccount", ""),
		why:  `The ServiceAccount plugin gives each pod a service account and its token; disabling it leaves pods on whatever they ask for.`,
		bad:  "disable-admission-plugins=ServiceAccount"})
	KL713 = cisRule(control{id: "KL713", name: "cis-apiserver-namespace-lifecycle", cis: "1.2.13",
		summary: "the NamespaceLifecycle admission plugin is disabled", component: release.APIServer,
		flag: listLacks("disable-admission-plugins", "NamespaceLifecycle", ""),
		why:  `NamespaceLifecycle refuses objects in namespaces that do not exist or are being deleted, and protects the system namespaces.`,
		bad:  "disable-admission-plugins=NamespaceLifecycle"})
	KL714 = cisRule(control{id: "KL714", name: "cis-apiserver-node-restriction", cis: "1.2.14",
		summary: "the NodeRestriction admission plugin is off", component: release.APIServer,
		flag: listHas("enable-admission-plugins", "NodeRestriction", "", ", which an override of kubeadm's list drops"),
		why: `NodeRestriction limits the Node and Pod objects a kubelet may change to its own. kubeadm enables
it; setting enable-admission-plugins in extraArgs replaces kubeadm's list, so it must be repeated.`,
		bad: "enable-admission-plugins=AlwaysPullImages", good: "enable-admission-plugins=NodeRestriction,AlwaysPullImages"})
	KL715 = cisRule(control{id: "KL715", name: "cis-apiserver-profiling", cis: "1.2.15", failsByDefault: true,
		summary: "the API server serves profiling data", component: release.APIServer,
		flag: flagIs("profiling", "false", "true", ""),
		why:  `Profiling through /debug/pprof exposes program details and costs CPU; it is on unless turned off.`,
		good: "profiling=false"})
	KL716 = cisRule(control{id: "KL716", name: "cis-apiserver-audit-log-path", cis: "1.2.16", failsByDefault: true,
		summary: "the API server writes no audit log", component: release.APIServer,
		flag: flagsSet(", with audit-policy-file, and extraVolumes for the policy and the log directory (KL215)", "audit-log-path"),
		why: `Without audit-log-path there is no audit trail of who did what. The policy file and the log
directory must also be mounted into the static Pod with apiServer.extraVolumes.`,
		good: "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-policy-file=/etc/kubernetes/audit-policy.yaml"})
	KL717 = cisRule(control{id: "KL717", name: "cis-apiserver-audit-log-maxage", cis: "1.2.17",
		summary: "audit logs are kept for fewer than 30 days", component: release.APIServer,
		flag: withAuditLog(atLeast("audit-log-maxage", 30, auditDefault(366), "")),
		why:  auditWhy("audit-log-maxage", "366 days"),
		bad:  "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-log-maxage=7", good: "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-log-maxage=30"})
	KL718 = cisRule(control{id: "KL718", name: "cis-apiserver-audit-log-maxbackup", cis: "1.2.18",
		summary: "fewer than 10 rotated audit logs are kept", component: release.APIServer,
		flag: withAuditLog(atLeast("audit-log-maxbackup", 10, auditDefault(100), "")),
		why:  auditWhy("audit-log-maxbackup", "100 files"),
		bad:  "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-log-maxbackup=3", good: "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-log-maxbackup=10"})
	KL719 = cisRule(control{id: "KL719", name: "cis-apiserver-audit-log-maxsize", cis: "1.2.19",
		summary: "audit logs rotate below 100 MB", component: release.APIServer,
		flag: withAuditLog(atLeast("audit-log-maxsize", 100, auditDefault(100), "")),
		why:  auditWhy("audit-log-maxsize", "100 MB"),
		bad:  "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-log-maxsize=10", good: "audit-log-path=/var/log/kubernetes/audit/audit.log; audit-log-maxsize=100"})
	KL720 = cisRule(control{id: "KL720", name: "cis-apiserver-service-account-lookup", cis: "1.2.21",
		summary: "the API server accepts tokens of deleted service accounts", component: release.APIServer,
		flag: flagNot("service-account-lookup", "false", "true", ", so that tokens of deleted service accounts stop working"),
		why:  `With service-account-lookup=false, a token stays valid after its service account is deleted.`,
		bad:  "service-account-lookup=false"})
	KL721 = cisRule(control{id: "KL721", name: "cis-apiserver-service-account-key-file", cis: "1.2.22",
		summary: "the API server has no key to verify service account tokens", component: release.APIServer,
		flag: flagsSet("", "service-account-key-file"),
		why:  `service-account-key-file holds the public keys that verify service account tokens, so that keys can be rotated. kubeadm sets it to sa.pub.`,
		bad:  "service-account-key-file="})
	KL722 = cisRule(control{id: "KL722", name: "cis-apiserver-etcd-client-cert", cis: "1.2.23",
		summary: "the API server has no client certificate for etcd", component: release.APIServer,
		flag: flagsSet(", or etcd.external.certFile and keyFile", "etcd-certfile", "etcd-keyfile"),
		why:  `Without a client certificate the API server talks to etcd unauthenticated. kubeadm sets both flags for local etcd, and for external etcd only when etcd.external.certFile and keyFile are given.`,
		bad:  "etcd-certfile="})
	KL723 = cisRule(control{id: "KL723", name: "cis-apiserver-tls-cert", cis: "1.2.24",
		summary: "the API server has no serving certificate", component: release.APIServer,
		flag: flagsSet("", "tls-cert-file", "tls-private-key-file"),
		why:  `Without tls-cert-file and tls-private-key-file the API server serves a self-signed certificate. kubeadm sets both.`,
		bad:  "tls-cert-file="})
	KL724 = cisRule(control{id: "KL724", name: "cis-apiserver-client-ca", cis: "1.2.25",
		summary: "the API server has no CA for client certificates", component: release.APIServer,
		flag: flagsSet("", "client-ca-file"),
		why:  `Without client-ca-file no client certificate authenticates, kubeadm's admin.conf included. kubeadm sets it.`,
		bad:  "client-ca-file="})
	KL725 = cisRule(control{id: "KL725", name: "cis-apiserver-etcd-ca", cis: "1.2.26",
		summary: "the API server does not verify etcd's certificate", component: release.APIServer,
		flag: flagsSet(", or etcd.external.caFile", "etcd-cafile"),
		why:  `Without etcd-cafile the API server cannot verify etcd's serving certificate. kubeadm sets it for local etcd, and for external etcd only when etcd.external.caFile is given.`,
		bad:  "etcd-cafile="})
	KL726 = cisRule(control{id: "KL726", name: "cis-apiserver-encryption-provider-config", cis: "1.2.27", manual: true, failsByDefault: true,
		summary: "secrets are stored in etcd unencrypted", component: release.APIServer,
		flag: flagsSet(", naming an EncryptionConfiguration with aescbc, secretbox or kms, mounted through apiServer.extraVolumes (KL215)", "encryption-provider-config"),
		why:  `Without encryption-provider-config, Secrets are stored in etcd as plain text, and in every etcd backup. The control 1.2.28, which providers the file lists, cannot be checked from the kubeadm configuration.`,
		good: "encryption-provider-config=/etc/kubernetes/encryption/config.yaml"})
	KL727 = cisRule(control{id: "KL727", name: "cis-apiserver-tls-cipher-suites", cis: "1.2.29", manual: true, failsByDefault: true,
		summary: "the API server may use weak TLS cipher suites", component: release.APIServer,
		flag: onlyAmong("tls-cipher-suites", apiserverCiphers, ""),
		why:  `Unless tls-cipher-suites is set, the API server accepts Go's default suites, which include suites the benchmark does not count as strong.`,
		good: "tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"})
	KL728 = cisRule(control{id: "KL728", name: "cis-apiserver-extend-token-expiration", cis: "1.2.30", failsByDefault: true,
		summary: "the API server extends the expiry of service account tokens", component: release.APIServer,
		flag: flagIs("service-account-extend-token-expiration", "false", "true", ", so that projected tokens expire when they say"),
		why:  `By default the API server issues projected service account tokens valid for a year, beyond the expiry the pod asked for, to ease migration; a stolen token then lasts that long.`,
		good: "service-account-extend-token-expiration=false"})

	KL729 = cisRule(control{id: "KL729", name: "cis-controller-manager-terminated-pod-gc", cis: "1.3.1", manual: true, failsByDefault: true,
		summary: "the controller-manager keeps the default number of terminated pods", component: release.ControllerManager,
		flag: flagsSet(", at a number that suits the cluster", "terminated-pod-gc-threshold"),
		why:  `Terminated pods are garbage-collected only past terminated-pod-gc-threshold, 12500 by default; until then they take etcd space and hide in lists.`,
		good: "terminated-pod-gc-threshold=1000"})
	KL730 = cisRule(control{id: "KL730", name: "cis-controller-manager-profiling", cis: "1.3.2", failsByDefault: true,
		summary: "the controller-manager serves profiling data", component: release.ControllerManager,
		flag: flagIs("profiling", "false", "true", ""),
		why:  `Profiling through /debug/pprof exposes program details and costs CPU; it is on unless turned off.`,
		good: "profiling=false"})
	KL731 = cisRule(control{id: "KL731", name: "cis-controller-manager-service-account-credentials", cis: "1.3.3",
		summary: "the controllers share the controller-manager's credentials", component: release.ControllerManager,
		flag: flagNot("use-service-account-credentials", "false", "false", ", so that each controller runs with its own service account and role"),
		why:  `With use-service-account-credentials each controller uses its own service account, and RBAC limits each to what it needs. kubeadm sets it.`,
		bad:  "use-service-account-credentials=false"})
	KL732 = cisRule(control{id: "KL732", name: "cis-controller-manager-service-account-key", cis: "1.3.4",
		summary: "the controller-manager has no key to sign service account tokens", component: release.ControllerManager,
		flag: flagsSet("", "service-account-private-key-file"),
		why:  `service-account-private-key-file signs the service account tokens, so that keys can be rotated. kubeadm sets it to sa.key.`,
		bad:  "service-account-private-key-file="})
	KL733 = cisRule(control{id: "KL733", name: "cis-controller-manager-root-ca", cis: "1.3.5",
		summary: "pods get no root CA to verify the API server", component: release.ControllerManager,
		flag: flagsSet("", "root-ca-file"),
		why:  `root-ca-file is the CA bundle put into each service account's kube-root-ca.crt, with which pods verify the API server. kubeadm sets it.`,
		bad:  "root-ca-file="})
	KL734 = cisRule(control{id: "KL734", name: "cis-controller-manager-rotate-server-certificate", cis: "1.3.6",
		summary: "the controller-manager turns RotateKubeletServerCertificate off", component: release.ControllerManager,
		flag: gateNotFalse("RotateKubeletServerCertificate", ""),
		why:  `The RotateKubeletServerCertificate gate lets kubelets renew their serving certificates; it is on by default.`,
		bad:  "feature-gates=RotateKubeletServerCertificate=false"})
	KL735 = cisRule(control{id: "KL735", name: "cis-controller-manager-bind-address", cis: "1.3.7",
		summary: "the controller-manager serves beyond localhost", component: release.ControllerManager,
		flag: flagIs("bind-address", "127.0.0.1", "0.0.0.0", ", or its unauthenticated health and metrics endpoints face the network"),
		why:  `The controller-manager's secure port serves /healthz and, to authorized clients, /metrics. kubeadm binds it to 127.0.0.1.`,
		bad:  "bind-address=0.0.0.0"})

	KL736 = cisRule(control{id: "KL736", name: "cis-scheduler-profiling", cis: "1.4.1", failsByDefault: true,
		summary: "the scheduler serves profiling data", component: release.Scheduler,
		flag: flagIs("profiling", "false", "true", ""),
		why:  `Profiling through /debug/pprof exposes program details and costs CPU; it is on unless turned off.`,
		good: "profiling=false"})
	KL737 = cisRule(control{id: "KL737", name: "cis-scheduler-bind-address", cis: "1.4.2",
		summary: "the scheduler serves beyond localhost", component: release.Scheduler,
		flag: flagIs("bind-address", "127.0.0.1", "0.0.0.0", ", or its health and metrics endpoints face the network"),
		why:  `The scheduler's secure port serves /healthz and /metrics. kubeadm binds it to 127.0.0.1.`,
		bad:  "bind-address=0.0.0.0"})
)

// apiserverCiphers are the suites control 1.2.29 accepts.
var apiserverCiphers = []string{
	"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
	"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
	"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
}

// unless skips a check when a flag that takes over its subject is set, as authentication-config
// does for anonymous-auth: the control cannot see into the file.
func unless(flag string, check func(*flagView) *violation) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		if _, _, ok := fv.get(flag); ok {
			return nil
		}
		return check(fv)
	}
}

// withAuditLog runs a check of the audit log's rotation only when there is an audit log; KL716
// reports its absence.
func withAuditLog(check func(*flagView) *violation) func(*flagView) *violation {
	return func(fv *flagView) *violation {
		if v, _, ok := fv.get("audit-log-path"); !ok || v == "" {
			return nil
		}
		return check(fv)
	}
}

// auditDefault is an audit-log rotation flag's default: 0 (no limit) before v1.36, and from
// v1.36 maxage 366, maxbackup 100, maxsize 100 (k8s.io/apiserver pkg/server/options/audit.go,
// NewAuditOptions, v0.36.3; kubernetes/kubernetes#136478).
func auditDefault(from36 int) func(minor int) int {
	return func(minor int) int {
		if minor >= 36 {
			return from36
		}
		return 0
	}
}

func auditWhy(flag, def string) string {
	return "Audit logs that rotate away too soon lose the trail an investigation needs. Before v1.36 " + flag +
		" defaulted to 0, which the benchmark fails; from v1.36 it defaults to " + def +
		" (kubernetes/kubernetes#136478), which passes. The rule runs only when audit-log-path is set; kube-bench reads the command line and may still want the flag written out."
}
