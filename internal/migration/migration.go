// Package migration is the one table of what changed from kubeadm.k8s.io/v1beta3 to v1beta4. The
// linter applies it to node trees, so that one decoder and one set of rules serve both versions;
// fix applies it to text, so that 'fix --migrate' keeps the user's comments and layout. Both read
// these values, so they cannot disagree about what migrates and how.
//
// The changes are those of kubeadm v1.36's v1beta3 conversion code
// (cmd/kubeadm/app/apis/kubeadm/v1beta3/conversion.go) and of its v1beta4 doc.go. The other
// differences are defaults (encryptionAlgorithm, imagePullSerial, the certificate validity
// periods, etcd httpEndpoints) that v1beta4 fills in the same way, so a migration that adds no
// defaulted field leaves them alone.
package migration

import (
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Kinds, spelt here because the linter imports this package.
const (
	kindInit    = "InitConfiguration"
	kindCluster = "ClusterConfiguration"
	kindJoin    = "JoinConfiguration"
)

// APIVersion is what a migrated document's apiVersion becomes.
const APIVersion = "kubeadm.k8s.io/v1beta4"

// ArgLists lists, per kind, the v1beta3 {flag: value} maps that v1beta4 turned into
// [{name, value}] lists. Sort them with Less.
var ArgLists = map[string][]string{
	kindCluster: {"apiServer.extraArgs", "controllerManager.extraArgs", "scheduler.extraArgs", "etcd.local.extraArgs"},
	kindInit:    {"nodeRegistration.kubeletExtraArgs"},
	kindJoin:    {"nodeRegistration.kubeletExtraArgs"},
}

// Less orders the entries of a converted list as kubeadm's convertToArgs does: by name, then value.
func Less(name1, value1, name2, value2 string) bool {
	if name1 != name2 {
		return name1 < name2
	}
	return value1 < value2
}

// Move is a field that v1beta4 keeps under another path, possibly of another document.
type Move struct {
	Kind, From string // the v1beta3 document's kind and the field's path in it
	// ToKind is the document that receives the value, whatever its API version: kubeadm applies a
	// v1beta3 ClusterConfiguration's timeout to a v1beta4 InitConfiguration beside it too.
	ToKind string
	// Parent and Key are where the value goes in that document: Parent.Key.
	Parent, Key string
	// Dropped reports a value that kubeadm does not carry over.
	Dropped func(*yaml.Node) bool
	// NewDoc is set when 'kubeadm config migrate' writes a ToKind document for the value if the
	// file has none. Only fix writes it: for linting, a document of defaults has nothing to check.
	NewDoc bool
}

// Moves lists the moved fields.
var Moves = []Move{
	{
		// kubeadm drops a zero timeoutForControlPlane (SetConversionTimeoutControlPlane is not
		// called for it), so v1beta4 gets its default.
		Kind: kindCluster, From: "apiServer.timeoutForControlPlane",
		ToKind: kindInit, Parent: "timeouts", Key: "controlPlaneComponentHealthCheck",
		Dropped: func(n *yaml.Node) bool { return isNull(n) || zeroDuration(n) }, NewDoc: true,
	},
	{
		Kind: kindJoin, From: "discovery.timeout",
		ToKind: kindJoin, Parent: "timeouts", Key: "discovery",
		Dropped: isNull,
	},
}

// Added lists, per kind, the fields that v1beta4 added. In a v1beta3 document they are unknown
// fields, as kubeadm v1.36 reports them.
var Added = map[string][]string{
	kindCluster: {
		"encryptionAlgorithm", "certificateValidityPeriod", "caCertificateValidityPeriod", "proxy",
		"apiServer.extraEnvs", "controllerManager.extraEnvs", "scheduler.extraEnvs",
		"etcd.local.extraEnvs", "etcd.external.httpEndpoints", "dns.disabled",
	},
	kindInit: {"dryRun", "timeouts", "nodeRegistration.imagePullSerial"},
	kindJoin: {"dryRun", "timeouts", "nodeRegistration.imagePullSerial"},
}

// Split splits a dotted path into its parent and last key.
func Split(path string) (parent, key string) {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i], path[i+1:]
	}
	return "", path
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// zeroDuration reports a duration written as zero. A value that does not parse is not zero:
// decoding reports it.
func zeroDuration(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		return false
	}
	d, err := time.ParseDuration(n.Value)
	return err == nil && d == 0
}
