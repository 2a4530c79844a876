package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
	"github.com/kubeadm-lint/kubeadm-lint/lint/rules"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

// targetFlags say where the settings are and what the files are checked for. Every command that
// reads configurations declares them through here, so lint and fix cannot drift apart.
type targetFlags struct {
	configPath        string
	kubernetesVersion string
	hostProfile       string
	cni               string
	profiles          []string
	// flagSets are the flag sets registered, one per command, so that a setting from the
	// settings file yields only to a flag given on the command line.
	flagSets []*pflag.FlagSet
}

func (t *targetFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	t.flagSets = append(t.flagSets, f)
	f.StringVar(&t.configPath, "config", "", "settings file (default: "+config.FileName+" in the working directory or the nearest parent)")
	t.kubernetesVersion = lint.DefaultKubernetesVersion
	f.Var(versionFlag{&t.kubernetesVersion}, "kubernetes-version", "the kubeadm release that will read the files: "+strings.Join(release.Supported(), ", "))
	f.StringVar(&t.hostProfile, "host-profile", "", "layout of the nodes' OS: immutable-usr (Flatcar, Fedora CoreOS: read-only /usr)")
	f.StringVar(&t.cni, "cni", "", "the pod network add-on: flannel, calico or cilium")
	f.StringSliceVar(&t.profiles, "profile", nil, "turn on an opt-in rule set: cis (CIS Kubernetes Benchmark v1.12 controls, KL7xx)")
	completeFlags(cmd, map[string][]string{
		"host-profile":       lint.HostProfiles,
		"cni":                lint.CNIs,
		"profile":            rules.Profiles(allRules()),
		"kubernetes-version": release.Supported(),
	})
}

// changed reports whether flag was given on the command line.
func (t *targetFlags) changed(flag string) bool {
	for _, fs := range t.flagSets {
		if fs.Changed(flag) {
			return true
		}
	}
	return false
}

// given returns value when flag was given on the command line, and "" otherwise.
func (t *targetFlags) given(flag, value string) string {
	if t.changed(flag) {
		return value
	}
	return ""
}

// pipelineConfig is the part of the pipeline's configuration that these flags make.
func (t *targetFlags) pipelineConfig(a *app) pipeline.Config {
	return pipeline.Config{
		Settings: t.configPath,
		Stdin:    a.stdin,
		Flags: pipeline.Flags{
			KubernetesVersion: t.given("kubernetes-version", t.kubernetesVersion),
			HostProfile:       t.given("host-profile", t.hostProfile),
			CNI:               t.given("cni", t.cni),
			Profiles:          t.profiles,
		},
	}
}

// completeFlags registers fixed completions for flags.
func completeFlags(cmd *cobra.Command, values map[string][]string) {
	for flag, vs := range values {
		// Registration fails only for a flag that does not exist or is registered twice.
		if err := cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(vs, cobra.ShellCompDirectiveNoFileComp)); err != nil {
			panic(err)
		}
	}
}

// versionFlag is --kubernetes-version, checked when it is set, so that a release kubeadm-lint
// has no table for is a usage error about the flag, naming the releases it knows.
type versionFlag struct{ value *string }

func (v versionFlag) String() string { return *v.value }
func (v versionFlag) Type() string   { return "string" }
func (v versionFlag) Set(s string) error {
	if _, err := lint.ParseTarget(s); err != nil {
		return err
	}
	*v.value = s
	return nil
}
