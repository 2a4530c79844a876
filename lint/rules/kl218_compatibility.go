package rules

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/version"
)

// compatibilityVersions is the compatibility registry's Validate, which every control-plane
// component runs before it serves: the emulated version between the release's floor and
// itself, the minimum compatibility version between its floor and the emulated version. The
// ranges are facts "versions/FLAG" of each release; what the registry's Set refuses (a malformed
// entry, a component it lacks) is KL210's.
func compatibilityVersions(fv *flagView) []violation {
	var out []violation
	emulated := map[string]*version.Version{}
	for _, flag := range []string{"emulated-version", "min-compatibility-version"} {
		entries := fv.entries(flag)
		if len(entries) == 0 {
			continue
		}
		fact := fv.rel.Component(fv.component).Fact("versions/" + flag)
		ranges := versionRanges(fact)
		for _, e := range entries {
			for _, item := range strings.Split(e.value, ",") {
				comp, v := "kube", item
				if c, rest, ok := strings.Cut(item, "="); ok {
					comp, v = strings.TrimSpace(c), strings.TrimSpace(rest)
				}
				ver, err := version.Parse(v)
				r, known := ranges[comp]
				if e.index < 0 || err != nil || !known {
					continue
				}
				hi := r[1]
				if flag == "emulated-version" {
					emulated[comp] = ver
				} else if emulated[comp] != nil {
					hi = emulated[comp]
				}
				if ver.LessThan(r[0]) || ver.GreaterThan(hi) {
					out = append(out, violation{index: e.index, msg: fmt.Sprintf("%s %s is not between %s and %s", flag, v, r[0], hi),
						hint: fmt.Sprintf("give a version %s %s takes (%s); it exits at start", fv.component, fv.release(), fact)})
				}
			}
		}
	}
	return out
}

// versionRanges reads a "versions/FLAG" fact, "kube=1.34..1.37", as each component's lowest and
// highest version; nil when the fact is absent.
func versionRanges(fact string) map[string][2]*version.Version {
	if fact == "" {
		return nil
	}
	out := map[string][2]*version.Version{}
	for _, part := range strings.Split(fact, ",") {
		comp, span, _ := strings.Cut(part, "=")
		lo, hi, _ := strings.Cut(span, "..")
		if l, err := version.Parse(lo); err == nil {
			if h, err := version.Parse(hi); err == nil {
				out[comp] = [2]*version.Version{l, h}
			}
		}
	}
	return out
}
