package lint

import "fmt"

// Added returns the findings of after that before lacks: what linting for one release reports
// and linting the same source for another does not. Findings match by rule, position and field
// path; the message is left out, since it may name the release.
func Added(before, after []Finding) []Finding {
	seen := make(map[string]bool, len(before))
	for _, f := range before {
		seen[diffKey(f)] = true
	}
	var out []Finding
	for _, f := range after {
		if !seen[diffKey(f)] {
			out = append(out, f)
		}
	}
	return out
}

func diffKey(f Finding) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%s", f.Rule, f.Pos.File, f.Pos.Line, f.Pos.Column, f.Path)
}
