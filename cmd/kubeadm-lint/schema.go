package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
	"github.com/kubeadm-lint/kubeadm-lint/schema"
)

func (a *app) schemaCommand() *cobra.Command {
	var (
		version = lint.DefaultKubernetesVersion
		dir     string
		layout  string
		baseURL string
	)
	cmd := &cobra.Command{
		Use:   "schema [flags]",
		Short: "Write JSON Schemas of the configuration, and a catalog, for editors",
		Long: `schema writes JSON Schemas (draft-07) of kubeadm's v1beta4 kinds (and v1beta3's for v1.35 and
v1.36), KubeletConfiguration and KubeProxyConfiguration for a Kubernetes release, and a catalog in SchemaStore's format that maps
kubeadm*.yaml, kubelet-config*.yaml and kube-proxy-config*.yaml to them. yaml-language-server (VS
Code's YAML extension, Neovim, Helix) reads them: completion, hover and structural errors as you
type. docs/editor.md shows the set-up.

The schemas are generated from the Go types kubeadm-lint links, with their doc comments as
descriptions; extraArgs names complete to the flags of each component of the release, and
featureGates to its gates.

--layout kinds writes one schema per kind, bundle one schema for every kind (a oneOf on
apiVersion and kind, for files that hold several), both (the default) all of them.
--base-url is where the files will be served; by default the catalog names them by their
file:// URL in --output-dir.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if baseURL == "" {
				u, err := schema.FileURL(dir)
				if err != nil {
					return err
				}
				baseURL = u
			}
			g, err := schema.New(schema.Config{KubernetesVersion: version, Layout: layout, BaseURL: baseURL})
			if err != nil {
				return err
			}
			files, err := g.Files()
			if err != nil {
				return err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("--output-dir: %w", err)
			}
			names := make([]string, 0, len(files))
			for name := range files {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, files[name], 0o644); err != nil {
					return fmt.Errorf("writing %s: %w", path, err)
				}
				fmt.Fprintln(a.stdout, path)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Var(versionFlag{&version}, "kubernetes-version", "the release the schemas are for: "+strings.Join(release.Supported(), ", "))
	f.StringVarP(&dir, "output-dir", "o", "schemas", "directory to write the schemas and the catalog to")
	f.StringVar(&layout, "layout", schema.LayoutBoth, "kinds, bundle or both")
	f.StringVar(&baseURL, "base-url", "", "URL the catalog and bundle give for the directory (default: its file:// URL)")
	completeFlags(cmd, map[string][]string{
		"kubernetes-version": release.Supported(),
		"layout":             {schema.LayoutKinds, schema.LayoutBundle, schema.LayoutBoth},
	})
	return cmd
}
