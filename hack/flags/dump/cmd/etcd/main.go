// Command etcd prints the flags and feature gates of the etcd server of the release it is built
// against. etcd builds its flag set in an unexported constructor, so this links to it by name
// instead of copying the flags it adds on top of embed.Config.
package main

import (
	"flag"
	"fmt"
	"os"
	"unsafe"

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
	w.Print()
}
