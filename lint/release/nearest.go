package release

import "strings"

// Nearest returns the candidate a misspelt name most likely meant: one that differs only in case,
// or the nearest at most two edits away (one for names shorter than 6), or "".
func Nearest(name string, candidates []string) string {
	limit := 2
	if len(name) < 6 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
		if d := distance(name, c, limit); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
