package rules

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// etcd's checks of its options are etcdmain's parse of the command line and embed.Config.Validate,
// which run before it serves; the sets and limits they use are read from the etcd release the
// target kubeadm deploys (hack/flags/dump/cmd/etcd).

// etcdAutoCompaction refuses an --auto-compaction-mode that is neither of etcd's modes, an empty
// one included.
func etcdAutoCompaction(fv *flagView) []violation {
	return etcdOneOf(fv, "auto-compaction-mode", "auto-compaction-modes", false)
}

// etcdLogFormat refuses a --log-format other than etcd's; an empty one is its default.
func etcdLogFormat(fv *flagView) []violation {
	return etcdOneOf(fv, "log-format", "log-formats", true)
}

// etcdLogging is setupLogging, the first of Validate's checks: the one logger etcd has, a level
// zapcore parses (in any case; etcd panics on another), and outputs it can write together.
func etcdLogging(fv *flagView) []violation {
	etcd := fv.rel.Component(release.Etcd)
	out := etcdOneOf(fv, "logger", "loggers", false)
	if v, at, ok := fv.get("log-level"); ok && at >= 0 && v != "" && etcd.Values("log-levels") != nil && !slices.Contains(etcd.Values("log-levels"), strings.ToLower(v)) {
		out = append(out, violation{index: at, msg: fmt.Sprintf("log-level %q is unknown to etcd %s", v, fv.release()),
			hint: fmt.Sprintf("use %s; etcd panics at start", strings.Join(etcd.Values("log-levels"), " or "))})
	}
	def, journal := etcd.Fact("log-output-default"), etcd.Fact("log-output-journal")
	v, at, ok := fv.get("log-outputs")
	if !ok || at < 0 || def == "" {
		return out
	}
	outputs := map[string]bool{}
	for _, o := range strings.Split(v, ",") {
		outputs[o] = true // a set, as etcd's UniqueStringsValue holds them
	}
	var msg string
	switch {
	case outputs[def] && len(outputs) > 1:
		msg = fmt.Sprintf("log-outputs lists %s beside other outputs", def)
	case outputs[journal]:
		msg = fmt.Sprintf("log-outputs lists %s, which etcd's static Pod cannot reach", journal)
	}
	if msg != "" {
		out = append(out, violation{index: at, msg: msg, hint: "use stderr, or files under the data directory; etcd exits at start"})
	}
	return out
}

// etcdBootstrap is Validate's refusal of two ways to bootstrap: kubeadm always passes
// --initial-cluster, so a discovery flag that bootstraps too ("bootstrap-flags", found by giving
// each beside it) makes etcd exit, as does a value its flag lists but etcd no longer takes
// ("refused/NAME": --discovery-fallback=proxy).
func etcdBootstrap(fv *flagView) []violation {
	etcd := fv.rel.Component(release.Etcd)
	var out []violation
	if cluster, _, _ := fv.get("initial-cluster"); cluster != "" {
		for _, flag := range etcd.Values("bootstrap-flags") {
			if v, at, ok := fv.get(flag); ok && at >= 0 && v != "" {
				out = append(out, violation{index: at, msg: fmt.Sprintf("%s is set beside initial-cluster, which kubeadm passes", flag),
					hint: "remove it: kubeadm's etcd members find each other by initial-cluster; etcd exits at start"})
			}
		}
	}
	for i, a := range fv.list.Args {
		if f := etcd.Flag(a.Name); f == nil || len(f.Values) == 0 {
			continue // only a value the flag lists can be one etcd then refuses
		}
		if refused := etcd.Fact("refused/" + a.Name); refused != "" && slices.Contains(strings.Split(refused, ","), a.Value) {
			out = append(out, violation{index: i, msg: fmt.Sprintf("%s %q is no longer taken by etcd %s", a.Name, a.Value, fv.release()),
				hint: "remove it, or give another of the flag's values; etcd exits at start"})
		}
	}
	return out
}

// etcdOneOf refuses the user's value of flag when etcd's set lacks it.
func etcdOneOf(fv *flagView, flag, set string, emptyOK bool) []violation {
	known := fv.rel.Component(release.Etcd).Values(set)
	v, at, ok := fv.get(flag)
	if known == nil || !ok || at < 0 || v == "" && emptyOK || slices.Contains(known, v) {
		return nil
	}
	return []violation{{index: at, msg: fmt.Sprintf("%s %q is unknown to etcd %s", flag, v, fv.release()),
		hint: fmt.Sprintf("use %s; etcd exits at start", strings.Join(known, " or "))}}
}

// etcdCompactHashCheck is Validate's check that the compaction hash check runs at a positive
// interval, under either of the names the flag has had.
func etcdCompactHashCheck(fv *flagView) []violation {
	var out []violation
	for _, flag := range []string{"compact-hash-check-time", "experimental-compact-hash-check-time"} {
		v, at, ok := fv.get(flag)
		if d, err := time.ParseDuration(strings.TrimSpace(v)); ok && at >= 0 && err == nil && d <= 0 &&
			fv.rel.Component(release.Etcd).Flag(flag) != nil {
			out = append(out, violation{index: at, msg: fmt.Sprintf("%s is %s, not above 0", flag, v),
				hint: "give a positive duration, or remove it for etcd's default; etcd exits at start"})
		}
	}
	return out
}

