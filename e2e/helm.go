package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// ChartDir is the webhook's Helm chart, relative to the repository root.
const ChartDir = "charts/kubeadm-lint-webhook"

// Helm runs the helm binary that 'make helm-bin' builds at go.mod's version.
type Helm struct {
	bin, root string
	env       []string
}

// NewHelm returns a Helm whose caches and settings live under home, so that a run never reads
// or writes the user's. kubeconfig may be empty for commands that need no cluster.
func NewHelm(root, home, kubeconfig string) (*Helm, error) {
	bin := filepath.Join(root, BinDir, "helm")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%s is missing: run 'make helm-bin' (builds helm at go.mod's tool version)", bin)
	}
	env := append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
	)
	if kubeconfig != "" {
		env = append(env, "KUBECONFIG="+kubeconfig)
	}
	// go test caches a passing result by the files the test process opened; helm reads the
	// chart in another process, so read it here too, or a changed chart would not rerun tests.
	err := filepath.WalkDir(filepath.Join(root, ChartDir), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, err = os.ReadFile(path)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the chart: %w", err)
	}
	return &Helm{bin: bin, root: root, env: env}, nil
}

// Run runs helm in the repository root and returns its standard output; a failure's error
// carries its standard error, where helm explains what it refused.
func (h *Helm) Run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, h.bin, args...)
	cmd.Dir, cmd.Env = h.root, h.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("helm %v: %w: %s", args, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}

// WriteKubeconfig writes a kubeconfig that reaches the API server as c.Config does.
func (c *Cluster) WriteKubeconfig(path string) error {
	return writeKubeconfig(c.Config, path)
}

func writeKubeconfig(cfg *rest.Config, path string) error {
	kc := clientcmdapi.NewConfig()
	kc.Clusters["e2e"] = &clientcmdapi.Cluster{Server: cfg.Host, InsecureSkipTLSVerify: cfg.Insecure, CertificateAuthorityData: cfg.CAData}
	kc.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: cfg.BearerToken}
	kc.Contexts["e2e"] = &clientcmdapi.Context{Cluster: "e2e", AuthInfo: "admin"}
	kc.CurrentContext = "e2e"
	return clientcmd.WriteToFile(*kc, path)
}
