package main

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"k8s.io/kubernetes/pkg/kubeapiserver/authorizer/modes"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins"
)

// TestUpToDate regenerates lint/componentfacts_gen.go for the releases it names and fails when it
// differs: run 'make componentfacts'.
func TestUpToDate(t *testing.T) {
	committed, err := os.ReadFile("../../lint/componentfacts_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	var releases []string
	for _, m := range regexp.MustCompile(`// from k8s.io/kubernetes (v\S+)`).FindAllSubmatch(committed, -1) {
		releases = append(releases, string(m[1]))
	}
	got, err := generate(releases)
	if err != nil {
		t.Skipf("the release sources are not in the module cache: %v", err)
	}
	if string(got) != string(committed) {
		t.Error("lint/componentfacts_gen.go is stale: run 'make componentfacts'")
	}
}

// TestLinkedRelease holds what the generator reads from the source of the linked release to what
// that release's code says when it runs: the scheduler's in-tree registry and the authorizer
// types.
func TestLinkedRelease(t *testing.T) {
	f, err := read(linkedKubernetes(t))
	if err != nil {
		t.Fatal(err)
	}
	var registry []string
	for name := range plugins.NewInTreeRegistry() {
		registry = append(registry, name)
	}
	slices.Sort(registry)
	if !slices.Equal(f.plugins, registry) {
		t.Errorf("scheduler plugins read from the source: %v; the registry: %v", f.plugins, registry)
	}
	if !slices.Equal(f.authorizers, modes.AuthorizationModeChoices) {
		t.Errorf("authorizer types read from the source: %v; modes.AuthorizationModeChoices: %v", f.authorizers, modes.AuthorizationModeChoices)
	}
}

// linkedKubernetes is go.mod's version of k8s.io/kubernetes.
func linkedKubernetes(t *testing.T) string {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s+k8s\.io/kubernetes (v\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("no k8s.io/kubernetes in go.mod")
	}
	return string(m[1])
}
