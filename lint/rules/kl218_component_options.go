package rules

import (
	"crypto/tls"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL218 = &lint.Rule{
	ID:       "KL218",
	Name:     "component-option-refused",
	Summary:  "an extraArgs value the component's own option checks refuse, so it exits at start",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		for _, comp := range []string{release.APIServer, release.ControllerManager, release.Scheduler, release.Etcd} {
			rel := componentRelease(p, comp)
			if rel.StaticPods() == nil || comp == release.Etcd && c.Etcd.Local == nil {
				continue // a release of history/: no kubeadm defaults to start from
			}
			fv := newFlagView(c, comp, rel)
			for _, check := range optionChecks[comp] {
				for _, v := range check(fv) {
					p.Report(p.Doc, lint.Finding{Path: fv.list.At(v.index) + ".value", Message: v.msg, Hint: v.hint})
				}
			}
		}
	},
	Doc: doc(`
Each control-plane component checks its options after it has parsed them, and exits before it
serves when one fails: kube-apiserver's AdmissionOptions, BuiltInAuthorizationOptions,
AuditOptions and ServerRunOptions Validate (limits, timeouts, HSTS directives), its storage
lists, its OIDC and service account flags as BuiltInAuthenticationOptions checks them, the TLS
settings of every component's secure serving, the controller-manager's --controllers and
controller options (concurrency, endpoint slice sizes), client-go's leader election timing (the
controller-manager and the scheduler; the API server's coordinated leader election), every
component's compatibility versions, and etcd's parse and embed.Config.Validate (logging,
bootstrap, raft timing, compaction mode, TLS, URLs). kubeadm copies extraArgs into the static
Pod as they are and then
waits for a control plane that never comes up.

The rule applies the checks that the component of the target release runs, to the command line
kubeadm writes: kubeadm's own flags (enable-admission-plugins=NodeRestriction,
authorization-mode=Node,RBAC, leader-elect=true) with the user's extraArgs on top, a repeated
list or map flag taking every entry's values as pflag does. The names it checks against
(admission plugins, authorization modes, audit modes and formats, storage media types, API group
versions, TLS versions and cipher suites, controllers) are read from each release's source by
hack/flags, and so are the numeric ranges, found by running each release's own check. Messages
quote the component.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction,PodSecurityPolicy
  - name: authorization-mode
    value: Node,RBAC,ABAC`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: enable-admission-plugins
    value: NodeRestriction,EventRateLimit
  - name: admission-control-config-file
    value: /etc/kubernetes/admission/config.yaml
  - name: authorization-mode
    value: Node,RBAC`, `generated from each release's source by hack/flags (AllOrderedPlugins, AuthorizationModeChoices, AllowedModes, AllowedFormats, storageMediaTypes, the API schemes, TLSPossibleVersions, TLSCipherPossibleValues, KnownControllers, zapcore's levels; range/NAME facts by running ServerRunOptions.Validate and KubeControllerManagerOptions.Validate); k8s.io/apiserver/pkg/server/options (admission.go, audit.go, etcd.go, api_enablement.go, server_run_options.go), cmd/kube-controller-manager/app/options, k8s.io/apiserver/pkg/server/resourceconfig, pkg/controlplane/apiserver/options/validation.go, pkg/kubeapiserver/options/authorization.go, k8s.io/controller-manager/options/generic.go; proven by the real components' start in testdata/flags/start.tsv.`),
}

// optionCheck is one of a component's own checks of its options, run on the command line
// kubeadm writes. It returns the entries of the user's it refuses.
type optionCheck func(fv *flagView) []violation

