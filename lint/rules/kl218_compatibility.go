package rules

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/util/version"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
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
		ranges := fv.rel.Component(fv.component).VersionRanges(flag)
		for _, e := range entries {
			versions, err := release.CompatibilityVersions(e.value)
			if e.index < 0 || err != nil {
				continue
			}
			for _, comp := range slices.Sorted(maps.Keys(versions)) {
				ver, r := versions[comp], ranges[comp]
				if r[0] == nil {
					continue // a component the registry lacks
				}
				hi := r[1]
				if flag == "emulated-version" {
					emulated[comp] = ver
				} else if emulated[comp] != nil {
					hi = emulated[comp]
				}
				if ver.LessThan(r[0]) || ver.GreaterThan(hi) {
					out = append(out, violation{index: e.index, msg: fmt.Sprintf("%s %s is not between %s and %s", flag, ver, r[0], hi),
						hint: fmt.Sprintf("give a version %s %s takes (%s); it exits at start", fv.component, fv.release(), fv.rel.Component(fv.component).Fact("versions/"+flag))})
				}
			}
		}
	}
	return out
}
