package release

import (
	"strings"
)

// IsFeatureGates reports whether the flag takes feature gates, which CheckGates judges.
func (f *Flag) IsFeatureGates() bool { return f.Name == "feature-gates" }

// CheckValue parses a value as the component parses "--name=value" at start, and checks it as
// the component checks its flags before it starts; it returns the component's own error. Types
// that take any text return nil.
func (f *Flag) CheckValue(v string) error {
	if val, ok := values()[f.Impl]; ok {
		if err := val.check(f, v); err != nil {
			return err
		}
	}
	if validate := validators[f.component+"/"+f.Name]; validate != nil {
		return validate(f, v)
	}
	return nil
}

// Repeats reports whether giving the flag more than once adds to its value; otherwise the last
// one wins and the others are lost.
func (f *Flag) Repeats() bool { return values()[f.Impl].repeats }

// Known reports whether the linter knows how values of the flag's type parse.
func (f *Flag) Known() bool {
	_, ok := values()[f.Impl]
	return ok || f.IsFeatureGates()
}

// Suggest returns the component's flag a misspelt name most likely meant, or "". It takes the
// nearest visible flag at most two edits away (one for short names), and never one that only
// adds or drops a prefix or suffix: "insecure-port" is a removed flag, not a typo of
// "secure-port".
func (c *Component) Suggest(name string) string {
	name = c.normalize(name)
	limit := 2
	if len(name) < 6 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, f := range c.Flags() {
		if f.Hidden || f.Deprecated != "" {
			continue
		}
		if strings.HasSuffix(f.Name, name) || strings.HasSuffix(name, f.Name) ||
			strings.HasPrefix(f.Name, name) || strings.HasPrefix(name, f.Name) {
			continue
		}
		if d := distance(name, f.Name, limit); d < bestDist {
			best, bestDist = f.Name, d
		}
	}
	return best
}

// distance is the optimal string alignment distance (Levenshtein with transpositions) of a and
// b, or limit+1 when it exceeds limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
