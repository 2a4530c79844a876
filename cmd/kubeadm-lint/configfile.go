package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// configure reads the settings file, --config or the nearest .kubeadm-lint.yaml, and takes from
// it every setting that no flag gave. It returns an empty File when there is no settings file.
func (o *lintOptions) configure(rs []*lint.Rule) (*config.File, error) {
	path := o.configPath
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("finding %s: %w", config.FileName, err)
		}
		found, err := config.Find(wd)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return &config.File{}, nil
		}
		// Messages name the file as the user would type it.
		path = found
		if rel, err := filepath.Rel(wd, found); err == nil {
			path = rel
		}
	}
	conf, err := config.Load(path, rs)
	if err != nil {
		if o.configPath != "" {
			return nil, fmt.Errorf("--config: %w", err)
		}
		return nil, err
	}
	set := func(flag string, dst *string, v string) {
		if v != "" && !o.changed(flag) {
			*dst = v
		}
	}
	set("kubernetes-version", &o.kubernetesVersion, conf.KubernetesVersion)
	set("host-profile", &o.hostProfile, conf.HostProfile)
	set("cni", &o.cni, conf.CNI)
	if conf.FailOn != 0 {
		set("fail-on", &o.failOn, conf.FailOn.String())
	}
	if conf.ReportUnusedIgnores != nil && !o.changed("report-unused-ignores") {
		o.reportUnusedIgnores = *conf.ReportUnusedIgnores
	}
	return conf, nil
}

// changed reports whether flag was given on the command line.
func (o *lintOptions) changed(flag string) bool {
	for _, fs := range o.flagSets {
		if fs.Changed(flag) {
			return true
		}
	}
	return false
}

// excludeSources drops the sources that the settings file excludes for every rule, and returns
// how many it dropped. A settings file found by walking a directory is not a kubeadm
// configuration, so it goes too, uncounted.
func excludeSources(conf *config.File, sources []lint.Source) ([]lint.Source, int) {
	kept, excluded := sources[:0], 0
	for _, src := range sources {
		switch {
		case src.Walked && filepath.Base(src.Name) == config.FileName:
		case src.Name != stdinName && conf.Skips(src.Name):
			excluded++
		default:
			kept = append(kept, src)
		}
	}
	return kept, excluded
}

// dropExcluded removes the findings that the settings file excludes by rule and path.
func dropExcluded(conf *config.File, fs []lint.Finding) []lint.Finding {
	kept := fs[:0]
	for _, f := range fs {
		if f.Pos.File == stdinName || !conf.Excludes(f.Pos.File, f.Rule) {
			kept = append(kept, f)
		}
	}
	return kept
}

// stdinName is the source name collect gives standard input; no path pattern applies to it.
const stdinName = "<stdin>"
