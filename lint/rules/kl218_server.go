package rules

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// flagRanges holds each numeric flag to the values the component's own check of its options
// accepts: the facts "range/NAME" that hack/flags reads from each release by running that
// check (the controller-manager's "concurrent-job-syncs must be greater than 0", the API
// server's "--goaway-chance can not be less than 0 or greater than 0.02"). A value that does
// not parse is KL210's.
func flagRanges(fv *flagView) []violation {
	comp := fv.rel.Component(fv.component)
	var out []violation
	seen := map[string]bool{}
	for _, a := range fv.list.Args {
		f := comp.Flag(a.Name)
		if f == nil || seen[a.Name] {
			continue
		}
		seen[a.Name] = true
		parse, numeric := numberParsers[f.Type]
		if !numeric {
			continue
		}
		lo, hi, ranged := strings.Cut(comp.Fact("range/"+f.Name), "..")
		if !ranged {
			continue
		}
		last := fv.entries(a.Name)[0] // a numeric flag keeps its last value
		v, err := parse(strings.TrimSpace(last.value))
		if err != nil {
			continue
		}
		var msg string
		if least, err := parse(lo); err == nil && v < least {
			msg = fmt.Sprintf("%s is %s, below %s", a.Name, last.value, lo)
		} else if most, err := parse(hi); err == nil && v > most {
			msg = fmt.Sprintf("%s is %s, above %s", a.Name, last.value, hi)
		}
		if msg != "" {
			out = append(out, violation{index: last.index, msg: msg,
				hint: fmt.Sprintf("give %s, or remove it for the default; %s exits at start", span(lo, hi), fv.component)})
		}
	}
	return out
}

// span says which values a range "lo..hi" takes, either end open.
func span(lo, hi string) string {
	switch {
	case hi == "":
		return lo + " or more"
	case lo == "":
		return hi + " or less"
	}
	return "from " + lo + " to " + hi
}

// numberParsers read a numeric flag's value as pflag does, to compare: integers (in any base
// pflag takes), floats, and durations in nanoseconds.
var numberParsers = map[string]func(string) (float64, error){
	"int": parseInt, "int32": parseInt, "int64": parseInt,
	"float32": func(s string) (float64, error) { return strconv.ParseFloat(s, 64) },
	"float64": func(s string) (float64, error) { return strconv.ParseFloat(s, 64) },
	"duration": func(s string) (float64, error) {
		d, err := time.ParseDuration(s)
		return float64(d), err
	},
}

func parseInt(s string) (float64, error) {
	n, err := strconv.ParseInt(s, 0, 64)
	return float64(n), err
}

// hstsDirectives is ServerRunOptions.Validate's check of --strict-transport-security-directives:
// each entry, as pflag splits the list (spaces kept), is max-age=SECONDS, includeSubDomains or
// preload.
func hstsDirectives(fv *flagView) []violation {
	var out []violation
	for _, e := range fv.entries("strict-transport-security-directives") {
		for _, d := range strings.Split(e.value, ",") {
			name, _, _ := strings.Cut(d, "=")
			if e.index < 0 || d == "includeSubDomains" || d == "preload" || name == "max-age" && strings.Count(d, "=") == 1 {
				continue
			}
			out = append(out, violation{index: e.index, msg: fmt.Sprintf("strict-transport-security-directives entry %q is not max-age=SECONDS, includeSubDomains or preload", d),
				hint: "write the directives comma separated without spaces, as max-age=31536000,includeSubDomains,preload; kube-apiserver exits at start"})
		}
	}
	return out
}

