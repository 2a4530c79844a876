package lint

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/version"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// DefaultKubernetesVersion is the kubeadm release the linter targets unless told otherwise.
const DefaultKubernetesVersion = "v1.37"

// Options describe the target the configs are linted for. Nothing here is read from the network.
type Options struct {
	// KubernetesVersion is the kubeadm release that will read the configs, as "v1.37". Checks that
	// depend on the release use it, including the ones kubeadm would resolve over the network.
	KubernetesVersion string
	// TargetAssumed is set when KubernetesVersion is DefaultKubernetesVersion because the user
	// named no release. Checks that compare the target with the kubeadm release a file was written
	// for then say nothing, as the file's own kubernetesVersion is the better evidence of it.
	TargetAssumed bool
	// HostProfile names a known host layout: "" or "immutable-usr" (Flatcar, Fedora CoreOS).
	HostProfile string
	// CNI is the pod network add-on the cluster will run: "", "flannel", "calico" or "cilium".
	CNI string
	// Host holds facts read from the machine kubeadm will run on; nil unless asked for.
	Host *Host
	// Profiles turns on the opt-in rule sets of these names (Rule.Profile), such as "cis".
	Profiles []string
	// AllFindings lifts MaxFindingsPerRule: fix sets it, as it must see every finding it fixes,
	// and every one it would leave or make, not the first hundred of a rule.
	AllFindings bool
	// Upgrading lints the files as 'kubeadm upgrade apply' to KubernetesVersion reads them: it
	// sets kubernetesVersion to its target, so an older kubernetesVersion in a file does not
	// select that release's component tables.
	Upgrading bool

	target  *version.Version
	release *release.Release
}

// Host is what --host reads from the local machine.
type Host struct {
	ReadOnlyUsr bool     // /usr is mounted read-only
	NICs        []string // non-loopback interfaces that are up, with an address
	// ResolvConfLoopback is set when /etc/resolv.conf's nameserver is in 127.0.0.0/8.
	ResolvConfLoopback bool
	// RuntimeCgroupDriver is "systemd" or "cgroupfs" as the container runtime's config sets it, or
	// "" when unknown.
	RuntimeCgroupDriver string
}

// HostProfiles lists the values HostProfile accepts.
var HostProfiles = []string{"immutable-usr"}

// CNIs lists the values CNI accepts.
var CNIs = []string{"flannel", "calico", "cilium"}

// validate checks the options and fills the parsed target version.
func (o *Options) validate() error {
	if o.KubernetesVersion == "" {
		o.KubernetesVersion, o.TargetAssumed = DefaultKubernetesVersion, true
	}
	r, err := ParseTarget(o.KubernetesVersion)
	if err != nil {
		return err
	}
	o.release, o.target = r, version.MajorMinor(1, uint(r.Minor))
	if o.HostProfile != "" && !slices.Contains(HostProfiles, o.HostProfile) {
		return fmt.Errorf("unknown host profile %q (want one of %s)", o.HostProfile, strings.Join(HostProfiles, ", "))
	}
	if o.CNI != "" && !slices.Contains(CNIs, o.CNI) {
		return fmt.Errorf("unknown CNI %q (want one of %s)", o.CNI, strings.Join(CNIs, ", "))
	}
	return nil
}

// ParseTarget parses the kubeadm release to lint for, as "v1.37" or "1.37" (a patch release
// stands for its minor release), into that release's tables. A release without tables is refused
// rather than linted with another release's facts. Options, .kubeadm-lint.yaml and the webhook's
// configuration all parse the release here, so that they accept and reject the same values.
func ParseTarget(s string) (*release.Release, error) {
	v, err := version.ParseGeneric(strings.TrimPrefix(s, "v"))
	if err != nil || v.Major() != 1 {
		return nil, fmt.Errorf("invalid kubernetes version %q: want a release such as %s", s, DefaultKubernetesVersion)
	}
	name := fmt.Sprintf("v1.%d", v.Minor())
	r, err := release.Load(name)
	if supported := release.Supported(); err != nil || !slices.Contains(supported, name) {
		known := fmt.Sprintf("unsupported kubernetes version %q: kubeadm-lint knows %s", s, strings.Join(supported, ", "))
		if oldest := supported[0]; v.LessThan(version.MustParseGeneric(strings.TrimPrefix(oldest, "v"))) {
			// kubeadm upgrades one minor release at a time, and the oldest release known still
			// reads v1beta3, in which most older configs are written.
			return nil, fmt.Errorf("%s; lint a config written for an older release with --kubernetes-version %s, run 'kubeadm-lint fix --migrate' to move it to kubeadm.k8s.io/v1beta4, and upgrade the cluster one minor release at a time", known, oldest)
		}
		return nil, errors.New(known)
	}
	return r, nil
}

// Target returns the target kubeadm release as major.minor.0.
func (o *Options) Target() *version.Version { return o.target }

// Release returns the target release's flags and feature gates.
func (o *Options) Release() *release.Release { return o.release }

// TargetMinor returns the target release's minor version.
func (o *Options) TargetMinor() int { return int(o.target.Minor()) }