var optionChecks = map[string][]optionCheck{
	release.APIServer: {admissionPlugins, authorizationModes, auditBackends, encryptionReload, storageMediaType, runtimeConfig,
		inflight, corsOrigins, oidcOptions, serviceAccountOptions, tlsOptions, loggingFormat, hiddenMetrics, flagRanges,
		hstsDirectives, storageLists, coordinatedLeadership, serviceNodePort, endpointReconciler, compatibilityVersions, peerProxy},
	release.ControllerManager: {controllerNames, leaderElectionLock, leaderElectionTiming, cloudProvider, tlsOptions, loggingFormat,
		hiddenMetrics, flagRanges, compatibilityVersions},
	release.Scheduler: {leaderElectionLock, leaderElectionTiming, tlsOptions, loggingFormat, hiddenMetrics, compatibilityVersions},
	release.Etcd:      {etcdAutoCompaction, etcdElection, etcdTLS, etcdURLs, etcdLogFormat, etcdLogging, etcdBootstrap, etcdCompactHashCheck},
}

// unknownNames refuses each name of the user's entries of flag that the component's set lacks.
// A release whose table has no such set is not judged.
func unknownNames(fv *flagView, flag, set, what string) []violation {
	known := fv.rel.Component(fv.component).Values(set)
	if known == nil {
		return nil
	}
	var out []violation
	for _, e := range fv.entries(flag) {
		for _, name := range listed(e.value) {
			// "name=value" in a value is a flag written into another's list, which is KL201's.
			if e.index >= 0 && !slices.Contains(known, name) && !strings.Contains(name, "=") {
				out = append(out, violation{index: e.index,
					msg:  fmt.Sprintf("%s %q is unknown to %s %s", what, name, fv.component, fv.release()),
					hint: fmt.Sprintf("remove it from %s; the component exits at start", flag)})
			}
		}
	}
	return out
}

// admissionPlugins is AdmissionOptions.Validate: every plugin registered, none both enabled and
// disabled.
func admissionPlugins(fv *flagView) []violation {
	out := append(unknownNames(fv, "enable-admission-plugins", "admission-plugins", "admission plugin"),
		unknownNames(fv, "disable-admission-plugins", "admission-plugins", "admission plugin")...)
	enabled := map[string]int{}
	for _, e := range fv.entries("enable-admission-plugins") {
		for _, name := range listed(e.value) {
			enabled[name] = e.index
		}
	}
	for _, e := range fv.entries("disable-admission-plugins") {
		for _, name := range listed(e.value) {
			en, ok := enabled[name]
			if !ok {
				continue
			}
			at := e.index
			if at < 0 {
				at = en
			}
			if at >= 0 {
				out = append(out, violation{index: at, msg: fmt.Sprintf("admission plugin %q is both enabled and disabled", name),
					hint: "keep it in only one of enable-admission-plugins and disable-admission-plugins (kubeadm enables NodeRestriction)"})
			}
		}
	}
	return append(out, admissionConfigMissing(fv)...)
}

// admissionConfigMissing is the factory of a plugin that has no defaults, which the API server
// calls at start with the plugin's part of admission-control-config-file: with no file, nothing.
// EventRateLimit is KL216's, which the CIS profile names.
func admissionConfigMissing(fv *flagView) []violation {
	needing := fv.rel.Component(fv.component).Values("admission-plugins-needing-config")
	if file, _, _ := fv.get("admission-control-config-file"); file != "" || needing == nil {
		return nil
	}
	var out []violation
	for _, e := range fv.entries("enable-admission-plugins") {
		for _, name := range listed(e.value) {
			if e.index >= 0 && name != "EventRateLimit" && slices.Contains(needing, name) {
				out = append(out, violation{index: e.index, msg: fmt.Sprintf("admission plugin %q is enabled without admission-control-config-file", name),
					hint: "configure it in an AdmissionConfiguration that admission-control-config-file names, mounted through extraVolumes; kube-apiserver exits at start"})
			}
		}
	}
	return out
}

