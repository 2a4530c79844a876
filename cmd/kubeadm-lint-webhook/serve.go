package main

import (
	"context"
	"log/slog"

	"github.com/spf13/pflag"

	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// serveFlags override the config file one field at a time: only flags given on the command line
// replace a value.
type serveFlags struct {
	configFile        string
	listen            string
	healthListen      string
	certFile, keyFile string
	mode              string
	kubernetesVersion string
	keepUninitialized bool
	corednsEscalation bool
	logLevel          slog.Level
	profiling         bool
}

func (f *serveFlags) register(fs *pflag.FlagSet) {
	d := webhook.DefaultConfig()
	fs.StringVar(&f.configFile, "config", "", "YAML config file (see manifests/base/config.yaml)")
	fs.StringVar(&f.listen, "listen", d.Listen, "HTTPS address for admission reviews")
	fs.StringVar(&f.healthListen, "health-listen", d.HealthListen, "plain-HTTP address for /healthz, /readyz and /metrics")
	fs.StringVar(&f.certFile, "tls-cert-file", d.TLS.CertFile, "serving certificate, reloaded when it changes")
	fs.StringVar(&f.keyFile, "tls-key-file", d.TLS.KeyFile, "serving key, reloaded when it changes")
	fs.StringVar(&f.mode, "mode", string(d.ConfigMaps.Mode), "what ConfigMap errors do: warn or enforce (deny)")
	fs.StringVar(&f.kubernetesVersion, "kubernetes-version", d.ConfigMaps.KubernetesVersion, "release the stored kubeadm configs are linted for")
	fs.BoolVar(&f.keepUninitialized, "keep-uninitialized-toleration", false, "keep kube-proxy tolerating node.cloudprovider.kubernetes.io/uninitialized (for a CCM that reaches the API server through the Service IP)")
	fs.BoolVar(&f.corednsEscalation, "coredns-allow-privilege-escalation", false, "set allowPrivilegeEscalation: true on CoreDNS (SELinux hosts with Docker < 1.13; weakens security)")
	fs.BoolVar(&f.profiling, "profiling", d.Profiling, "serve Go's CPU and memory profiles under /debug/pprof/ on --health-listen")
	fs.TextVar(&f.logLevel, "log-level", slog.LevelInfo, "debug, info, warn or error")
}

// config reads the config file, if any, then applies the flags that were set.
func (f *serveFlags) config(fs *pflag.FlagSet) (webhook.Config, error) {
	cfg := webhook.DefaultConfig()
	if f.configFile != "" {
		var err error
		if cfg, err = webhook.LoadConfig(f.configFile); err != nil {
			return cfg, err
		}
	}
	set := func(name string, apply func()) {
		if fs.Changed(name) {
			apply()
		}
	}
	set("listen", func() { cfg.Listen = f.listen })
	set("health-listen", func() { cfg.HealthListen = f.healthListen })
	set("tls-cert-file", func() { cfg.TLS.CertFile = f.certFile })
	set("tls-key-file", func() { cfg.TLS.KeyFile = f.keyFile })
	set("mode", func() { cfg.ConfigMaps.Mode = webhook.Mode(f.mode) })
	set("kubernetes-version", func() { cfg.ConfigMaps.KubernetesVersion = f.kubernetesVersion })
	set("keep-uninitialized-toleration", func() { cfg.KubeProxy.KeepUninitialized = f.keepUninitialized })
	set("coredns-allow-privilege-escalation", func() { cfg.CoreDNS.AllowPrivilegeEscalation = f.corednsEscalation })
	set("profiling", func() { cfg.Profiling = f.profiling })
	return cfg, cfg.Validate()
}

func serve(ctx context.Context, cfg webhook.Config, logger *slog.Logger) error {
	srv, err := webhook.NewServer(cfg, logger)
	if err != nil {
		return err
	}
	return srv.Run(ctx)
}
