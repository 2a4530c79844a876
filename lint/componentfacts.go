package lint

import "github.com/kubeadm-lint/kubeadm-lint/lint/release"

// releaseFacts are one release's facts about the configuration files of the control plane,
// generated from its source by hack/componentfacts (componentfacts_gen.go).
type releaseFacts struct {
	// schedulerPlugins are the names of kube-scheduler's in-tree plugins.
	schedulerPlugins []string
	// authorizerTypes are the authorizer types an AuthorizationConfiguration may name, and
	// repeatableAuthorizerTypes those that may appear more than once.
	authorizerTypes, repeatableAuthorizerTypes []string
}

// SchedulerPlugins returns the names of kube-scheduler's in-tree plugins at a release
// ("v1.37"), or at the linked release when the linter has no facts for it.
func SchedulerPlugins(releaseName string) []string {
	if f, ok := componentFacts[releaseName]; ok {
		return f.schedulerPlugins
	}
	return componentFacts[release.Linked].schedulerPlugins
}