// authorizationModes is BuiltInAuthorizationOptions.Validate. kubeadm sets authorization-mode
// only when the user gives no authorization-config (controlplane/manifests.go).
func authorizationModes(fv *flagView) []violation {
	if cfg := fv.entries("authorization-config"); len(cfg) > 0 && cfg[0].index >= 0 {
		for i, a := range fv.list.Args {
			if a.Name == "authorization-mode" || strings.HasPrefix(a.Name, "authorization-webhook-") {
				return []violation{{index: i, msg: fmt.Sprintf("%s is set together with authorization-config", a.Name),
					hint: "drop it: authorization-config replaces authorization-mode and the authorization-webhook-* flags"}}
			}
		}
		return nil
	}
	var out []violation
	last := -1 // the user's last authorization-mode entry; -1 for kubeadm's Node,RBAC
	var all []string
	for _, e := range fv.entries("authorization-mode") {
		all = append(all, listed(e.value)...)
		last = max(last, e.index)
	}
	seen := map[string]bool{}
	for _, m := range all {
		if seen[m] && last >= 0 {
			out = append(out, violation{index: last, msg: fmt.Sprintf("authorization mode %s is given more than once", m), hint: "name each mode once in authorization-mode"})
		}
		seen[m] = true
	}
	if last >= 0 {
		out = append(out, unknownNames(fv, "authorization-mode", "authorization-modes", "authorization mode")...)
		if len(all) == 0 {
			out = append(out, violation{index: last, msg: "authorization-mode is empty", hint: "remove the entry, so that kubeadm's Node,RBAC applies"})
		}
	}
	needs := []struct{ mode, file string }{{"ABAC", "authorization-policy-file"}, {"Webhook", "authorization-webhook-config-file"}}
	for _, n := range needs {
		files := fv.entries(n.file)
		switch {
		case seen[n.mode] && last >= 0 && (len(files) == 0 || files[0].value == ""):
			out = append(out, violation{index: last, msg: fmt.Sprintf("authorization mode %s is set without %s", n.mode, n.file),
				hint: fmt.Sprintf("set %s, mounted through extraVolumes, or drop the mode", n.file)})
		case !seen[n.mode] && len(files) > 0 && files[0].value != "" && files[0].index >= 0:
			out = append(out, violation{index: files[0].index, msg: fmt.Sprintf("%s is set without authorization mode %s", n.file, n.mode),
				hint: fmt.Sprintf("add %s to authorization-mode, or drop the file", n.mode)})
		}
	}
	return out
}

// auditBackends is AuditOptions.Validate: a backend's options are checked only when it is on,
// the log backend by audit-log-path and the webhook backend by audit-webhook-config-file.
func auditBackends(fv *flagView) []violation {
	var out []violation
	for _, b := range []struct{ backend, on string }{{"log", "audit-log-path"}, {"webhook", "audit-webhook-config-file"}} {
		if on := fv.entries(b.on); len(on) == 0 || on[0].value == "" {
			continue
		}
		prefix := "audit-" + b.backend + "-"
		out = append(out, unknownNames(fv, prefix+"mode", "audit-modes", "audit "+b.backend+" mode")...)
		mode := "batch"
		if b.backend == "log" {
			mode = "blocking"
			out = append(out, unknownNames(fv, prefix+"format", "audit-log-formats", "audit log format")...)
			for _, name := range []string{"maxage", "maxbackup", "maxsize"} {
				out = append(out, intAtLeast(fv, prefix+name, 0)...)
			}
		}
		if m := fv.entries(prefix + "mode"); len(m) > 0 {
			mode = m[0].value
		}
		if mode == "batch" {
			out = append(out, intAtLeast(fv, prefix+"batch-buffer-size", 1)...)
			out = append(out, intAtLeast(fv, prefix+"batch-max-size", 1)...)
			if v, _, set := fv.get(prefix + "batch-throttle-enable"); set && v == "true" || !set && fv.rel.Component(fv.component).Fact("default/"+prefix+"batch-throttle-enable") == "true" {
				out = append(out, intAtLeast(fv, prefix+"batch-throttle-burst", 1)...)
				if v, at, ok := fv.get(prefix + "batch-throttle-qps"); ok && at >= 0 {
					if qps, err := strconv.ParseFloat(strings.TrimSpace(v), 32); err == nil && qps <= 0 {
						out = append(out, violation{index: at, msg: fmt.Sprintf("%sbatch-throttle-qps is %s, not above 0", prefix, v),
							hint: fmt.Sprintf("give a positive rate, or set %sbatch-throttle-enable=false; kube-apiserver exits at start", prefix)})
					}
				}
			}
		}
		out = append(out, auditTruncate(fv, prefix)...)
	}
	return out
}

