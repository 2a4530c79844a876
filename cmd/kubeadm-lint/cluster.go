package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/lint/output"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

type clusterOptions struct {
	targetFlags
	reportFlags
	kubeconfig string
	context    string
	timeout    time.Duration
	total      time.Duration
	upgrade    []string
}

func (a *app) clusterCommand() *cobra.Command {
	o := &clusterOptions{}
	cmd := &cobra.Command{
		Use:   "cluster [flags]",
		Short: "Audit a running kubeadm cluster through its kubeconfig",
		Long: `cluster reads a running kubeadm cluster through its API server and reports what is wrong
with it now: the kubeadm-config, kubelet-config and kube-proxy ConfigMaps, linted with the
same rules as files for the cluster's own release, and what only a cluster shows: nodes,
kubelet serving certificate requests, CoreDNS, the RBAC kubeadm join needs, admission
webhooks and certificate expiry ('kubeadm-lint rules' lists the KL6xx rules).

It only reads (get and list); manifests/audit holds a ClusterRole that grants exactly that,
and a CronJob that runs the audit in the cluster. The kubeconfig is --kubeconfig, else
KUBECONFIG, else ~/.kube/config; inside a Pod, its ServiceAccount.

Findings name the object, and inside a ConfigMap key the line and column:
configmap/kube-system/kubeadm-config[ClusterConfiguration]:12:3.

With --upgrade-to, it also reads what 'kubeadm upgrade apply' carries over and reports what
the target release will refuse or change: the control plane's mirror Pods' flags and feature
gates, the ConfigMaps linted for the target, kubelets too far behind it, a skipped minor
release, a custom etcd imageTag, and Corefile plugins the target's CoreDNS lacks
(docs/upgrade.md).

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above --fail-on, 2 a bad
kubeconfig or an API server that cannot be reached.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.cluster(cmd.Context(), o)
		},
	}
	o.targetFlags.register(cmd)
	// The cluster's own release is the default, read from its kubeadm-config.
	version := cmd.Flags().Lookup("kubernetes-version")
	version.DefValue, version.Usage = "", "lint the ConfigMaps for this release instead of the one the cluster runs"
	o.kubernetesVersion = ""
	o.reportFlags.register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the in-cluster ServiceAccount)")
	f.StringVar(&o.context, "context", "", "kubeconfig context to use (default: its current context)")
	f.DurationVar(&o.timeout, "request-timeout", 10*time.Second, "the longest one request to the API server may take")
	f.DurationVar(&o.total, "timeout", defaultAuditTimeout, "the longest the whole audit may take")
	registerUpgrade(cmd, &o.upgrade, "also check what 'kubeadm upgrade apply' to this release, or through this comma-separated path of releases, will refuse or change")
	return cmd
}

func (a *app) cluster(ctx context.Context, o *clusterOptions) error {
	out, err := o.reportFlags.output(a)
	if err != nil {
		return err
	}
	cfg := o.pipelineConfig(a)
	cfg.Rules, cfg.KeepSources = allRules(), out.opts.ShowSource
	cfg.Flags.FailOn = o.given("fail-on", o.failOn)
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	restCfg, err := o.restConfig()
	if err != nil {
		return oneLine(err)
	}
	client, err := kubernetes.NewForConfig(restCfg)
	if err != nil {
		return oneLine(err)
	}
	ctx, cancel := context.WithTimeout(ctx, o.total)
	defer cancel()
	rep, err := within(ctx, func() (*audit.Report, error) {
		return audit.Run(ctx, audit.Config{
			Client:   client,
			REST:     restCfg,
			Linter:   func(release string) (audit.Linter, error) { return p.ForRelease(release) },
			Rules:    cfg.Rules,
			Policy:   p.Policy,
			Upgrade:  o.upgrade,
			LinterAt: func(release string) (audit.Linter, error) { return p.At(release) },
		})
	})
	if err != nil {
		return oneLine(auditTimeoutError(ctx, err, o.total))
	}
	report := &output.Report{Findings: rep.Findings, Files: rep.Objects, Rules: cfg.Rules, Cluster: true}
	if cfg.KeepSources {
		report.Sources = rep.Sources
	}
	report.Summary.Objects = rep.Checked
	if len(o.upgrade) > 0 {
		// Which steps were checked, on stderr, so that the report's formats stay as they are.
		if len(rep.Upgrade) > 0 {
			a.errorf("checked the upgrade %s", strings.Join(rep.Upgrade, ", then "))
		}
	}
	report.Summary.Count(rep.Findings)
	return a.finish(out, p, &pipeline.Run{Report: report})
}

// restConfig loads the client configuration as kubectl does, with the in-cluster ServiceAccount
// when there is no kubeconfig at all.
func (o *clusterOptions) restConfig() (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: o.context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		return nil, err
	}
	cfg.Timeout = o.timeout
	cfg.WrapTransport = limitBodies(maxResponseBytes)
	cfg.UserAgent = "kubeadm-lint/" + toolVersion()
	return cfg, nil
}

// oneLine joins the lines of an error, such as client-go's list of kubeconfig problems, so that
// the message is the one line a CI log shows.
func oneLine(err error) error {
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
	return errors.New(msg)
}
