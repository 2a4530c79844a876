package e2e

import (
	"fmt"
	"io"
	"strings"

	v1 "k8s.io/api/core/v1"
	clientset "k8s.io/client-go/kubernetes"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/addons/dns"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/addons/proxy"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/bootstraptoken/clusterinfo"
	nodephase "k8s.io/kubernetes/cmd/kubeadm/app/phases/bootstraptoken/node"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/controlplane"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/etcd"
	kubeletphase "k8s.io/kubernetes/cmd/kubeadm/app/phases/kubelet"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/uploadconfig"
	configutil "k8s.io/kubernetes/cmd/kubeadm/app/util/config"
)

// initConfig is what the scenarios 'kubeadm init' with: explicit enough that kubeadm needs
// neither the network nor a container runtime to default it, and clean enough that the linter
// has nothing to say about the kubeadm-config it uploads.
const initConfig = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 10.0.0.10
  bindPort: 6443
nodeRegistration:
  name: cp-1
  criSocket: unix:///run/containerd/containerd.sock
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.37.2
controlPlaneEndpoint: cp.cluster.internal:6443
networking:
  serviceSubnet: 10.96.0.0/12
  podSubnet: 10.244.0.0/16
`

// Kubeadm runs kubeadm v1.37's own phase code against a client: the objects it writes are the
// ones 'kubeadm init' and 'kubeadm upgrade apply' write, not copies of them.
type Kubeadm struct {
	cfg *kubeadmapi.InitConfiguration
	// PatchesDir is passed to the add-on phases as 'kubeadm init --patches' would.
	PatchesDir string
}

// NewKubeadm defaults initConfig the way kubeadm init does.
func NewKubeadm() (*Kubeadm, error) { return NewKubeadmAt("v1.37.2", nil) }

// NewKubeadmAt is NewKubeadm for a cluster at kubernetesVersion, with edit applied to the
// defaulted configuration (nil for none).
func NewKubeadmAt(kubernetesVersion string, edit func(*kubeadmapi.InitConfiguration)) (*Kubeadm, error) {
	text := strings.Replace(initConfig, "kubernetesVersion: v1.37.2", "kubernetesVersion: "+kubernetesVersion, 1)
	cfg, err := configutil.BytesToInitConfiguration([]byte(text), true)
	if err != nil {
		return nil, fmt.Errorf("defaulting the kubeadm config: %w", err)
	}
	if edit != nil {
		edit(cfg)
	}
	return &Kubeadm{cfg: cfg}, nil
}

// StaticPods renders the control plane's static Pods as kubeadm init writes them to
// /etc/kubernetes/manifests: kube-apiserver, kube-controller-manager, kube-scheduler and etcd.
func (k *Kubeadm) StaticPods() map[string]v1.Pod {
	pods := controlplane.GetStaticPodSpecs(&k.cfg.ClusterConfiguration, &k.cfg.LocalAPIEndpoint, nil)
	pods["etcd"] = etcd.GetEtcdPodSpec(&k.cfg.ClusterConfiguration, &k.cfg.LocalAPIEndpoint, k.cfg.NodeRegistration.Name, nil)
	return pods
}

// UploadConfig is the upload-config phase: the kubeadm-config and kubelet-config ConfigMaps.
func (k *Kubeadm) UploadConfig(client clientset.Interface) error {
	if err := uploadconfig.UploadConfiguration(k.cfg, client); err != nil {
		return err
	}
	return kubeletphase.CreateConfigMap(&k.cfg.ClusterConfiguration, client)
}

// EnsureProxy is the addon/kube-proxy phase; run again, it is what 'kubeadm upgrade apply' does.
func (k *Kubeadm) EnsureProxy(client clientset.Interface) error {
	return proxy.EnsureProxyAddon(&k.cfg.ClusterConfiguration, &k.cfg.LocalAPIEndpoint, client, k.PatchesDir, io.Discard, false)
}

// EnsureDNS is the addon/coredns phase.
func (k *Kubeadm) EnsureDNS(client clientset.Interface) error {
	return dns.EnsureDNSAddon(&k.cfg.ClusterConfiguration, client, k.PatchesDir, io.Discard, false)
}

// BootstrapToken is the bootstrap-token phase without the token itself: the RBAC that lets
// joining nodes get nodes and post CSRs, and the cluster-info ConfigMap, from kubeconfig, with
// the RBAC that lets them read it.
func (k *Kubeadm) BootstrapToken(client clientset.Interface, kubeconfig *clientcmdapi.Config) error {
	for _, phase := range []func(clientset.Interface) error{
		nodephase.AllowBootstrapTokensToGetNodes,
		nodephase.AllowBootstrapTokensToPostCSRs,
		nodephase.AutoApproveNodeBootstrapTokens,
		nodephase.AutoApproveNodeCertificateRotation,
		clusterinfo.CreateClusterInfoRBACRules,
	} {
		if err := phase(client); err != nil {
			return err
		}
	}
	return clusterinfo.CreateBootstrapConfigMapIfNotExists(client, kubeconfig)
}
