package rules

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// kubeletFlagFields maps kubelet flags to the KubeletConfiguration field they override.
var kubeletFlagFields = map[string]string{
	"cgroup-driver":          "cgroupDriver",
	"cluster-dns":            "clusterDNS",
	"cluster-domain":         "clusterDomain",
	"max-pods":               "maxPods",
	"resolv-conf":            "resolvConf",
	"rotate-certificates":    "rotateCertificates",
	"hairpin-mode":           "hairpinMode",
	"fail-swap-on":           "failSwapOn",
	"read-only-port":         "readOnlyPort",
	"authorization-mode":     "authorization.mode",
	"anonymous-auth":         "authentication.anonymous.enabled",
	"cgroup-root":            "cgroupRoot",
	"eviction-hard":          "evictionHard",
	"feature-gates":          "featureGates",
	"pod-max-pids":           "podPidsLimit",
	"volume-plugin-dir":      "volumePluginDir",
	"tls-cipher-suites":      "tlsCipherSuites",
	"tls-min-version":        "tlsMinVersion",
	"container-log-max-size": "containerLogMaxSize",
	"system-reserved":        "systemReserved",
	"kube-reserved":          "kubeReserved",
	"port":                   "port",
	"address":                "address",
}

var KL309 = &lint.Rule{
	ID:       "KL309",
	Name:     "kubelet-flag-overrides-config",
	Summary:  "a kubeletExtraArgs flag sets what the KubeletConfiguration also sets, and the flag wins",
	Severity: lint.SeverityError,
	Also:     []lint.Severity{lint.SeverityWarning},
	Run: func(p *lint.Pass) {
		kdoc := p.File.Doc(lint.KindKubelet)
		if kdoc == nil {
			return
		}
		for _, nr := range nodeRegistrations(p.File) {
			for i, arg := range nr.KubeletArgs.Args {
				field, ok := kubeletFlagFields[arg.Name]
				if !ok {
					continue
				}
				node := kdoc.Lookup(field)
				if node == nil {
					continue
				}
				var written any
				_ = node.Decode(&written)
				if sameSetting(arg.Value, written) {
					p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i), Severity: lint.SeverityWarning,
						Message: fmt.Sprintf("--%s repeats KubeletConfiguration.%s", arg.Name, field),
						Hint:    "keep the setting in one place, the configuration file"})
					continue
				}
				p.Report(nr.Doc, lint.Finding{Path: nr.KubeletArgs.At(i),
					Message: fmt.Sprintf("--%s=%s overrides KubeletConfiguration.%s (%s)", arg.Name, arg.Value, field, render(written)),
					Hint:    "remove one of them, as the kubelet uses the flag"})
			}
		}
	},
	Doc: doc(`
The kubelet reads its configuration file first and then applies its command-line flags, so a flag
in kubeletExtraArgs silently overrides the same setting in KubeletConfiguration. Two different
values mean the file does not say what runs; equal values are a trap for the next edit.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
  - name: cgroup-driver
    value: cgroupfs
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd`, `
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd`, `the kubelet's flag precedence (kubelet config file documentation); the kubeadm troubleshooting guide ("kubeadm blocks waiting for control plane").`),
}

// sameSetting compares a flag value with a YAML value loosely: "true" and true, "a,b" and [a b].
func sameSetting(flag string, v any) bool {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ",") == flag
	case map[string]any:
		return false
	}
	return fmt.Sprint(v) == flag
}

func render(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
