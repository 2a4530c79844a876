// Package table prints a component's flags and feature gates as the tab-separated lines that
// hack/flags/gen.sh gathers into lint/release/data. Each dumper is its own binary, so that a
// component's gate registry holds exactly what that component's binary registers.
package table

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Writer collects lines and prints them sorted, so that a table's diff shows only real changes.
type Writer struct {
	component string
	lines     []string
}

// New starts the table of one component.
func New(component string) *Writer { return &Writer{component: component} }

// Flag records one flag. impl is the Go type of its value, which decides how a value parses;
// typ is pflag's type name, which two implementations may share.
func (w *Writer) Flag(name, typ, impl, attrs, deprecated string, values []string) {
	w.add("flag", name, typ, impl, attrs, strings.Join(values, ","), deprecated)
}

// Gate records one feature gate.
func (w *Writer) Gate(name, stage string, def, locked bool, deps, deprecation string) {
	if stage == "" {
		stage = "GA" // featuregate.GA is the empty prerelease
	}
	w.add("gate", name, stage, fmt.Sprint(def), fmt.Sprint(locked), deps, deprecation)
}

// Fact records a fact about the release, such as the etcd version kubeadm deploys.
func (w *Writer) Fact(key, value string) { w.add("fact", key, value) }

// Set is a set of names the component checks an option's values against before it serves
// (admission plugins, authorization modes, controller names), with the Go identifier it was read
// from, so that a reader of the table can find it in the release's source.
type Set struct {
	Name   string
	Values []string
	Source string
}

// Values records a Set, its values sorted.
func (w *Writer) Values(s Set) {
	values := slices.Clone(s.Values)
	sort.Strings(values)
	w.add("values", s.Name, strings.Join(slices.Compact(values), ","), s.Source)
}

func (w *Writer) add(fields ...string) {
	for i, f := range fields {
		fields[i] = strings.Join(strings.Fields(f), " ")
	}
	w.lines = append(w.lines, w.component+"\t"+strings.Join(fields, "\t"))
}

// Print writes the lines to standard output, sorted.
func (w *Writer) Print() { w.write(os.Stdout) }

func (w *Writer) write(out io.Writer) {
	sort.Strings(w.lines)
	for _, l := range w.lines {
		fmt.Fprintln(out, l)
	}
}

// ImplName names the Go type that parses a flag's value, with its import path,
// "*k8s.io/component-base/cli/flag.MapStringBool": two packages named flag define flag values.
// Wrappers that only note that a flag was given, or adapt a Go flag to pflag, are named by the
// value they wrap, which is what parses.
func ImplName(v any) string {
	rv := unwrap(reflect.ValueOf(v))
	t := rv.Type()
	ptr := ""
	for t.Kind() == reflect.Pointer {
		ptr += "*"
		t = t.Elem()
	}
	pkg := t.PkgPath()
	if pkg == "" {
		return ptr + t.Name()
	}
	return ptr + pkg + "." + t.Name()
}

// wrappers are the flag values that hold another value in an interface field.
var wrappers = map[string]bool{
	"k8s.io/component-base/cli/flag.TrackerValue":     true,
	"k8s.io/component-base/cli/flag.BoolTrackerValue": true,
	"github.com/spf13/pflag.flagValueWrapper":         true,
}

func unwrap(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		s := v.Elem()
		if !wrappers[s.Type().PkgPath()+"."+s.Type().Name()] {
			return v
		}
		inner := reflect.Value{}
		for i := 0; i < s.NumField(); i++ {
			if f := s.Field(i); f.Kind() == reflect.Interface && !f.IsNil() {
				inner = f.Elem()
				break
			}
		}
		if !inner.IsValid() {
			return v
		}
		v = inner
	}
	return v
}

// Valids lists the values a value accepts when it is an enumeration that says so (etcd's
// SelectiveStringValue).
func Valids(v any) []string {
	if s, ok := v.(interface{ Valids() []string }); ok {
		out := s.Valids()
		sort.Strings(out)
		return out
	}
	return nil
}
