package kubeadm

import kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"

// ConfigMap is a kube-system ConfigMap in which kubeadm stores a configuration, under one key.
type ConfigMap struct {
	Name, Key string
	// Required is set for the ones 'kubeadm join' and 'kubeadm upgrade' read; kube-proxy's is
	// missing when the add-on phase was skipped for a CNI that replaces it.
	Required bool
}

// ConfigMaps are the ConfigMaps kubeadm stores its configurations in, as its constants name them:
// the webhook validates writes to them, and the cluster audit lints them.
var ConfigMaps = []ConfigMap{
	{Name: kubeadmconstants.KubeadmConfigConfigMap, Key: kubeadmconstants.ClusterConfigurationConfigMapKey, Required: true},
	{Name: kubeadmconstants.KubeletBaseConfigurationConfigMap, Key: kubeadmconstants.KubeletBaseConfigurationConfigMapKey, Required: true},
	{Name: kubeadmconstants.KubeProxy, Key: kubeadmconstants.KubeProxyConfigMapKey},
}

// StoredConfig returns the ConfigMap named name, if kubeadm stores a configuration in it.
func StoredConfig(name string) (ConfigMap, bool) {
	for _, cm := range ConfigMaps {
		if cm.Name == name {
			return cm, true
		}
	}
	return ConfigMap{}, false
}
