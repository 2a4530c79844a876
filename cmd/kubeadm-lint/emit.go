package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

func (a *app) emitCommand() *cobra.Command {
	var (
		dir               string
		keepUninitialized bool
		coreDNS           bool
		version           string
	)
	cmd := &cobra.Command{
		Use:   "emit",
		Short: "Write the webhook's fixes as kubeadm patch files and a MutatingAdmissionPolicy",
		Long: `emit writes the alternatives to kubeadm-lint-webhook, for clusters that run no webhook server:

  kubeproxydaemonset+strategic.yaml  kube-proxy's tolerations, for 'kubeadm init|upgrade apply
                                     --patches DIR' (kubeadm v1.37+)
  corednsdeployment+strategic.yaml   CoreDNS allowPrivilegeEscalation, with
                                     --coredns-allow-privilege-escalation only (kubeadm v1.31+)
  mutating-admission-policy.yaml     a MutatingAdmissionPolicy and its binding that apply the
                                     same fixes in the API server: admissionregistration.k8s.io/v1
                                     for Kubernetes v1.36+, v1beta1 for v1.34 and v1.35, where the
                                     MutatingAdmissionPolicy feature gate is off by default

--kubernetes-version picks what the target release reads (v1.34 or later); notes about it go to
standard error.

The patches must be passed to every 'kubeadm upgrade apply' too; the policy keeps working.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			minor, err := minorOf(version)
			if err != nil {
				return err
			}
			e := kubeadm.Emit{Tolerations: kubeadm.Tolerations(nil, keepUninitialized), CoreDNS: coreDNS, Minor: minor}
			files, err := e.Files()
			if err != nil {
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("creating %s: %w", dir, err)
			}
			for _, f := range files {
				path := filepath.Join(dir, f.Name)
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					return fmt.Errorf("writing %s: %w", path, err)
				}
				fmt.Fprintln(a.stdout, path)
			}
			for _, note := range e.Notes() {
				fmt.Fprintf(a.stderr, "kubeadm-lint: note: %s\n", note)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&version, "kubernetes-version", lint.DefaultKubernetesVersion, "the Kubernetes release the artifacts are for (v1.34 or later)")
	cmd.Flags().StringVar(&dir, "dir", "kubeadm-patches", "directory to write into")
	cmd.Flags().BoolVar(&keepUninitialized, "keep-uninitialized-toleration", false, "keep kube-proxy tolerating node.cloudprovider.kubernetes.io/uninitialized (for a CCM that reaches the API server through the Service IP)")
	cmd.Flags().BoolVar(&coreDNS, "coredns-allow-privilege-escalation", false, "also emit the CoreDNS fix (SELinux hosts with Docker < 1.13; weakens security)")
	return cmd
}

// minorOf reads the minor release of a version such as "v1.35", "1.35" or "v1.35.4".
func minorOf(version string) (int, error) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(version, "v"), "1.")
	if ok {
		rest, _, _ = strings.Cut(rest, ".")
		if minor, err := strconv.Atoi(rest); err == nil && minor > 0 {
			return minor, nil
		}
	}
	return 0, fmt.Errorf("--kubernetes-version %q: want a release such as v1.36", version)
}
