package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/addon"
)

func (a *app) emitCommand() *cobra.Command {
	var (
		dir               string
		keepUninitialized bool
		coreDNS           bool
	)
	cmd := &cobra.Command{
		Use:   "emit",
		Short: "Write the webhook's fixes as kubeadm patch files and a MutatingAdmissionPolicy",
		Long: `emit writes the alternatives to kubeadm-lint-webhook, for clusters that run no webhook server:

  kubeproxydaemonset+strategic.yaml  kube-proxy's tolerations, for 'kubeadm init|upgrade apply
                                     --patches DIR' (kubeadm v1.37+)
  corednsdeployment+strategic.yaml   CoreDNS allowPrivilegeEscalation, with
                                     --coredns-allow-privilege-escalation only (kubeadm v1.31+)
  mutating-admission-policy.yaml     a MutatingAdmissionPolicy and its binding
                                     (admissionregistration.k8s.io/v1, Kubernetes v1.36+) that
                                     apply the same fixes in the API server

The patches must be passed to every 'kubeadm upgrade apply' too; the policy keeps working.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			files, err := addon.Emit{Tolerations: addon.Tolerations(nil, keepUninitialized), CoreDNS: coreDNS}.Files()
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
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "kubeadm-patches", "directory to write into")
	cmd.Flags().BoolVar(&keepUninitialized, "keep-uninitialized-toleration", false, "keep kube-proxy tolerating node.cloudprovider.kubernetes.io/uninitialized (for a CCM that reaches the API server through the Service IP)")
	cmd.Flags().BoolVar(&coreDNS, "coredns-allow-privilege-escalation", false, "also emit the CoreDNS fix (SELinux hosts with Docker < 1.13; weakens security)")
	return cmd
}