// auditTruncate is AuditTruncateOptions.Validate, which runs while the backend is on whether or
// not truncating is: an event size above 0 and a batch size no smaller, either side's default
// the release's.
func auditTruncate(fv *flagView, prefix string) []violation {
	read := func(flag string) (int64, int, bool) {
		v, at, set := fv.get(prefix + flag)
		if !set {
			v, at = fv.rel.Component(fv.component).Fact("default/"+prefix+flag), -1
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, at, err == nil
	}
	event, eventAt, eventOK := read("truncate-max-event-size")
	batch, batchAt, batchOK := read("truncate-max-batch-size")
	switch {
	case eventOK && eventAt >= 0 && event <= 0:
		return []violation{{index: eventAt, msg: fmt.Sprintf("%struncate-max-event-size is %d, not above 0", prefix, event),
			hint: "give a positive size in bytes, or remove it for the default; kube-apiserver exits at start"}}
	case eventOK && batchOK && batch < event && max(eventAt, batchAt) >= 0:
		return []violation{{index: max(eventAt, batchAt), msg: fmt.Sprintf("%struncate-max-batch-size %d is smaller than %struncate-max-event-size %d", prefix, batch, prefix, event),
			hint: "make the batch at least as large as one event; kube-apiserver exits at start"}}
	}
	return nil
}

// intAtLeast refuses a user's integer value of flag below least.
func intAtLeast(fv *flagView, flag string, least int) []violation {
	var out []violation
	for _, e := range fv.entries(flag) {
		if n, err := strconv.Atoi(strings.TrimSpace(e.value)); err == nil && e.index >= 0 && n < least {
			out = append(out, violation{index: e.index, msg: fmt.Sprintf("%s is %d, below %d", flag, n, least),
				hint: fmt.Sprintf("set %s to %d or more, or remove it for the component's default", flag, least)})
		}
	}
	return out
}

// encryptionReload is EtcdOptions.Validate's check of the automatic reload.
func encryptionReload(fv *flagView) []violation {
	reload := fv.entries("encryption-provider-config-automatic-reload")
	cfg := fv.entries("encryption-provider-config")
	if len(reload) == 0 || reload[0].index < 0 || reload[0].value != "true" || len(cfg) > 0 && cfg[0].value != "" {
		return nil
	}
	return []violation{{index: reload[0].index, msg: "encryption-provider-config-automatic-reload is set without encryption-provider-config",
		hint: "set encryption-provider-config to an EncryptionConfiguration mounted through extraVolumes, or drop the reload"}}
}

// tlsOptions is SecureServingOptions.ApplyTo, which every serving component runs before it
// serves: the minimum version and the cipher suites must be names it knows. Its server then
// speaks HTTP/2, whose ConfigureServer (golang.org/x/net/http2) refuses a cipher list that allows
// TLS 1.2 without one of the two suites HTTP/2 requires.
func tlsOptions(fv *flagView) []violation {
	unknown := unknownNames(fv, "tls-cipher-suites", "tls-cipher-suites", "cipher suite")
	out := append(unknownNames(fv, "tls-min-version", "tls-versions", "TLS version"), unknown...)
	ciphers := fv.entries("tls-cipher-suites")
	if len(unknown) > 0 || len(ciphers) == 0 || ciphers[len(ciphers)-1].index < 0 {
		return out // an unknown suite stops the component first
	}
	if v := fv.entries("tls-min-version"); len(v) > 0 && v[0].value == "VersionTLS13" {
		return out
	}
	var all []string
	for _, e := range ciphers {
		all = append(all, listed(e.value)...)
	}
	for _, required := range http2Ciphers {
		if slices.Contains(all, required) {
			return out
		}
	}
	return append(out, violation{index: ciphers[len(ciphers)-1].index,
		msg:  fmt.Sprintf("tls-cipher-suites lacks the AES_128_GCM_SHA256 suite that %s's HTTP/2 server requires", fv.component),
		hint: fmt.Sprintf("add %s, or set tls-min-version to VersionTLS13", strings.Join(http2Ciphers, " or "))})
}

// http2Ciphers are the suites golang.org/x/net/http2's ConfigureServer requires in a TLS 1.2
// cipher list, named as crypto/tls names them.
var http2Ciphers = []string{tls.CipherSuiteName(tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), tls.CipherSuiteName(tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)}

// controllerNames is GenericControllerManagerConfigurationOptions.Validate: "*", a known
// controller or its alias, each optionally with a leading "-".
func controllerNames(fv *flagView) []violation {
	known := fv.rel.Component(fv.component).Values("controllers")
	if known == nil {
		return nil
	}
	var out []violation
	for _, e := range fv.entries("controllers") {
		for _, name := range listed(e.value) {
			name = strings.TrimPrefix(name, "-")
			if e.index >= 0 && name != "*" && !slices.Contains(known, name) {
				out = append(out, violation{index: e.index, msg: fmt.Sprintf("controller %q is unknown to %s %s", name, fv.component, fv.release()),
					hint: "name controllers as 'kube-controller-manager --help' lists them under --controllers, or '*' for the defaults"})
			}
		}
	}
	return out
}

// leaderElectionLock is the same Validate's check that leader election locks a Lease; kubeadm
// turns leader election on.
func leaderElectionLock(fv *flagView) []violation {
	lock := fv.entries("leader-elect-resource-lock")
	if len(lock) == 0 || lock[0].index < 0 || lock[0].value == "leases" || !leaderElectionOn(fv) {
		return nil
	}
	return []violation{{index: lock[0].index, msg: fmt.Sprintf("leader-elect-resource-lock is %q, not leases", lock[0].value),
		hint: "remove it: leader election locks a Lease only"}}
}

// leaderElectionOn is false only when leader-elect (kubeadm sets it true) reads as false.
func leaderElectionOn(fv *flagView) bool {
	v, _, ok := fv.get("leader-elect")
	on, err := strconv.ParseBool(v)
	return !ok || err != nil || on
}

// leaderElectionTiming is client-go's NewLeaderElector check, which kube-scheduler also runs as
// ValidateLeaderElectionConfiguration before it serves, and which kube-controller-manager meets
// as a panic just after it starts serving: the lease longer than the renew deadline, the
// deadline longer than the retry period times client-go's jitter factor, and each above zero.
// A flag left out is the component's default, except under kube-scheduler's --config, whose
// file gives the values the flags override: there only flags given are compared.
func leaderElectionTiming(fv *flagView) []violation {
	if !leaderElectionOn(fv) {
		return nil
	}
	comp := fv.rel.Component(fv.component)
	jitter, err := strconv.ParseFloat(comp.Fact("leader-election-jitter-factor"), 64)
	if err != nil {
		return nil // a release whose table predates the fact
	}
	_, _, fromFile := fv.get("config")
	lease, renew := fv.duration("leader-elect-lease-duration", !fromFile), fv.duration("leader-elect-renew-deadline", !fromFile)
	retry := fv.duration("leader-elect-retry-period", !fromFile)
	def := func(s durationFlag) string { return comp.Fact("default/" + s.flag) }
	var out []violation
	fails := fmt.Sprintf("%s exits at start", fv.component)
	if fv.component == release.ControllerManager {
		fails = fv.component + " panics as it starts leader election"
	}
	for _, s := range []durationFlag{lease, renew, retry} {
		if s.ok && s.at >= 0 && s.d <= 0 {
			out = append(out, violation{index: s.at, msg: fmt.Sprintf("%s is %v, not above zero", s.flag, s.d),
				hint: fmt.Sprintf("set a positive duration, or remove it for the default of %s; %s", def(s), fails)})
		}
	}
	if len(out) > 0 {
		return out
	}
	out = append(out, notLonger(lease, renew, 1, fmt.Sprintf("make the lease longer than the renew deadline (by default %s and %s); %s", def(lease), def(renew), fails))...)
	return append(out, notLonger(renew, retry, jitter,
		fmt.Sprintf("make the renew deadline longer than %g times the retry period (by default %s and %s); %s", jitter, def(renew), def(retry), fails))...)
}

// coordinatedLeadership is validateCoordinatedLeadershipFlags, which kube-apiserver runs whether
// or not the CoordinatedLeaderElection gate is on: its lease longer than its renew deadline,
// and the deadline longer than its retry period.
func coordinatedLeadership(fv *flagView) []violation {
	_, _, l := fv.get("coordinated-leadership-lease-duration")
	_, _, r := fv.get("coordinated-leadership-renew-deadline")
	_, _, t := fv.get("coordinated-leadership-retry-period")
	if !l && !r && !t {
		return nil // the release's defaults are its own business
	}
	lease, renew := fv.duration("coordinated-leadership-lease-duration", true), fv.duration("coordinated-leadership-renew-deadline", true)
	retry := fv.duration("coordinated-leadership-retry-period", true)
	hint := "keep lease duration > renew deadline > retry period, or remove them for the defaults; kube-apiserver exits at start"
	return append(notLonger(lease, renew, 1, hint), notLonger(renew, retry, 1, hint)...)
}

// durationFlag is a duration flag as the component reads it: the user's entry, or the
// release's default (at -1), or neither (ok false).
type durationFlag struct {
	flag string
	d    time.Duration
	at   int
	ok   bool
}

// duration reads a duration flag; withDefault takes the release's default ("default/NAME") when
// the user gives none. A value pflag refuses is KL210's, and not ok.
func (fv *flagView) duration(flag string, withDefault bool) durationFlag {
	v, at, set := fv.get(flag)
	if !set {
		if !withDefault {
			return durationFlag{flag: flag}
		}
		v, at = fv.rel.Component(fv.component).Fact("default/"+flag), -1
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	return durationFlag{flag: flag, d: d, at: at, ok: err == nil}
}

// notLonger refuses long when it is not longer than factor times short, at the user's entry of
// long, or else of short; the defaults alone are the release's business.
func notLonger(long, short durationFlag, factor float64, hint string) []violation {
	if !long.ok || !short.ok || long.at < 0 && short.at < 0 || long.d > time.Duration(factor*float64(short.d)) {
		return nil
	}
	at := long.at
	if at < 0 {
		at = short.at
	}
	times := ""
	if factor != 1 {
		times = fmt.Sprintf("%g times ", factor)
	}
	return []violation{{index: at, msg: fmt.Sprintf("%s %v is not longer than %s%s %v", long.flag, long.d, times, short.flag, short.d), hint: hint}}
}

// storageMediaType is EtcdOptions.Validate's check of --storage-media-type.
func storageMediaType(fv *flagView) []violation {
	return unknownNames(fv, "storage-media-type", "storage-media-types", "storage media type")
}

// runtimeConfig is what kube-apiserver checks of --runtime-config before it serves:
// APIEnablementOptions.Validate (keys, groups), MergeAPIResourceConfigs (versions, values,
// resources), and the controlplane options' check that the flow-control API stays on while
// API Priority and Fairness is.
func runtimeConfig(fv *flagView) []violation {
	known := fv.rel.Component(fv.component).Values("api-group-versions")
	entries := fv.entries("runtime-config")
	if known == nil || len(entries) == 0 {
		return nil
	}
	groups := map[string]bool{}
	for _, gv := range known {
		group, _, _ := strings.Cut(gv, "/")
		if !strings.Contains(gv, "/") {
			group = ""
		}
		groups[group] = true
	}
	bad := func(e flagValue, msg, hint string) violation { return violation{index: e.index, msg: msg, hint: hint} }
	var out []violation
	keys := map[string]string{} // the merged map, as cliflag.ConfigurationMap builds it
	for _, e := range entries {
		for _, item := range listed(e.value) {
			key, value, _ := strings.Cut(item, "=")
			key, value = coreKey(strings.TrimSpace(key)), strings.TrimSpace(value)
			if key == "api/legacy" {
				continue // Complete drops it
			}
			keys[key] = value
			if e.index < 0 {
				continue
			}
			if strings.HasPrefix(key, "api/") && slices.Contains(apiMatchers, key) {
				if value != "true" && value != "false" {
					out = append(out, bad(e, fmt.Sprintf("runtime-config %s=%s is neither true nor false", key, value), "write "+key+"=true or "+key+"=false"))
				}
				continue
			}
			tokens := strings.Split(key, "/")
			if len(tokens) < 2 || len(tokens) > 3 {
				out = append(out, bad(e, fmt.Sprintf("runtime-config key %q is not group/version or group/version/resource", key),
					"name an API as group/version (apps/v1), or api/all, api/ga, api/beta or api/alpha"))
				continue
			}
			gv := tokens[0] + "/" + tokens[1]
			if tokens[0] == "" {
				gv = tokens[1] // the core group's versions are listed bare
			}
			switch {
			case !groups[tokens[0]]:
				out = append(out, bad(e, fmt.Sprintf("runtime-config names API group %q, unknown to %s %s", tokens[0], fv.component, fv.release()),
					"remove it: the group is not served by this release"))
			case !slices.Contains(known, gv):
				out = append(out, bad(e, fmt.Sprintf("runtime-config names %s, a version %s %s does not serve", gv, fv.component, fv.release()),
					"remove it, or name a version of the group this release serves"))
			case value != "" && !isBool(value):
				out = append(out, bad(e, fmt.Sprintf("runtime-config %s=%s is not a boolean", key, value), "write "+key+"=true or "+key+"=false"))
			case len(tokens) == 3 && strings.ToLower(tokens[2]) != tokens[2]:
				out = append(out, bad(e, fmt.Sprintf("runtime-config resource %q is not lower case", tokens[2]), "name the resource by its lower-case plural, as the API path does"))
			}
		}
	}
	last := entries[len(entries)-1]
	if len(keys) == 1 && keys["api/all"] == "false" && last.index >= 0 {
		out = append(out, bad(last, "runtime-config turns every API off with api/all=false alone", "enable the group versions the cluster needs beside api/all=false"))
	}
	if apf, _, _ := fv.get("enable-priority-and-fairness"); apf != "false" && last.index >= 0 {
		// validateAPIPriorityAndFairness: the first of these the map sets decides.
		for _, k := range []string{"flowcontrol.apiserver.k8s.io/v1", "api/ga", "api/all"} {
			if v, ok := keys[k]; ok {
				if v == "false" {
					out = append(out, bad(last, fmt.Sprintf("runtime-config %s=false turns off the API that priority and fairness needs", k),
						"keep flowcontrol.apiserver.k8s.io/v1=true, or set enable-priority-and-fairness to false"))
				}
				break
			}
		}
	}
	return out
}

// coreKey is the Options.Complete of the controlplane: "v1", "api/v1" and their resources name
// the core group, whose key is "/v1".
func coreKey(key string) string {
	for _, prefix := range []string{"api/v1", "v1"} {
		if key == prefix || strings.HasPrefix(key, prefix+"/") {
			return "/v1" + strings.TrimPrefix(key, prefix)
		}
	}
	return key
}

// apiMatchers are the keys of --runtime-config that name versions by stability
// (k8s.io/apiserver/pkg/server/resourceconfig).
var apiMatchers = []string{"api/all", "api/ga", "api/beta", "api/alpha"}

func isBool(s string) bool {
	_, err := strconv.ParseBool(s)
	return err == nil
}

// loggingFormat is logsapi's Validate, which every component runs on its logging options.
func loggingFormat(fv *flagView) []violation {
	return unknownNames(fv, "logging-format", "logging-formats", "logging format")
}

// hiddenMetrics is the metrics options' Validate: --show-hidden-metrics-for-version may only
// name the minor release before the component's own.
func hiddenMetrics(fv *flagView) []violation {
	e := fv.entries("show-hidden-metrics-for-version")
	want := fmt.Sprintf("1.%d", fv.minor-1)
	if len(e) == 0 || e[0].index < 0 || e[0].value == "" || e[0].value == want {
		return nil
	}
	return []violation{{index: e[0].index, msg: fmt.Sprintf("show-hidden-metrics-for-version is %s; %s %s takes only %s", e[0].value, fv.component, fv.release(), want),
		hint: fmt.Sprintf("set it to %s, or remove it: metrics hidden longer ago are gone", want)}}
}

// inflight is FeatureOptions.ApplyTo's check that priority and fairness has seats to share.
// Negative limits are flagRanges'.
func inflight(fv *flagView) []violation {
	reads, mutating := fv.entries("max-requests-inflight"), fv.entries("max-mutating-requests-inflight")
	apf, _, _ := fv.get("enable-priority-and-fairness")
	if len(reads) == 0 || len(mutating) == 0 || apf == "false" || strings.TrimSpace(reads[0].value) != "0" || strings.TrimSpace(mutating[0].value) != "0" {
		return nil
	}
	return []violation{{index: max(reads[0].index, mutating[0].index), msg: "max-requests-inflight and max-mutating-requests-inflight are both 0, which leaves priority and fairness no seats",
		hint: "give one of them a positive limit; 0 means no limit only with enable-priority-and-fairness=false"}}
}

// corsOrigins is ServerRunOptions.Validate's check that each allowed origin is a regular
// expression pinned to the start and the end of the host.
func corsOrigins(fv *flagView) []violation {
	var out []violation
	for _, e := range fv.entries("cors-allowed-origins") {
		for _, origin := range strings.Split(e.value, ",") {
			switch {
			case e.index < 0:
			case strings.TrimSpace(origin) == "":
				out = append(out, violation{index: e.index, msg: "cors-allowed-origins has an empty entry", hint: "remove the empty entry between the commas"})
			case !(strings.Contains(origin, "^") || strings.Contains(origin, "//")) || !(strings.Contains(origin, "$") || strings.Contains(origin, ":")):
				out = append(out, violation{index: e.index, msg: fmt.Sprintf("cors-allowed-origins entry %q is not pinned to the start and end of the host", origin),
					hint: `anchor it as //example\.com$ or ^https://example\.com(:|$)`})
			default:
				if _, err := regexp.Compile(origin); err != nil {
					out = append(out, violation{index: e.index, msg: fmt.Sprintf("cors-allowed-origins entry %q is not a regular expression", origin), hint: "fix the expression; Go's regexp syntax applies"})
				}
			}
		}
	}
	return out
}

// cloudProvider is the controller-manager's check, since the in-tree cloud providers were
// removed, that only an external one is named, and that node CIDRs come from the range
// allocator (cmd/kube-controller-manager/app/options, Validate).
func cloudProvider(fv *flagView) []violation {
	var out []violation
	if e := fv.entries("cloud-provider"); len(e) > 0 && e[0].index >= 0 && e[0].value != "" && e[0].value != "external" {
		out = append(out, violation{index: e[0].index, msg: fmt.Sprintf("cloud-provider %q is an in-tree provider, which %s %s no longer has", e[0].value, fv.component, fv.release()),
			hint: "set cloud-provider to external and run the provider's cloud-controller-manager"})
	}
	if e := fv.entries("cidr-allocator-type"); len(e) > 0 && e[0].index >= 0 && e[0].value != "" && e[0].value != "RangeAllocator" {
		out = append(out, violation{index: e[0].index, msg: fmt.Sprintf("cidr-allocator-type %q needs a built-in cloud provider", e[0].value),
			hint: "remove it for RangeAllocator, or let the cloud-controller-manager allocate node CIDRs"})
	}
	return out
}