// storageLists is the check of the API server's per-resource storage lists:
// ParseEtcdServersOverrides in EtcdOptions.Validate, and ParseWatchCacheSizes, which the API
// server's Complete runs while the watch cache is on.
func storageLists(fv *flagView) []violation {
	var out []violation
	for _, e := range fv.entries("etcd-servers-overrides") {
		for _, o := range strings.Split(e.value, ",") {
			resource, servers, ok := strings.Cut(o, "#")
			if e.index >= 0 && (!ok || strings.Contains(servers, "#") || strings.Count(resource, "/") != 1 || slices.Contains(strings.Split(servers, ";"), "")) {
				out = append(out, violation{index: e.index, msg: fmt.Sprintf("etcd-servers-overrides entry %q is not group/resource#servers", o),
					hint: `write each override as group/resource#URL;URL, the core group empty: /events#https://10.0.0.5:2379; kube-apiserver exits at start`})
			}
		}
	}
	if on, _, _ := fv.get("watch-cache"); on == "false" {
		return out
	}
	for _, e := range fv.entries("watch-cache-sizes") {
		for _, s := range strings.Split(e.value, ",") {
			_, size, ok := strings.Cut(s, "#")
			n, err := strconv.Atoi(size)
			if e.index >= 0 && (!ok || strings.Contains(size, "#") || err != nil || n < 0) {
				out = append(out, violation{index: e.index, msg: fmt.Sprintf("watch-cache-sizes entry %q is not resource#size", s),
					hint: "write each size as resource[.group]#N with N at least 0: pods#1000,deployments.apps#500; kube-apiserver exits at start"})
			}
		}
	}
	return out
}

// serviceNodePort is validateServiceNodePort: --kubernetes-service-node-port, when it makes the
// kubernetes Service a NodePort, is a port of --service-node-port-range (the release's default
// when not given).
func serviceNodePort(fv *flagView) []violation {
	v, at, ok := fv.get("kubernetes-service-node-port")
	port, err := strconv.Atoi(strings.TrimSpace(v))
	if !ok || at < 0 || err != nil || port == 0 {
		return nil
	}
	ranged, _, set := fv.get("service-node-port-range")
	if !set {
		ranged = fv.rel.Component(fv.component).Fact("default/service-node-port-range")
	}
	var msg string
	if r, err := utilnet.ParsePortRange(ranged); port < 0 || port > math.MaxUint16 {
		msg = fmt.Sprintf("kubernetes-service-node-port %d is not a port", port)
	} else if err == nil && !r.Contains(port) {
		msg = fmt.Sprintf("kubernetes-service-node-port %d is outside service-node-port-range %s", port, r)
	} else {
		return nil
	}
	return []violation{{index: at, msg: msg,
		hint: "give a port of service-node-port-range, or 0 to keep the kubernetes Service a ClusterIP; kube-apiserver exits at start"}}
}

// endpointReconciler is the API server's createEndpointReconciler, which exits on a type it
// does not have.
func endpointReconciler(fv *flagView) []violation {
	return unknownNames(fv, "endpoint-reconciler-type", "endpoint-reconciler-types", "endpoint reconciler type")
}

// peerProxy is validateUnknownVersionInteroperabilityProxyFlags: the peer proxy's flags need its
// feature gate, which is off by default in a release where it is alpha (v1.35).
func peerProxy(fv *flagView) []violation {
	gate := fv.rel.Component(fv.component).Gate("UnknownVersionInteroperabilityProxy")
	if gate == nil {
		return nil
	}
	on := gate.Default
	for _, e := range fv.entries("feature-gates") {
		if v, set := gateValue(e.value, gate.Name); set {
			on = v
		}
	}
	var out []violation
	for _, flag := range []string{"peer-ca-file", "peer-advertise-ip", "peer-advertise-port"} {
		if v, at, ok := fv.get(flag); ok && at >= 0 && v != "" && !on {
			out = append(out, violation{index: at, msg: fmt.Sprintf("%s needs the %s feature gate, which is off", flag, gate.Name),
				hint: fmt.Sprintf("set %s=true in feature-gates (%s in %s %s), or remove the flag; kube-apiserver exits at start", gate.Name, strings.ToLower(gate.Stage), fv.component, fv.release())})
		}
	}
	return out
}
