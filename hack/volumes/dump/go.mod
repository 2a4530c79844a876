// The dumper of hack/volumes. hack/volumes/gen.sh copies it into a throwaway module that requires
// one Kubernetes release, and builds it there; it is never built in place, so that the main module
// does not compile kubeadm's phases to build its own packages.
module volumedump

go 1.25.0