// etcdElection is Validate's check of raft's timing: a heartbeat and an election timeout above
// 0, the timeout at least five heartbeats and within etcd's limit. A value that is not a number
// is the flag rules'.
func etcdElection(fv *flagView) []violation {
	etcd := fv.rel.Component(release.Etcd)
	ms := func(flag string) (n uint64, at int, ok bool) {
		v, at, set := fv.get(flag)
		if !set {
			v, at = etcd.Fact(flag), -1
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 0, 64)
		return n, at, err == nil
	}
	beat, beatAt, ok1 := ms("heartbeat-interval")
	election, electionAt, ok2 := ms("election-timeout")
	if !ok1 || !ok2 || beatAt < 0 && electionAt < 0 {
		return nil
	}
	var out []violation
	switch {
	case beat == 0 && beatAt >= 0:
		out = append(out, violation{index: beatAt, msg: "heartbeat-interval is 0",
			hint: "set it in milliseconds above 0, or remove it for etcd's default of " + etcd.Fact("heartbeat-interval")})
	case election == 0 && electionAt >= 0:
		out = append(out, violation{index: electionAt, msg: "election-timeout is 0",
			hint: "set it in milliseconds above 0, or remove it for etcd's default of " + etcd.Fact("election-timeout")})
	case 5*beat > election:
		at := electionAt
		if at < 0 {
			at = beatAt
		}
		out = append(out, violation{index: at, msg: fmt.Sprintf("election-timeout %dms is under 5 times heartbeat-interval %dms", election, beat),
			hint: fmt.Sprintf("raise election-timeout to %d or more, or lower heartbeat-interval; etcd exits at start", 5*beat)})
	}
	if limit, err := strconv.ParseUint(etcd.Fact("max-election-timeout"), 10, 64); err == nil && election > limit && electionAt >= 0 {
		out = append(out, violation{index: electionAt, msg: fmt.Sprintf("election-timeout %dms is over etcd %s's limit of %dms", election, fv.rel.Etcd, limit),
			hint: fmt.Sprintf("set it below %d; etcd exits at start", limit)})
	}
	return out
}

// etcdTLS is Validate's check of the TLS versions and the cipher suites: names etcd knows, a
// minimum not above the maximum, and no suites when only TLS 1.3 is allowed.
func etcdTLS(fv *flagView) []violation {
	etcd := fv.rel.Component(release.Etcd)
	versions := etcd.Values("tls-versions")
	if versions == nil {
		return nil
	}
	out := unknownNames(fv, "cipher-suites", "cipher-suites", "cipher suite")
	rank := map[string]int{}
	for _, flag := range []string{"tls-min-version", "tls-max-version"} {
		v, at, ok := fv.get(flag)
		if !ok || v == "" {
			continue
		}
		if i := slices.Index(versions, v); i >= 0 {
			rank[flag] = i + 1
		} else if at >= 0 {
			out = append(out, violation{index: at, msg: fmt.Sprintf("%s %q is unknown to etcd %s", flag, v, fv.rel.Etcd),
				hint: fmt.Sprintf("use one of %s; etcd exits at start", strings.Join(versions, ", "))})
		}
	}
	_, minAt, _ := fv.get("tls-min-version")
	if lo, hi := rank["tls-min-version"], rank["tls-max-version"]; lo > 0 && hi > 0 && lo > hi && minAt >= 0 {
		out = append(out, violation{index: minAt, msg: "tls-min-version is above tls-max-version",
			hint: "lower tls-min-version or raise tls-max-version; etcd exits at start"})
	}
	ciphers, ciphersAt, _ := fv.get("cipher-suites")
	if rank["tls-min-version"] == len(versions) && ciphers != "" && max(minAt, ciphersAt) >= 0 {
		out = append(out, violation{index: max(minAt, ciphersAt), msg: "cipher-suites is set while tls-min-version allows only " + versions[len(versions)-1],
			hint: "remove cipher-suites, as Go does not let TLS 1.3's be chosen, or lower tls-min-version; etcd exits at start"})
	}
	return out
}

// etcdURLs is Validate's check of the URL flags: a listening URL on an IP address or localhost,
// an advertised one with a host. What etcd's parse of a URL refuses (scheme, port, path) is
// KL210's, which runs the parse itself.
func etcdURLs(fv *flagView) []violation {
	var out []violation
	for _, flag := range []string{"listen-peer-urls", "listen-client-urls", "listen-client-http-urls", "listen-metrics-urls",
		"initial-advertise-peer-urls", "advertise-client-urls"} {
		v, at, ok := fv.get(flag)
		if !ok || at < 0 || v == "" {
			continue
		}
		listen := strings.HasPrefix(flag, "listen-")
		for _, s := range strings.Split(v, ",") {
			if unrendered(s) {
				continue
			}
			if problem := etcdURLProblem(strings.TrimSpace(s), listen); problem != "" {
				out = append(out, violation{index: at, msg: fmt.Sprintf("%s %q %s", flag, s, problem),
					hint: "write an IP address, as in kubeadm's own " + flag + "; etcd exits at start"})
				break // etcd stops at a flag's first bad URL
			}
		}
	}
	return out
}

// etcdURLProblem says what Validate refuses in one URL that etcd's parse took, or "".
func etcdURLProblem(s string, listen bool) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return "" // unix sockets pass; anything else fails the parse
	}
	host, _, err := net.SplitHostPort(u.Host)
	switch {
	case err != nil:
		return ""
	case listen && host != "localhost" && net.ParseIP(host) == nil:
		return "listens on a name, not an IP address"
	case host == "":
		return "has no host"
	}
	return ""
}

// unrendered reports a value that a template fills in later (envsubst's ${VAR}, a Go or Helm
// template's {{ }}): the URL is judged once rendered.
func unrendered(s string) bool {
	return strings.Contains(s, "${") || strings.Contains(s, "{{")
}
