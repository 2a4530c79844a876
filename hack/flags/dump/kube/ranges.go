package kube

import (
	"math"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"flagdump/table"
)

// Validator runs a component's own check of its options, on fresh options with one flag set
// (none when flag is ""), and returns what it refuses, as text; ok is false when the options
// have no such flag or the flag does not parse the value.
type Validator func(flag, value string) (refused string, ok bool)

// Ranges records, as facts "range/NAME" of the form "MIN..MAX" (an end left out is unbounded),
// the values of each numeric flag that the component's check accepts, found by setting the
// flag alone to values around its default. Checks written as "must be greater than 0" or "must
// not be more than 50" are then data, read from the release, however each names the flag. The
// search assumes the accepted values are one interval around the default, as every such check
// is; a flag whose default the check refuses, or that it accepts everywhere, is not recorded.
func Ranges(w *table.Writer, fs *pflag.FlagSet, validate Validator) {
	base, _ := validate("", "")
	fs.VisitAll(func(f *pflag.Flag) {
		n, ok := numberKinds[f.Value.Type()]
		if !ok {
			return
		}
		def, err := n.parse(f.DefValue)
		if err != nil {
			return
		}
		accepts := func(v int64) bool {
			refused, ok := validate(f.Name, n.format(v))
			return ok && refused == base
		}
		if !accepts(def) {
			return
		}
		lo, hi := "", ""
		if !accepts(n.min) {
			lo = n.format(bound(n.min, def, accepts))
		}
		if !accepts(n.max) {
			hi = n.format(bound(n.max, def, accepts))
		}
		if lo != "" || hi != "" {
			w.Fact("range/"+f.Name, lo+".."+hi)
		}
	})
}

// bound is the accepted value nearest to refused between it and accepted, by bisection.
func bound(refused, accepted int64, accepts func(int64) bool) int64 {
	for refused-accepted > 1 || accepted-refused > 1 {
		mid := refused + (accepted-refused)/2
		if accepts(mid) {
			accepted = mid
		} else {
			refused = mid
		}
	}
	return accepted
}

// numberKind is a pflag type searched as int64: integers as they are, durations in
// nanoseconds, floats in millionths.
type numberKind struct {
	min, max int64
	parse    func(string) (int64, error)
	format   func(int64) string
}

func integers(bits int) numberKind {
	return numberKind{min: math.MinInt32, max: math.MaxInt32,
		parse:  func(s string) (int64, error) { return strconv.ParseInt(s, 10, bits) },
		format: func(v int64) string { return strconv.FormatInt(v, 10) }}
}

var floats = numberKind{min: -1 << 40, max: 1 << 40,
	parse: func(s string) (int64, error) {
		f, err := strconv.ParseFloat(s, 64)
		return int64(math.Round(f * 1e6)), err
	},
	format: func(v int64) string { return strconv.FormatFloat(float64(v)/1e6, 'f', -1, 64) }}

var numberKinds = map[string]numberKind{
	"int": integers(64), "int32": integers(32), "int64": integers(64),
	"float32": floats, "float64": floats,
	"duration": {min: -1 << 50, max: 1 << 50, // about 13 days: longer is not a limit any check sets
		parse: func(s string) (int64, error) {
			d, err := time.ParseDuration(s)
			return int64(d), err
		},
		format: func(v int64) string { return time.Duration(v).String() }},
}
