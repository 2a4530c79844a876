// Command volumedump prints, for the Kubernetes release it is built against, the hostPath mounts
// and the command-line flags kubeadm writes into the static Pods of the control plane, from
// kubeadm's own GetStaticPodSpecs and GetEtcdPodSpec on kubeadm's defaulted configuration.
//
// Paths that depend on the configuration are printed as ${certificatesDir} and ${dataDir}.
// kubeadm mounts some CA directories only when the host has them (caCertsExtraVolumePaths in
// volumes.go, which calls os.Stat); those are read from the source file itself, so that the table
// does not depend on the machine it was generated on, and marked if-present.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	v1 "k8s.io/api/core/v1"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/controlplane"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/etcd"
	configutil "k8s.io/kubernetes/cmd/kubeadm/app/util/config"
)

const (
	certsSentinel = "/kubeadm-lint-certificates-dir"
	dataSentinel  = "/kubeadm-lint-data-dir"
)

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: volumedump PATH/TO/controlplane/volumes.go"))
	}
	conditional, err := conditionalPaths(os.Args[1])
	if err != nil {
		fail(err)
	}
	cfg, err := configutil.DefaultedStaticInitConfiguration()
	if err != nil {
		fail(err)
	}
	cfg.CertificatesDir = certsSentinel
	cfg.Etcd.Local.DataDir = dataSentinel
	pods := controlplane.GetStaticPodSpecs(&cfg.ClusterConfiguration, &cfg.LocalAPIEndpoint, nil)
	pods["etcd"] = etcd.GetEtcdPodSpec(&cfg.ClusterConfiguration, &cfg.LocalAPIEndpoint, cfg.NodeRegistration.Name, nil)

	var lines []string
	add := func(fields ...string) { lines = append(lines, strings.Join(fields, "\t")) }
	caComponents := map[string]bool{}
	for name, pod := range pods {
		for _, v := range pod.Spec.Volumes {
			if v.HostPath != nil && v.HostPath.Path == "/etc/ssl/certs" {
				caComponents[name] = true
			}
		}
	}
	for name, pod := range pods {
		c := pod.Spec.Containers[0]
		hostPaths := map[string]string{}
		for _, v := range pod.Spec.Volumes {
			if v.HostPath != nil {
				hostPaths[v.Name] = v.HostPath.Path
			}
		}
		for _, m := range c.VolumeMounts {
			host, ok := hostPaths[m.Name]
			if !ok {
				continue
			}
			if slices.Contains(conditional, host) {
				continue // printed below, whatever this machine has
			}
			add(name, "mount", m.Name, sub(host), sub(m.MountPath), mode(m), "always")
		}
		if caComponents[name] {
			for _, p := range conditional {
				add(name, "mount", strings.ReplaceAll(p, "/", "-")[1:], p, p, "ro", "if-present")
			}
		}
		for _, arg := range c.Command[1:] {
			k, v, _ := strings.Cut(strings.TrimPrefix(arg, "--"), "=")
			add(name, "arg", k, sub(v))
		}
	}
	sort.Strings(lines)
	rel := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "k8s.io/kubernetes" {
				rel = d.Version
			}
		}
	}
	fmt.Printf("release\tfact\tkubernetes\t%s\n", rel)
	for _, l := range lines {
		fmt.Println(l)
	}
}

func mode(m v1.VolumeMount) string {
	if m.ReadOnly {
		return "ro"
	}
	return "rw"
}

// sub puts the placeholders back for the sentinel paths.
func sub(s string) string {
	s = strings.ReplaceAll(s, certsSentinel, "${certificatesDir}")
	return strings.ReplaceAll(s, dataSentinel, "${dataDir}")
}

// conditionalPaths reads the string list caCertsExtraVolumePaths from volumes.go.
func conditionalPaths(file string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "caCertsExtraVolumePaths" || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.CompositeLit); ok {
			for _, e := range lit.Elts {
				if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
					s, _ := strconv.Unquote(b.Value)
					out = append(out, filepath.Clean(s))
				}
			}
		}
		return false
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no caCertsExtraVolumePaths", file)
	}
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "volumedump:", err)
	os.Exit(1)
}
