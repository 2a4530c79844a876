package release

import (
	"flag"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	etcdflags "go.etcd.io/etcd/pkg/v3/flags"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/apimachinery/pkg/util/version"
	cliflag "k8s.io/component-base/cli/flag"
	logsapi "k8s.io/component-base/logs/api/v1"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	utilflag "k8s.io/kubernetes/pkg/util/flag"
)

// A value parses a flag's text as the component's own flag value type does. The types are the
// components' own wherever the linter links them, and each check gets a fresh value, since list
// and map values keep what they were set to before.
type value struct {
	check func(f *Flag, s string) error
	// repeats is set when giving the flag again adds to its value instead of replacing it.
	repeats bool
}

// values maps a table's Go type of a flag value to how it parses. A test holds every type of
// every supported release to this map, so that a new type in a release is a decision, not a
// silent skip.
var values = sync.OnceValue(func() map[string]value {
	m := map[string]value{}
	add := func(repeats bool, mk func() flag.Value) {
		m[implName(mk())] = value{check: func(_ *Flag, s string) error { return mk().Set(s) }, repeats: repeats}
	}

	// pflag's own types are unexported: each is made by defining a flag of it.
	for _, def := range []struct {
		define  func(fs *pflag.FlagSet)
		repeats bool
	}{
		{define: func(fs *pflag.FlagSet) { fs.Bool("f", false, "") }},
		{define: func(fs *pflag.FlagSet) { fs.String("f", "", "") }},
		{define: func(fs *pflag.FlagSet) { fs.Int("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.Int32("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.Int64("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.Uint("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.Float32("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.Float64("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.Duration("f", 0, "") }},
		{define: func(fs *pflag.FlagSet) { fs.IP("f", nil, "") }},
		{define: func(fs *pflag.FlagSet) { fs.StringSlice("f", nil, "") }, repeats: true},
		{define: func(fs *pflag.FlagSet) { fs.StringArray("f", nil, "") }, repeats: true},
		{define: func(fs *pflag.FlagSet) { fs.Int32Slice("f", nil, "") }, repeats: true},
		{define: func(fs *pflag.FlagSet) { fs.StringToString("f", nil, "") }, repeats: true},
	} {
		add(def.repeats, func() flag.Value {
			fs := pflag.NewFlagSet("", pflag.ContinueOnError)
			def.define(fs)
			return fs.Lookup("f").Value
		})
	}

	// Go's flag package, for etcd.
	for _, define := range []func(fs *flag.FlagSet){
		func(fs *flag.FlagSet) { fs.Bool("f", false, "") },
		func(fs *flag.FlagSet) { fs.String("f", "", "") },
		func(fs *flag.FlagSet) { fs.Int("f", 0, "") },
		func(fs *flag.FlagSet) { fs.Int64("f", 0, "") },
		func(fs *flag.FlagSet) { fs.Uint("f", 0, "") },
		func(fs *flag.FlagSet) { fs.Uint64("f", 0, "") },
		func(fs *flag.FlagSet) { fs.Duration("f", 0, "") },
	} {
		add(false, func() flag.Value {
			fs := flag.NewFlagSet("", flag.ContinueOnError)
			define(fs)
			return fs.Lookup("f").Value
		})
	}

	// etcd's.
	add(false, func() flag.Value { return etcdflags.NewUniqueURLsWithExceptions("") })
	add(false, func() flag.Value { return etcdflags.NewUniqueStringsValue("") })
	add(false, func() flag.Value { return etcdflags.NewStringsValue("") })
	add(false, func() flag.Value { return etcdflags.NewUint32Value(0) })
	add(false, func() flag.Value { return &etcdflags.IgnoredFlag{} })

	// component-base's and apimachinery's.
	add(true, func() flag.Value { return cliflag.NewMapStringBool(&map[string]bool{}) })
	add(true, func() flag.Value { return cliflag.NewMapStringString(&map[string]string{}) })
	add(true, func() flag.Value { return cliflag.NewLangleSeparatedMapStringString(&map[string]string{}) })
	add(true, func() flag.Value { return cliflag.NewColonSeparatedMultimapStringString(&map[string][]string{}) })
	add(true, func() flag.Value { return cliflag.NewNamedCertKeyArray(&[]cliflag.NamedCertKey{}) })
	add(true, func() flag.Value { return &cliflag.ConfigurationMap{} })
	add(false, func() flag.Value { return logsapi.VerbosityLevelPflag(new(logsapi.VerbosityLevel)) })
	add(true, func() flag.Value { return logsapi.VModuleConfigurationPflag(&logsapi.VModuleConfiguration{}) })
	add(false, func() flag.Value { return &resource.QuantityValue{} })
	add(false, func() flag.Value { return &utilnet.PortRange{} })

	// Kubernetes' own (pkg/util/flag).
	add(false, func() flag.Value { return &utilflag.IPVar{Val: new(string)} })
	add(false, func() flag.Value { return &utilflag.IPPortVar{Val: new(string)} })
	add(true, func() flag.Value {
		return &utilflag.ReservedMemoryVar{Value: &[]kubeletconfig.MemoryReservation{}}
	})
	add(false, func() flag.Value { return &utilflag.RegisterWithTaintsVar{Value: &[]corev1.Taint{}} })

	// Types whose parse needs what the table says of the flag.
	m[versionImpl] = value{check: func(f *Flag, s string) error { return checkVersion(s, f.kubernetes) }}
	m[implName(etcdflags.NewSelectiveStringValue(""))] = value{check: func(f *Flag, s string) error { return checkEnum(f.Values, s) }}
	m[implName(etcdflags.NewSelectiveStringsValue(""))] = value{check: func(f *Flag, s string) error {
		for _, part := range strings.Split(s, ",") {
			if err := checkEnum(f.Values, part); err != nil {
				return err
			}
		}
		return nil
	}}
	return m
})

// checkEnum is etcd's SelectiveStringValue, with the values the table lists.
func checkEnum(valid []string, s string) error {
	if !slices.Contains(valid, s) {
		return fmt.Errorf("invalid value %q, want one of %s", s, strings.Join(valid, ", "))
	}
	return nil
}

// versionImpl is --version's value. It is unexported, and setting it to a version changes the
// process's version, so checkVersion parses it instead.
const versionImpl = "*k8s.io/component-base/version/verflag.versionValue"

// checkVersion is verflag's versionValue.Set: "raw", a bool, or a version to report instead of
// the binary's own, which component-base's validateDynamicVersion requires to have the binary's
// major, minor and patch. The binary is taken to be the patch release the table comes from.
func checkVersion(value, binary string) error {
	if value == "raw" || value == binary {
		return nil
	}
	if !strings.HasPrefix(value, "v") {
		_, err := strconv.ParseBool(value)
		return err
	}
	v, err := version.ParseSemantic(value)
	if err != nil {
		return err
	}
	b, err := version.ParseSemantic(binary)
	if err != nil {
		return nil // a table without a patch release: nothing to compare with
	}
	if v.Major() != b.Major() || v.Minor() != b.Minor() || v.Patch() != b.Patch() {
		return fmt.Errorf("version %q must match major/minor/patch of default version %q", value, binary)
	}
	return nil
}

// implName is the generator's name for the Go type of a value.
func implName(v any) string {
	t := reflect.TypeOf(v)
	ptr := ""
	for t.Kind() == reflect.Pointer {
		ptr += "*"
		t = t.Elem()
	}
	if t.PkgPath() == "" {
		return ptr + t.Name()
	}
	return ptr + t.PkgPath() + "." + t.Name()
}
