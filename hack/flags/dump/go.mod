// The dumpers of hack/flags. hack/flags/gen.sh copies this module into a throwaway directory,
// requires one Kubernetes or etcd release there and builds it; it is never built in place, so
// that the main module does not compile four components to build its own packages.
module flagdump

go 1.25.0
