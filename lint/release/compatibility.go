package release

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/version"
)

// CompatibilityVersions parses a value of --emulated-version or --min-compatibility-version as
// the compatibility registry's Set does (k8s.io/component-base/compatibility, toVersionMap):
// "COMPONENT=VERSION", or "VERSION" for kube, a version without a patch, each component once.
func CompatibilityVersions(value string) (map[string]*version.Version, error) {
	out := map[string]*version.Version{}
	if value == "" {
		return out, nil // pflag's stringSlice reads "" as no entries
	}
	for _, item := range strings.Split(value, ",") {
		comp, v := "kube", item
		if c, rest, ok := strings.Cut(item, "="); ok {
			comp, v = strings.TrimSpace(c), strings.TrimSpace(rest)
		}
		ver, err := version.Parse(v)
		switch {
		case err != nil:
			return nil, err
		case ver.Patch() != 0:
			return nil, fmt.Errorf("patch version not allowed, got: %s=%s", comp, ver)
		case out[comp] != nil:
			return nil, fmt.Errorf("duplicate version flag, %s=%s and %s=%s", comp, out[comp], comp, ver)
		}
		out[comp] = ver
	}
	return out, nil
}

// VersionRanges returns the lowest and highest version each component of the compatibility
// registry takes for flag, read from the fact "versions/FLAG" ("kube=1.34..1.37"), or nil when
// the table holds no such fact.
func (c *Component) VersionRanges(flag string) map[string][2]*version.Version {
	fact := c.Fact("versions/" + flag)
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
