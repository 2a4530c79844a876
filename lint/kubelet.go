package lint

import "k8s.io/apimachinery/pkg/runtime"

// kubelet holds what validating KubeletConfigurations needs, built once per Linter: building the
// scheme costs more than linting a file.
type kubelet struct {
	scheme *runtime.Scheme
}
