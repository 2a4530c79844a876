package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/version"
	kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL602 = &lint.Rule{
	ID:       "KL602",
	Name:     "kubeadm-config-map-missing",
	Summary:  "a ConfigMap that kubeadm join and upgrade read is missing or has no configuration",
	Check:    checkConfigMaps,
	Severity: lint.SeverityError,
	Doc: `kubeadm stores the cluster's configuration in kube-system: the ClusterConfiguration in the
` + "`kubeadm-config`" + ` ConfigMap and the KubeletConfiguration in ` + "`kubelet-config`" + `. Every
` + "`kubeadm join`" + ` and ` + "`kubeadm upgrade`" + ` reads them, and fails when they are gone or when their key
is. They go missing when the upload-config phase was skipped, or when someone "cleaned up"
kube-system.

` + "`kubeadm-lint cluster`" + ` lints their content with the same rules as files, at
` + "`configmap/kube-system/kubeadm-config[ClusterConfiguration]:LINE:COL`" + `.

Bad: ` + "`kubectl -n kube-system delete configmap kubelet-config`" + `.

Good: upload them again from the configuration the cluster was made with:

    kubeadm init phase upload-config all --config kubeadm.yaml

Source: kubeadm's ` + "`phases/uploadconfig`" + ` and ` + "`phases/kubelet`" + `.`,
}

var KL615 = &lint.Rule{
	ID:       "KL615",
	Name:     "cluster-release-not-known",
	Summary:  "the cluster runs a release that kubeadm-lint has no tables for",
	Check:    checkConfigMaps,
	Severity: lint.SeverityInfo,
	Doc: `kubeadm-lint lints a cluster's ConfigMaps for the release the cluster runs, read from the
` + "`kubernetesVersion`" + ` of its ClusterConfiguration, or from the API server when that is unset. It
knows the releases listed by ` + "`kubeadm-lint --help`" + `; for any other it lints for the nearest one
it knows and says so, since flags and feature gates differ between releases.

Bad: auditing a v1.31 cluster: its ConfigMaps are linted for v1.35.

Good: upgrade the cluster, or pass ` + "`--kubernetes-version`" + ` to choose the release yourself.

Source: kubeadm-lint's release tables (` + "`lint/release`" + `), generated from each release's source.`,
}

// clusterConfig is what the other checks need from the ClusterConfiguration.
type clusterConfig struct {
	kubernetesVersion string
	// externalCloud is set when a control-plane component runs with --cloud-provider=external.
	externalCloud bool
	// etcdImageTag is etcd.local.imageTag, at its line and column.
	etcdImageTag                         string
	etcdImageTagLine, etcdImageTagColumn int
}

// configMaps reads the kubeadm ConfigMaps, picks the release from the ClusterConfiguration, and
// lints each with the core.
func (a *auditor) configMaps(ctx context.Context) error {
	data := map[string]string{}
	var sources []lint.Source
	for _, cm := range kubeadm.ConfigMaps {
		object := ref("ConfigMap", metav1.NamespaceSystem, cm.Name)
		var missing func()
		if cm.Required {
			missing = func() {
				a.reportf(KL602, object, "upload it again: kubeadm init phase upload-config all --config kubeadm.yaml", "the %s ConfigMap is missing", cm.Name)
			}
		}
		obj, ok, err := get(ctx, a, a.cfg.Client.CoreV1().ConfigMaps(metav1.NamespaceSystem).Get, cm.Name, "configmaps", metav1.NamespaceSystem, "the "+cm.Name+" lint", missing)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		text, ok := obj.Data[cm.Key]
		if !ok {
			a.reportf(KL602, object, "upload it again: kubeadm init phase upload-config all --config kubeadm.yaml", "the %s ConfigMap has no key %q", cm.Name, cm.Key)
			continue
		}
		data[cm.Name] = text
		sources = append(sources, lint.Source{Name: fmt.Sprintf("%s[%s]", object, cm.Key), Data: []byte(text)})
	}
	a.cluster = parseClusterConfig(data[kubeadmconstants.KubeadmConfigConfigMap])
	a.sources = sources

	rel, exact := a.release()
	a.rep.Release = rel
	if !exact {
		object, hint := ref("ConfigMap", metav1.NamespaceSystem, kubeadmconstants.KubeadmConfigConfigMap), "pass --kubernetes-version to choose the release"
		if v := a.clusterVersion(); v != "" {
			a.reportf(KL615, object, hint, "the cluster runs %s, which kubeadm-lint has no tables for; its ConfigMaps are linted for %s", v, rel)
		} else {
			a.reportf(KL615, object, hint, "neither the API server nor the ClusterConfiguration names the cluster's release; its ConfigMaps are linted for %s", rel)
		}
	}
	if len(sources) == 0 {
		return nil
	}
	linter, err := a.cfg.Linter(rel)
	if err != nil {
		return err
	}
	for _, src := range sources {
		a.rep.Sources[src.Name] = src.Data
		res, err := linter.Lint(ctx, src)
		var inputErr *lint.InputError
		switch {
		case errors.As(err, &inputErr):
			a.rep.Findings = append(a.rep.Findings, inputErr.Finding())
			continue
		case err != nil:
			return err
		}
		for _, f := range res.Findings {
			f.Doc, f.Node = nil, nil
			a.rep.Findings = append(a.rep.Findings, f)
		}
	}
	return nil
}

