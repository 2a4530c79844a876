package lint

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Policy is what a project's settings say about the rules: which are off, the severity each
// reports at, and where findings are dropped. It is applied in one place, a Collector, by every
// pass and every front end: the file pass of Linter, the cluster pass of package audit, and the
// webhook through its Linter.
type Policy struct {
	// Severity overrides a rule's severity, by rule ID.
	Severity map[string]Severity
	// Disabled turns rules off, by rule ID.
	Disabled map[string]bool
	// Profiles are the opt-in rule sets that run, such as "cis".
	Profiles []string
	// Exclude reports whether a finding of rule in source is dropped: the settings file's
	// excludes. Nil drops none.
	Exclude func(source, rule string) bool
}

// Check fails on a policy that names a rule not in rules, or a profile none of them is in.
func (p Policy) Check(rules []*Rule) error {
	known, profiles := map[string]bool{}, map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
		if r.Profile != "" {
			profiles[r.Profile] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(p.Severity)) {
		if !known[id] {
			return fmt.Errorf("severity for unknown rule %q", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(p.Disabled)) {
		if !known[id] {
			return fmt.Errorf("cannot disable unknown rule %q", id)
		}
	}
	for _, name := range p.Profiles {
		if !profiles[name] {
			return fmt.Errorf("unknown profile %q (want one of %s)", name, strings.Join(slices.Sorted(maps.Keys(profiles)), ", "))
		}
	}
	return nil
}

// Runs reports whether r runs under the policy: it is not disabled, and its profile, if any, is
// on. A rule that does not run stays known, so that settings and ignore comments may name it.
func (p Policy) Runs(r *Rule) bool {
	return !p.Disabled[r.ID] && (r.Profile == "" || slices.Contains(p.Profiles, r.Profile))
}

// Collector gathers one run's findings under a Policy: it drops the findings of rules that do not
// run, gives each the severity the policy sets (or the rule's, when the finding has none), and
// keeps at most MaxFindingsPerRule of a rule in one scope (a document, a cluster), counting the
// rest in one finding that Summarise adds. Excluded findings are dropped by Findings, after
// suppressions have seen them.
type Collector struct {
	// Uncapped keeps every finding, for fix, which must see all it fixes.
	Uncapped bool
	policy   Policy
	shown    map[scoped]int
	dropped  map[scoped]int
	order    []scoped // the scopes that went over, in the order they did
	found    []Finding
}

type scoped struct {
	rule  *Rule
	scope any
}

// NewCollector returns an empty Collector for policy.
func NewCollector(policy Policy) *Collector {
	return &Collector{policy: policy}
}

// Take reports whether one more finding of r in scope is kept; it counts the ones that are not.
// Callers ask before they format a message nobody will see.
func (c *Collector) Take(r *Rule, scope any) bool {
	k := scoped{r, scope}
	if c.Uncapped || c.shown[k] < MaxFindingsPerRule {
		if c.shown == nil {
			c.shown = map[scoped]int{} // most Lints of a clean file never get here
		}
		c.shown[k]++
		return true
	}
	c.Omit(r, scope, 1)
	return false
}

// Omit counts n findings of r in scope that were never made, as the cap was reached where they
// were found: Summarise counts them with the rest.
func (c *Collector) Omit(r *Rule, scope any, n int) {
	if n <= 0 {
		return
	}
	k := scoped{r, scope}
	if c.dropped == nil {
		c.dropped = map[scoped]int{}
	}
	if c.dropped[k] == 0 {
		c.order = append(c.order, k)
	}
	c.dropped[k] += n
}

// Add records a finding of r, unless the policy turns r off. Rule, severity and references are
// filled in from r and the policy.
func (c *Collector) Add(r *Rule, f Finding) {
	if !c.policy.Runs(r) {
		return
	}
	f.Rule, f.References = r.ID, r.References
	if s, ok := c.policy.Severity[r.ID]; ok {
		f.Severity = s
	} else if f.Severity == 0 {
		f.Severity = r.Severity
	}
	c.found = append(c.found, f)
}

// Summarise adds, for each rule and scope over the cap, the finding that says how many were
// left out, placed by at.
func (c *Collector) Summarise(at func(r *Rule, scope any, f Finding) Finding) {
	for _, k := range c.order {
		what := " in this document"
		if k.scope == nil {
			what = ""
		}
		f := Finding{Severity: k.rule.Severity, Message: fmt.Sprintf("%d more %s findings%s are not shown", c.dropped[k], k.rule.ID, what),
			Hint: "they repeat the mistake of the findings shown"}
		c.Add(k.rule, at(k.rule, k.scope, f))
	}
	c.order = c.order[:0]
	clear(c.dropped)
}

// Findings returns what was collected, less what the policy excludes, sorted.
func (c *Collector) Findings() []Finding {
	fs := c.found
	if c.policy.Exclude != nil {
		fs = slices.DeleteFunc(fs, func(f Finding) bool { return c.policy.Exclude(f.Pos.File, f.Rule) })
	}
	SortFindings(fs)
	return fs
}
