package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of kubeadm-lint and of the kubeadm code it validates with",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			version, kubeadm := "(devel)", "unknown"
			if bi, ok := debug.ReadBuildInfo(); ok {
				if bi.Main.Version != "" {
					version = bi.Main.Version
				}
				for _, m := range bi.Deps {
					if m.Path == "k8s.io/kubernetes" {
						kubeadm = m.Version
					}
				}
			}
			fmt.Fprintf(a.stdout, "kubeadm-lint %s (kubeadm validation from k8s.io/kubernetes %s)\n", version, kubeadm)
		},
	}
}