// parseClusterConfig reads the fields the checks need from a ClusterConfiguration, in any API
// version: extraArgs are a map in v1beta3 and a list of name and value in v1beta4 and later.
// What does not parse is the linter's to report.
func parseClusterConfig(text string) clusterConfig {
	type args = yaml.Node
	var doc struct {
		KubernetesVersion string `yaml:"kubernetesVersion"`
		APIServer         struct {
			ExtraArgs args `yaml:"extraArgs"`
		} `yaml:"apiServer"`
		ControllerManager struct {
			ExtraArgs args `yaml:"extraArgs"`
		} `yaml:"controllerManager"`
		Etcd struct {
			Local struct {
				ImageTag yaml.Node `yaml:"imageTag"`
			} `yaml:"local"`
		} `yaml:"etcd"`
	}
	if yaml.Unmarshal([]byte(text), &doc) != nil {
		return clusterConfig{}
	}
	tag := doc.Etcd.Local.ImageTag
	if tag.Kind != yaml.ScalarNode {
		tag = yaml.Node{}
	}
	return clusterConfig{
		etcdImageTag:       tag.Value,
		etcdImageTagLine:   tag.Line,
		etcdImageTagColumn: tag.Column,
		kubernetesVersion:  doc.KubernetesVersion,
		externalCloud:      extraArg(&doc.APIServer.ExtraArgs, "cloud-provider") == "external" || extraArg(&doc.ControllerManager.ExtraArgs, "cloud-provider") == "external",
	}
}

// extraArg returns the last value of flag name in an extraArgs node of either form.
func extraArg(n *yaml.Node, name string) string {
	value := ""
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				value = n.Content[i+1].Value
			}
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			var arg struct{ Name, Value string }
			if item.Decode(&arg) == nil && arg.Name == name {
				value = arg.Value
			}
		}
	}
	return value
}

// controlPlaneVersion is the release the control plane runs: the API server's own version, or,
// for an API server built without one (from source, "v0.0.0-master"), the ClusterConfiguration's
// kubernetesVersion. Empty when neither is a release.
func (a *auditor) controlPlaneVersion() string {
	for _, v := range []string{a.serverVersion, a.cluster.kubernetesVersion} {
		if parsed, err := version.ParseGeneric(v); err == nil && parsed.Major() == 1 {
			return v
		}
	}
	return ""
}

// clusterVersion is the release kubeadm manages the cluster at: the ClusterConfiguration's
// kubernetesVersion, which 'kubeadm upgrade apply' sets, or the API server's version.
func (a *auditor) clusterVersion() string {
	for _, v := range []string{a.cluster.kubernetesVersion, a.serverVersion} {
		if parsed, err := version.ParseGeneric(v); err == nil && parsed.Major() == 1 {
			return v
		}
	}
	return ""
}

// release is the release to lint the ConfigMaps for, and whether it is the cluster's own: the
// nearest one known otherwise.
func (a *auditor) release() (string, bool) {
	known := release.Supported()
	v, err := version.ParseGeneric(a.clusterVersion())
	if err != nil {
		return lint.DefaultKubernetesVersion, false
	}
	name := fmt.Sprintf("v1.%d", v.Minor())
	for _, k := range known {
		if k == name {
			return name, true
		}
	}
	// Supported is sorted by minor: older than all is linted as the oldest, newer as the newest.
	first, _ := version.ParseGeneric(strings.TrimPrefix(known[0], "v"))
	if v.Minor() < first.Minor() {
		return known[0], false
	}
	return known[len(known)-1], false
}
