// Command etcd prints the flags and feature gates of the etcd server of the release it is built
// against. etcd builds its flag set in an unexported constructor, so this links to it by name
// instead of copying the flags it adds on top of embed.Config.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unsafe"

	"go.etcd.io/etcd/client/pkg/v3/logutil"
	"go.etcd.io/etcd/client/pkg/v3/tlsutil"
	"go.etcd.io/etcd/pkg/v3/featuregate"
	"go.etcd.io/etcd/server/v3/embed"
	_ "go.etcd.io/etcd/server/v3/etcdmain"

	"flagdump/table"
)

// newConfig returns etcdmain's *config, whose first field is the embed.Config and whose second
// starts with the *flag.FlagSet that etcd parses its command line with.
//
//go:linkname newConfig go.etcd.io/etcd/server/v3/etcdmain.newConfig
func newConfig() unsafe.Pointer

//go:linkname deprecatedFlags go.etcd.io/etcd/server/v3/etcdmain.deprecatedFlags
var deprecatedFlags map[string]string

func main() {
	cfg := newConfig()
	ec := (*embed.Config)(cfg)
	fs := *(**flag.FlagSet)(unsafe.Add(cfg, unsafe.Sizeof(embed.Config{})))
	if fs == nil || fs.Name() != "etcd" || fs.Lookup("data-dir") == nil {
		fmt.Fprintln(os.Stderr, "etcdmain's config no longer starts with embed.Config and the flag set: update hack/flags/dump/cmd/etcd")
		os.Exit(1)
	}
	w := table.New("etcd")
	fs.VisitAll(func(f *flag.Flag) {
		impl := table.ImplName(f.Value)
		w.Flag(f.Name, impl, impl, "", deprecatedFlags[f.Name], table.Valids(f.Value))
	})
	for name, spec := range ec.ServerFeatureGate.(featuregate.MutableFeatureGate).GetAll() {
		w.Gate(string(name), string(spec.PreRelease), spec.Default, spec.LockToDefault, "", "")
	}
	for _, s := range valueSets() {
		w.Values(s)
	}
	def := embed.NewConfig()
	w.Fact("heartbeat-interval", fmt.Sprint(def.TickMs))
	w.Fact("election-timeout", fmt.Sprint(def.ElectionMs))
	maxElection, err := maxElectionTimeout()
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd:", err)
		os.Exit(1)
	}
	w.Fact("max-election-timeout", maxElection)
	w.Print()
}

// valueSets are the names embed.Config.Validate accepts for the options that take one of a set
// and whose flag does not hold them (--initial-cluster-state's does: the flag rules read it).
func valueSets() []table.Set {
	// etcd takes Go's cipher suite names and a few of its own spellings: whatever its own lookup
	// finds among Go's names and those names without their "_SHA256".
	var ciphers []string
	for _, c := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		for _, name := range []string{c.Name, strings.TrimSuffix(c.Name, "_SHA256")} {
			if _, ok := tlsutil.GetCipherSuite(name); ok {
				ciphers = append(ciphers, name)
			}
		}
	}
	return []table.Set{
		{Name: "auto-compaction-modes", Values: []string{embed.CompactorModePeriodic, embed.CompactorModeRevision},
			Source: "go.etcd.io/etcd/server/v3/embed.CompactorModePeriodic and CompactorModeRevision"},
		{Name: "tls-versions", Values: []string{string(tlsutil.TLSVersion12), string(tlsutil.TLSVersion13)},
			Source: "go.etcd.io/etcd/client/pkg/v3/tlsutil.GetTLSVersion"},
		{Name: "cipher-suites", Values: ciphers, Source: "go.etcd.io/etcd/client/pkg/v3/tlsutil.GetCipherSuite"},
		{Name: "log-formats", Values: []string{logutil.JSONLogFormat, logutil.ConsoleLogFormat},
			Source: "go.etcd.io/etcd/client/pkg/v3/logutil.ConvertToZapFormat"},
	}
}

// maxElectionTimeout reads the longest --election-timeout etcd takes from the error
// embed.Config.Validate gives for a longer one, as the limit is not exported.
func maxElectionTimeout() (string, error) {
	cfg := embed.NewConfig()
	cfg.ElectionMs = 1 << 40
	err := cfg.Validate()
	if m := regexp.MustCompile(`less than (\d+)ms`).FindStringSubmatch(fmt.Sprint(err)); m != nil {
		return m[1], nil
	}
	return "", fmt.Errorf("no election-timeout limit in %v: update hack/flags/dump/cmd/etcd", err)
}
