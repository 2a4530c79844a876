// Command etcd prints the flags and feature gates of the etcd server of the release it is built
// against. etcd builds its flag set in an unexported constructor, so this links to it by name
// instead of copying the flags it adds on top of embed.Config.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"unsafe"

	"go.uber.org/zap/zapcore"

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

// parse is etcdmain's (*config).parse: the command line's parse and embed.Config.Validate, as
// etcd runs them at start. A flag it cannot parse exits the process.
//
//go:linkname parse go.etcd.io/etcd/server/v3/etcdmain.(*config).parse
func parse(cfg unsafe.Pointer, args []string) error

// flagSet is the flag set of an etcdmain config.
func flagSet(cfg unsafe.Pointer) *flag.FlagSet {
	return *(**flag.FlagSet)(unsafe.Add(cfg, unsafe.Sizeof(embed.Config{})))
}

func main() {
	cfg := newConfig()
	ec := (*embed.Config)(cfg)
	fs := flagSet(cfg)
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
	// setupLogging refuses the default output beside another, and the journal beside another;
	// a static Pod has no journal to write to.
	w.Fact("log-output-default", embed.DefaultLogOutput)
	w.Fact("log-output-journal", embed.JournalLogOutput)
	w.Values(table.Set{Name: "bootstrap-flags", Values: bootstrapFlags(fs),
		Source: "go.etcd.io/etcd/server/v3/embed.ErrConflictBootstrapFlags, given with --initial-cluster"})
	refusedValues(w, fs)
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
		{Name: "log-levels", Values: logLevels(), Source: "go.uber.org/zap/zapcore.Level (logutil.ConvertToZapLevel panics on any other, compared in any case)"},
		{Name: "loggers", Values: loggers(), Source: "go.etcd.io/etcd/server/v3/embed.Config.setupLogging"},
	}
}

// logLevels are the names zapcore.Level's UnmarshalText takes, in lower case; it also takes
// them in upper case, or failing that lowered, so any case.
func logLevels() []string {
	var out []string
	for l := zapcore.DebugLevel; l <= zapcore.FatalLevel; l++ {
		var back zapcore.Level
		if back.Set(l.String()) != nil || back != l {
			panic("zapcore no longer parses its own level " + l.String())
		}
		out = append(out, l.String())
	}
	return out
}

// loggers are the --logger values embed.Config.Validate takes: its default is the only one
// setupLogging has had since capnslog was removed, which this proves by validating it, and
// proves that Validate still refuses another.
func loggers() []string {
	takes := func(logger string) bool {
		cfg := embed.NewConfig()
		cfg.Logger = logger
		return cfg.Validate() == nil
	}
	def := embed.NewConfig().Logger
	if !takes(def) || takes("capnslog") || takes(def+"x") {
		panic("embed.Config.Validate takes other loggers than its default: update hack/flags/dump/cmd/etcd")
	}
	return []string{def}
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

// bootstrapFlags are the discovery flags that Validate refuses beside --initial-cluster, which
// kubeadm always passes: each "discovery" flag is given alone beside it, to see which make etcd
// bootstrap two ways.
func bootstrapFlags(fs *flag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(f.Name, "discovery") || flagSet(newConfig()).Set(f.Name, "example.com") != nil {
			return
		}
		err := parse(newConfig(), []string{"--initial-cluster=default=http://localhost:2380", "--" + f.Name + "=example.com"})
		if errors.Is(err, embed.ErrConflictBootstrapFlags) {
			out = append(out, f.Name)
		}
	})
	if len(out) == 0 {
		panic("no discovery flag conflicts with --initial-cluster: update hack/flags/dump/cmd/etcd")
	}
	return out
}

// refusedValues records, as facts "refused/NAME", the values a flag's own parse lists as valid
// that etcd's start then refuses (--discovery-fallback=proxy, the v2 proxy that is gone).
func refusedValues(w *table.Writer, fs *flag.FlagSet) {
	base := fmt.Sprint(parse(newConfig(), nil))
	fs.VisitAll(func(f *flag.Flag) {
		var refused []string
		for _, v := range table.Valids(f.Value) {
			if err := parse(newConfig(), []string{"--" + f.Name + "=" + v}); fmt.Sprint(err) != base {
				refused = append(refused, v)
			}
		}
		if len(refused) > 0 {
			w.Fact("refused/"+f.Name, strings.Join(refused, ","))
		}
	})
}
