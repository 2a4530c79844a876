package schema

import (
	"reflect"

	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
	kubeadmv1beta4 "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/v1beta4"
)

// Kind is one kind of document a schema is written for, and the Go type that kubeadm, the
// kubelet or kube-proxy decodes it into: the linked release's own type, which the schema reflects.
type Kind struct {
	APIVersion string
	Kind       string
	Type       reflect.Type
}

// Kinds are the documents kubeadm-lint reads whose types the binary links, which the schemas
// reflect. kubeadm.k8s.io/v1beta3 is not among them, as the linked kubeadm (v1.37) no longer has
// its types: Generator.Kinds derives it for the releases that read it.
func Kinds() []Kind {
	return []Kind{
		{"kubeadm.k8s.io/v1beta4", "InitConfiguration", reflect.TypeFor[kubeadmv1beta4.InitConfiguration]()},
		{"kubeadm.k8s.io/v1beta4", "ClusterConfiguration", reflect.TypeFor[kubeadmv1beta4.ClusterConfiguration]()},
		{"kubeadm.k8s.io/v1beta4", "JoinConfiguration", reflect.TypeFor[kubeadmv1beta4.JoinConfiguration]()},
		{"kubeadm.k8s.io/v1beta4", "ResetConfiguration", reflect.TypeFor[kubeadmv1beta4.ResetConfiguration]()},
		{"kubeadm.k8s.io/v1beta4", "UpgradeConfiguration", reflect.TypeFor[kubeadmv1beta4.UpgradeConfiguration]()},
		{"kubelet.config.k8s.io/v1beta1", "KubeletConfiguration", reflect.TypeFor[kubeletv1beta1.KubeletConfiguration]()},
		{"kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration", reflect.TypeFor[kubeproxyv1alpha1.KubeProxyConfiguration]()},
	}
}

// typeDoc is what the release source says of one Go type: its doc comment, its fields' doc
// comments, and the values of the constants declared with the type, which are its enumeration.
type typeDoc struct {
	Source string // the file that declares the type, in the module cache: "k8s.io/kubelet@v0.37.2/config/v1beta1/types.go"
	Doc    string
	Fields map[string]string
	Enum   []string
}
