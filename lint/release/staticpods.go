package release

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strings"
)

// The placeholders a static Pod table writes for paths that come from the ClusterConfiguration.
const (
	CertificatesDirVar = "${certificatesDir}"
	DataDirVar         = "${dataDir}"
)

// StaticPods is what a release's kubeadm writes into the static Pods of the control plane on its
// defaulted configuration: the hostPath mounts of each component and the flags it sets. The
// tables in data/staticpods come from kubeadm's own GetStaticPodSpecs and GetEtcdPodSpec
// (hack/volumes/gen.sh); nothing here is typed by hand.
type StaticPods struct {
	Kubernetes string // the patch release the table was generated from
	mounts     map[string][]Mount
	args       map[string][]Arg
}

// Mount is one hostPath volume kubeadm mounts into a component. Paths may hold the placeholders
// CertificatesDirVar and DataDirVar.
type Mount struct {
	Name, HostPath, MountPath string
	ReadOnly                  bool
	// IfPresent marks a CA directory kubeadm mounts only when the host has it.
	IfPresent bool
}

// Arg is one flag kubeadm sets by default, as name and value without the dashes.
type Arg struct{ Name, Value string }

// Mounts returns the hostPath mounts kubeadm gives a component, in the table's order.
func (s *StaticPods) Mounts(component string) []Mount {
	if s == nil {
		return nil
	}
	return s.mounts[component]
}

// Args returns the flags kubeadm sets on a component by default, sorted by name.
func (s *StaticPods) Args(component string) []Arg {
	if s == nil {
		return nil
	}
	return s.args[component]
}

// StaticPods returns the release's static Pod table, or nil for a release of history/.
func (r *Release) StaticPods() *StaticPods { return r.staticPods }

func parseStaticPods(name string) (*StaticPods, error) {
	file := path.Join("data", "staticpods", name+".tsv")
	b, err := data.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("no static Pod table for Kubernetes %s", name)
	}
	s := &StaticPods{mounts: map[string][]Mount{}, args: map[string][]Arg{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case len(f) == 4 && f[0] == "release" && f[1] == "fact" && f[2] == "kubernetes":
			s.Kubernetes = f[3]
		case len(f) == 4 && f[1] == "arg":
			s.args[f[0]] = append(s.args[f[0]], Arg{Name: f[2], Value: f[3]})
		case len(f) == 7 && f[1] == "mount" && (f[5] == "ro" || f[5] == "rw") && (f[6] == "always" || f[6] == "if-present"):
			s.mounts[f[0]] = append(s.mounts[f[0]], Mount{Name: f[2], HostPath: f[3], MountPath: f[4], ReadOnly: f[5] == "ro", IfPresent: f[6] == "if-present"})
		default:
			return nil, fmt.Errorf("%s:%d: want a fact, an arg or a mount line, have %q", file, n, line)
		}
	}
	if s.Kubernetes == "" {
		return nil, fmt.Errorf("%s: no kubernetes release recorded", file)
	}
	return s, nil
}
