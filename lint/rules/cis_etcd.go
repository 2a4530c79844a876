package rules

import "github.com/kubeadm-lint/kubeadm-lint/lint/release"

// The CIS controls of section 2 (etcd), on etcd.local.extraArgs. With external etcd the
// configuration holds none of etcd's flags, and they do not run.
var (
	KL738 = cisRule(control{id: "KL738", name: "cis-etcd-cert-file", cis: "2.1",
		summary: "etcd serves clients without a certificate", component: release.Etcd,
		flag: flagsSet("", "cert-file", "key-file"),
		why:  `Without cert-file and key-file etcd serves its clients, the API server among them, in plain text. kubeadm sets both.`,
		bad:  "cert-file="})
	KL739 = cisRule(control{id: "KL739", name: "cis-etcd-client-cert-auth", cis: "2.2",
		summary: "etcd accepts clients without a certificate", component: release.Etcd,
		flag: flagIs("client-cert-auth", "true", "false", ""),
		why:  `Without client-cert-auth anyone who reaches etcd's client port reads and writes the whole cluster state. kubeadm sets it.`,
		bad:  "client-cert-auth=false"})
	KL740 = cisRule(control{id: "KL740", name: "cis-etcd-auto-tls", cis: "2.3",
		summary: "etcd serves clients with a self-signed certificate", component: release.Etcd,
		flag: flagNot("auto-tls", "true", "false", ", and keep kubeadm's cert-file and key-file"),
		why:  `auto-tls makes etcd generate a self-signed certificate that no client can verify.`,
		bad:  "auto-tls=true"})
	KL741 = cisRule(control{id: "KL741", name: "cis-etcd-peer-cert-file", cis: "2.4",
		summary: "etcd members talk to each other without certificates", component: release.Etcd,
		flag: flagsSet("", "peer-cert-file", "peer-key-file"),
		why:  `Without peer-cert-file and peer-key-file etcd members replicate in plain text. kubeadm sets both.`,
		bad:  "peer-cert-file="})
	KL742 = cisRule(control{id: "KL742", name: "cis-etcd-peer-client-cert-auth", cis: "2.5",
		summary: "etcd accepts peers without a certificate", component: release.Etcd,
		flag: flagIs("peer-client-cert-auth", "true", "false", ""),
		why:  `Without peer-client-cert-auth anything that reaches the peer port can join the etcd cluster. kubeadm sets it.`,
		bad:  "peer-client-cert-auth=false"})
	KL743 = cisRule(control{id: "KL743", name: "cis-etcd-peer-auto-tls", cis: "2.6",
		summary: "etcd talks to peers with a self-signed certificate", component: release.Etcd,
		flag: flagNot("peer-auto-tls", "true", "false", ", and keep kubeadm's peer-cert-file and peer-key-file"),
		why:  `peer-auto-tls makes etcd generate a self-signed peer certificate that no member can verify.`,
		bad:  "peer-auto-tls=true"})
	KL744 = cisRule(control{id: "KL744", name: "cis-etcd-unique-ca", cis: "2.7", manual: true,
		summary: "etcd trusts the cluster's CA", component: release.Etcd,
		flag: differsFrom("trusted-ca-file", release.APIServer, "client-ca-file", ", so that a certificate the cluster CA signs for a user does not open etcd"),
		why:  `If etcd trusts the CA that signs the cluster's client certificates, every user certificate is also an etcd client certificate. kubeadm gives etcd a CA of its own, etcd/ca.crt.`,
		bad:  "trusted-ca-file=/etc/kubernetes/pki/ca.crt"})
)
