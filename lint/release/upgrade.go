package release

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"
)

// Upgrade is what one release's 'kubeadm upgrade' holds to, from data/upgrade (hack/upgrade,
// 'make upgrade-facts'). These tables reach further back than the flag tables, since they are
// read from the source and need no build: an upgrade path from an older release can be checked
// for its versions, if not for its flags.
type Upgrade struct {
	Minor      int
	Kubernetes string // the patch release the facts come from: "v1.37.2"
	// UpgradeSkew is how many minor releases one 'kubeadm upgrade apply' may go.
	UpgradeSkew int
	// KubeletSkew is how many minor releases a kubelet may lag the control plane (kubeadm's
	// MinimumKubeletVersion); ControlPlaneSkew the same for the control plane kubeadm deploys.
	KubeletSkew, ControlPlaneSkew int
	CoreDNS                       string // the CoreDNS release kubeadm deploys, "1.14.6"
	Etcd                          string // the etcd image tag kubeadm deploys, "3.7.0-0"
	// Sources names the source file and line of each fact, by fact name.
	Sources map[string]string
}

//go:embed data/upgrade/*.tsv
var upgradeData embed.FS

// UpgradeReleases lists the releases with upgrade facts, oldest first.
func UpgradeReleases() []string { return namesIn(upgradeData, "data/upgrade") }

// LoadUpgrade returns the upgrade facts of a release named as "v1.37".
func LoadUpgrade(name string) (*Upgrade, error) {
	file := "data/upgrade/" + name + ".tsv"
	b, err := upgradeData.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("no upgrade facts for Kubernetes %s (have %s)", name, strings.Join(UpgradeReleases(), ", "))
	}
	u := &Upgrade{Minor: minorOf(name), Sources: map[string]string{}}
	ints := map[string]*int{"upgrade-skew": &u.UpgradeSkew, "kubelet-skew": &u.KubeletSkew, "control-plane-skew": &u.ControlPlaneSkew}
	strs := map[string]*string{"kubernetes": &u.Kubernetes, "coredns": &u.CoreDNS, "etcd": &u.Etcd}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want 3 fields, have %d", file, n, len(f))
		}
		u.Sources[f[0]] = f[2]
		switch {
		case ints[f[0]] != nil:
			v, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %w", file, n, f[0], err)
			}
			*ints[f[0]] = v
		case strs[f[0]] != nil:
			*strs[f[0]] = f[1]
		default:
			return nil, fmt.Errorf("%s:%d: unknown fact %q", file, n, f[0])
		}
	}
	for name := range ints {
		if u.Sources[name] == "" {
			return nil, fmt.Errorf("%s: no %s", file, name)
		}
	}
	for name := range strs {
		if u.Sources[name] == "" {
			return nil, fmt.Errorf("%s: no %s", file, name)
		}
	}
	return u, nil
}
