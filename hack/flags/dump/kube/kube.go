// Package kube records the pflag sets and feature gate registries of the Kubernetes components.
package kube

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/client-go/tools/leaderelection"
	cliflag "k8s.io/component-base/cli/flag"
	"k8s.io/component-base/featuregate"

	"flagdump/table"
)

// Registry is what a feature gate registry tells of itself. Registries of v1.35 and later also
// tell what each gate depends on.
type Registry interface {
	GetAll() map[featuregate.Feature]featuregate.FeatureSpec
}

type dependencies interface {
	Dependencies() map[featuregate.Feature][]featuregate.Feature
}

// DumpCommand prints the flags of a component's cobra command, as cli.Run and cobra's Execute
// complete them before parsing, the gates of its registry, and the sets of names its options
// are checked against.
func DumpCommand(component string, cmd *cobra.Command, gates Registry, validate Validator, sets ...table.Set) {
	cmd.SetGlobalNormalizationFunc(cliflag.WordSepNormalizeFunc)
	cmd.InitDefaultHelpFlag()
	w := table.New(component)
	PFlags(w, cmd.Flags())
	if validate != nil {
		Ranges(w, cmd.Flags(), validate)
	}
	Gates(w, gates)
	if f := cmd.Flags().Lookup("logging-format"); f != nil {
		sets = append(sets, loggingFormats(f.Usage))
	}
	for _, s := range sets {
		w.Values(s)
	}
	for _, name := range []string{"emulated-version", "min-compatibility-version"} {
		if f := cmd.Flags().Lookup(name); f != nil {
			w.Fact("versions/"+name, versionRanges(f.Usage))
		}
	}
	for _, name := range defaultsRead {
		if f := cmd.Flags().Lookup(name); f != nil {
			w.Fact("default/"+name, f.DefValue)
		}
	}
	if cmd.Flags().Lookup("leader-elect") != nil {
		// client-go's NewLeaderElector wants the renew deadline above the retry period times it.
		w.Fact("leader-election-jitter-factor", strconv.FormatFloat(leaderelection.JitterFactor, 'g', -1, 64))
	}
	w.Print()
}

// defaultsRead are the flags whose defaults the linter's checks need, as facts "default/NAME".
var defaultsRead = []string{"oidc-username-claim", "leader-elect-lease-duration", "leader-elect-renew-deadline", "leader-elect-retry-period",
	"coordinated-leadership-lease-duration", "coordinated-leadership-renew-deadline", "coordinated-leadership-retry-period", "service-node-port-range",
	"audit-log-batch-throttle-enable", "audit-webhook-batch-throttle-enable", "audit-log-truncate-max-event-size",
	"audit-log-truncate-max-batch-size", "audit-webhook-truncate-max-event-size", "audit-webhook-truncate-max-batch-size"}

// loggingFormats reads the formats logsapi's registry holds, which it does not export, out of
// the --logging-format usage it writes from them: Permitted formats: "json" (gated by ...), "text".
func loggingFormats(usage string) table.Set {
	_, list, _ := strings.Cut(usage, "Permitted formats:")
	var names []string
	for _, m := range quoted.FindAllStringSubmatch(list, -1) {
		names = append(names, m[1])
	}
	if len(names) == 0 {
		panic("the --logging-format usage no longer lists the permitted formats: " + usage)
	}
	return table.Set{Name: "logging-formats", Values: names, Source: "k8s.io/component-base/logs/api/v1 logRegistry (through the --logging-format usage)"}
}

var quoted = regexp.MustCompile(`"([^"]+)"`)

// versionRanges reads the versions each component of a compatibility registry takes, which
// --emulated-version's and --min-compatibility-version's usage lists from the registry's
// effective versions ("Options are: kube=1.34..1.37(default:1.37)"), as "kube=1.34..1.37".
func versionRanges(usage string) string {
	var out []string
	for _, m := range versionRange.FindAllStringSubmatch(usage, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		panic("the version flag's usage no longer lists its options: " + usage)
	}
	return strings.Join(out, ",")
}

var versionRange = regexp.MustCompile(`([\w-]+=\d+\.\d+\.\.\d+\.\d+)\(default:`)

// TLSSets are the TLS versions and cipher suites a component's secure serving options parse
// (SecureServingOptions.ApplyTo): every component that serves shares them.
func TLSSets() []table.Set {
	return []table.Set{
		{Name: "tls-versions", Values: cliflag.TLSPossibleVersions(), Source: "k8s.io/component-base/cli/flag.TLSPossibleVersions"},
		{Name: "tls-cipher-suites", Values: cliflag.TLSCipherPossibleValues(), Source: "k8s.io/component-base/cli/flag.TLSCipherPossibleValues"},
	}
}

// PFlags records every flag of a pflag set, hidden and deprecated ones included.
func PFlags(w *table.Writer, fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		attrs := ""
		if f.Hidden {
			attrs += "h"
		}
		w.Flag(f.Name, f.Value.Type(), table.ImplName(f.Value), attrs, f.Deprecated, table.Valids(f.Value))
	})
}

// Gates records the feature gates a registry knows at its emulation version, the one a
// component starts with, and what each depends on.
func Gates(w *table.Writer, fg Registry) {
	var deps map[featuregate.Feature][]featuregate.Feature
	if d, ok := fg.(dependencies); ok {
		deps = d.Dependencies()
	}
	for name, spec := range fg.GetAll() {
		var ds []string
		for _, d := range deps[name] {
			ds = append(ds, string(d))
		}
		sort.Strings(ds)
		w.Gate(string(name), string(spec.PreRelease), spec.Default, spec.LockToDefault, strings.Join(ds, ","), "")
	}
}
