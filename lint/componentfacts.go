package lint

// releaseFacts are one release's facts about the configuration files of the control plane,
// generated from its source by hack/componentfacts (componentfacts_gen.go).
type releaseFacts struct {
	// schedulerPlugins are the names of kube-scheduler's in-tree plugins.
	schedulerPlugins []string
	// authorizerTypes are the authorizer types an AuthorizationConfiguration may name, and
	// repeatableAuthorizerTypes those that may appear more than once.
	authorizerTypes, repeatableAuthorizerTypes []string
}
