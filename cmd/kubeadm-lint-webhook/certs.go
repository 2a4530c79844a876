package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
)

func newCertsCmd(stdout io.Writer) *cobra.Command {
	var (
		dir, service, namespace string
		validity                time.Duration
	)
	cmd := &cobra.Command{
		Use:   "certs",
		Short: "Write a CA, a serving certificate for the webhook Service and a kustomize caBundle patch",
		Long: `certs writes, into --dir:
  ca.crt, tls.crt, tls.key                the CA and the serving pair for the Service DNS names
  cabundle-mutating.yaml                  a JSON patch adding the caBundle to the mutating webhooks
  cabundle-validating.yaml                the same for the validating webhook
The self-signed overlay (manifests/overlays/self-signed) reads them.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			files, err := cert.Write(dir, cert.ServiceDNSNames(service, namespace), validity)
			for _, f := range files {
				fmt.Fprintln(stdout, f)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "manifests/overlays/self-signed/generated", "directory to write into")
	cmd.Flags().StringVar(&service, "service", "kubeadm-lint-webhook", "webhook Service name")
	cmd.Flags().StringVar(&namespace, "namespace", "kubeadm-lint", "webhook Service namespace")
	cmd.Flags().DurationVar(&validity, "validity", 365*24*time.Hour, "how long the certificates are valid")
	return cmd
}
