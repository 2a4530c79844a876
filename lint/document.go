package lint

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	kjson "sigs.k8s.io/json"
)

// Kinds of the documents the linter reads.
const (
	KindInit      = "InitConfiguration"
	KindCluster   = "ClusterConfiguration"
	KindJoin      = "JoinConfiguration"
	KindReset     = "ResetConfiguration"
	KindUpgrade   = "UpgradeConfiguration"
	KindKubelet   = "KubeletConfiguration"
	KindKubeProxy = "KubeProxyConfiguration"
)

const (
	kubeadmGroup     = "kubeadm.k8s.io"
	kubeletGroup     = "kubelet.config.k8s.io"
	kubeProxyGroup   = "kubeproxy.config.k8s.io"
	kubeletVersion   = "kubelet.config.k8s.io/v1beta1"
	kubeProxyVersion = "kubeproxy.config.k8s.io/v1alpha1"
)

// kubeadmKinds are the kinds of the kubeadm.k8s.io group.
var kubeadmKinds = []string{KindInit, KindCluster, KindJoin, KindReset, KindUpgrade}

// Document is one YAML document of a file that holds a configuration kind.
type Document struct {
	Index      int    // 0-based position among the file's documents
	APIVersion string // as written
	Kind       string
	// Version is the kubeadm API version as written (v1beta3, v1beta4, v1); empty for other groups.
	Version string
	// Component is the control-plane component that reads a configuration file of this kind
	// (release.APIServer, release.Scheduler), empty for kubeadm's, the kubelet's and kube-proxy's.
	Component string
	// Root is the document's mapping in v1beta4 shape: v1beta3 documents are migrated, and the
	// migrated nodes keep their source positions. Rules and paths use it.
	Root *yaml.Node
	// Source is the mapping as parsed, with comments; fix rewrites it.
	Source *yaml.Node
	// Object is the decoded object, nil when decoding failed:
	// *kubeadmapi.InitConfiguration (with the file's ClusterConfiguration embedded),
	// *kubeadmapi.ClusterConfiguration, *kubeadmapi.JoinConfiguration,
	// *kubeadmapi.ResetConfiguration, *kubeadmapi.UpgradeConfiguration (internal types, statically
	// defaulted), *kubeletv1beta1.KubeletConfiguration or *kubeproxyv1alpha1.KubeProxyConfiguration
	// (as written, not defaulted, so that rules can tell an unset field from a false one); for a
	// control-plane configuration file, the component's internal type, defaulted as it defaults it
	// (*apiserver.EncryptionConfiguration, *audit.Policy, *config.KubeSchedulerConfiguration...).
	Object any
	// Problems are what decoding and kubeadm's validation found; the KL0xx rules report them.
	// At most MaxFindingsPerRule of one code are kept; the others are only counted, in omitted,
	// as their rule would not show them.
	Problems []Problem
	counts   map[ProblemCode]int // problems kept, by code
	omitted  map[ProblemCode]int

	kindKey *yaml.Node                    // the "kind" key, where document-level findings land
	items   map[*yaml.Node]map[string]int // see itemIndex
	// origin maps the nodes of a migrated Root to the nodes of Source they were copied from.
	origin  map[*yaml.Node]*yaml.Node
	removed bool // an API version kubeadm no longer reads: not decoded
	// embedded is the unit a document of kubeadm configuration inside a carrier belongs to.
	embedded *unit
}

// Problem is an error found while decoding or validating a document.
type Problem struct {
	Code    ProblemCode
	Path    string
	Message string
	Hint    string // the linter's own remedy; kubeadm's errors have none
	// Node is where the problem is written, when Path cannot tell: the second of two equal keys.
	Node     *yaml.Node
	Severity Severity // overrides the rule's default when set
}

// ProblemCode sorts problems by the rule that reports them.
type ProblemCode int

const (
	ProblemType            ProblemCode = iota + 1 // missing or unknown apiVersion/kind
	ProblemAPIVersion                             // removed or deprecated API version
	ProblemExperimental                           // kubeadm.k8s.io/v1
	ProblemDuplicateKind                          // a kind twice in one file
	ProblemUnknownField                           // strict decoding: unknown field
	ProblemDuplicateField                         // strict decoding: duplicate key
	ProblemFieldType                              // a value of the wrong type
	ProblemValidation                             // kubeadm's validation
	ProblemVersion                                // kubernetesVersion kubeadm cannot deploy
	ProblemComponentConfig                        // kubelet or kube-proxy validation
	// The problems of carriers (Cluster API and kind objects), reported by the KL8xx rules.
	ProblemEmbeddedRelease // a release the carrier's configuration cannot be linted at
	ProblemArgRepeated     // an extraArgs name repeated where Cluster API's v1beta2 forbids it
	ProblemIgnoredField    // a field Cluster API does not write into kubeadm's configuration
	ProblemPatchUnmatched  // a kind patch that matches no document kind generates
	ProblemJSON6902Unmatched
	// A control-plane configuration file (EncryptionConfiguration, audit Policy...): what its
	// component's decoding and validation refuse.
	ProblemComponentFile
)

// Lookup returns the node at a field path, or nil.
func (d *Document) Lookup(path string) *yaml.Node {
	v, _, ok := lookup(d.Root, path)
	if !ok {
		return nil
	}
	return v
}

// Written returns the node at a field path as parsed from the source, or nil when the path is
// not written there: a node that the v1beta3 migration made has no text to edit.
func (d *Document) Written(path string) *yaml.Node {
	n := d.Lookup(path)
	if n == nil || d.origin == nil {
		return n
	}
	return d.origin[n]
}

// Has reports whether the field path is written in the document.
func (d *Document) Has(path string) bool {
	_, _, ok := lookup(d.Root, path)
	return ok
}

// anchor returns the node a finding at path points at: where the path is written, or its
// closest written parent. It is nil only for a document with no node at all.
func (d *Document) anchor(path string) *yaml.Node {
	_, anchor, found := lookup(d.Root, path)
	if !found && d.Source != d.Root {
		// A field the v1beta3 migration removed is still in the source.
		if _, a, ok := lookup(d.Source, path); ok {
			anchor = a
		}
	}
	if anchor == nil {
		anchor = d.kindKey
	}
	if anchor == nil {
		anchor = d.Root
	}
	return anchor
}

// File is one source: its configuration documents, decoded.
type File struct {
	Name string
	// Nodes are the source's YAML documents as parsed, every one of them, each a document node.
	// Document.Index indexes them; fix edits the text under them.
	Nodes   []*yaml.Node
	Docs    []*Document
	Skipped int // documents of other kinds
	// Objects are the documents of Cluster API and kind objects whose kubeadm configuration was
	// linted (the embedded pass), with their own problems.
	Objects []*Document
	// Ignores are the problems of the file's suppression comments, for KL011-KL013.
	Ignores []IgnoreProblem

	expansion *expansion // what YAML aliases may still add to the documents
	related   *Related   // the run's other sources, when the caller indexed them

	memo map[any]any // see Memo
}

// Memo returns what compute derives from the file, computing it once per file and key, so that
// the rules that share a derivation, as go/analysis's analyzers share a ResultOf, pay for it
// once. The key is a value of a type of the caller's own. Rules run one after another, so this
// needs no lock.
func Memo[T any](f *File, key any, compute func() T) T {
	if v, ok := f.memo[key]; ok {
		return v.(T)
	}
	if f.memo == nil {
		f.memo = map[any]any{}
	}
	v := compute()
	f.memo[key] = v
	return v
}

// First is the index of the file's first document that holds anything but comments: the one
// document a component reads from its configuration file. It is -1 when there is none.
func (f *File) First() int {
	for i, n := range f.Nodes {
		if r := deref(n); r != nil && !commentsOnly(r) {
			return i
		}
	}
	return -1
}

// RunFile returns the control-plane configuration file of the lint run that is the file at path
// on a node, by the convention of Related.File; false when the run holds none, or when the
// caller did not index the run.
func (f *File) RunFile(path string) (RunFile, bool) { return f.related.File(path, f.Name) }

// ReaderArgs returns the kube-apiserver extraArgs of the ClusterConfiguration of the lint run
// whose flag names this file, by the convention of Related.File; false when none does.
func (f *File) ReaderArgs() (map[string]string, bool) { return f.related.ReaderArgs(f.Name) }

// Doc returns the file's first document of kind, or nil.
func (f *File) Doc(kind string) *Document {
	for _, d := range f.Docs {
		if d.Kind == kind {
			return d
		}
	}
	return nil
}

// Init returns the decoded InitConfiguration, or nil.
func (f *File) Init() *kubeadmapi.InitConfiguration {
	return object[*kubeadmapi.InitConfiguration](f, KindInit)
}

// Cluster returns the decoded ClusterConfiguration, or nil.
func (f *File) Cluster() *kubeadmapi.ClusterConfiguration {
	return object[*kubeadmapi.ClusterConfiguration](f, KindCluster)
}

// Join returns the decoded JoinConfiguration, or nil.
func (f *File) Join() *kubeadmapi.JoinConfiguration {
	return object[*kubeadmapi.JoinConfiguration](f, KindJoin)
}

// Kubelet returns the KubeletConfiguration as written, or nil.
func (f *File) Kubelet() *kubeletv1beta1.KubeletConfiguration {
	return object[*kubeletv1beta1.KubeletConfiguration](f, KindKubelet)
}

// KubeProxy returns the KubeProxyConfiguration as written, or nil.
func (f *File) KubeProxy() *kubeproxyv1alpha1.KubeProxyConfiguration {
	return object[*kubeproxyv1alpha1.KubeProxyConfiguration](f, KindKubeProxy)
}

func object[T any](f *File, kind string) T {
	var zero T
	d := f.Doc(kind)
	if d == nil {
		return zero
	}
	o, _ := d.Object.(T)
	return o
}

func hasTypeProblem(d *Document) bool { return d.hasProblem(ProblemType) }

func (d *Document) hasProblem(code ProblemCode) bool {
	for _, p := range d.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

func (d *Document) addProblem(code ProblemCode, path, msg string) {
	if d.full(code) {
		return
	}
	d.Problems = append(d.Problems, Problem{Code: code, Path: path, Message: msg})
}

// full reports whether the document keeps no more problems of code, counting this one: a
// problem its rule would not show is not worth its message, which for a validation error of a
// long list can be most of the cost of linting it.
func (d *Document) full(code ProblemCode) bool {
	if d.counts == nil {
		d.counts, d.omitted = map[ProblemCode]int{}, map[ProblemCode]int{}
	}
	if d.counts[code] >= MaxFindingsPerRule {
		d.omitted[code]++
		return true
	}
	d.counts[code]++
	return false
}

// Omitted is how many problems of code the document did not keep.
func (d *Document) Omitted(code ProblemCode) int { return d.omitted[code] }

// addStrictError records an unknown or duplicate field from sigs.k8s.io/json.
func (d *Document) addStrictError(err error) {
	var fe kjson.FieldError
	path := ""
	if errors.As(err, &fe) {
		path = fe.FieldPath()
	}
	code := ProblemUnknownField
	if strings.HasPrefix(err.Error(), "duplicate field") {
		// Already reported from the YAML, with both lines.
		return
	}
	d.addProblem(code, path, "strict decoding error: "+err.Error())
}

// addFieldError records a validation error, its field path made relative to the document.
// itemIndex maps each scalar value of a list to the index of its first item, built once per list,
// so that thousands of errors about one list cost time in proportion to it, not its square.
func (d *Document) itemIndex(seq *yaml.Node) map[string]int {
	if idx, ok := d.items[seq]; ok {
		return idx
	}
	idx := make(map[string]int, len(seq.Content))
	for i, item := range seq.Content {
		v := deref(item).Value
		if _, seen := idx[v]; !seen {
			idx[v] = i
		}
	}
	// kubeadm lowercases certSANs before it validates them, so its errors quote the lowercased
	// name; an exact match still wins over one that differs in case.
	for i, item := range seq.Content {
		v := strings.ToLower(deref(item).Value)
		if _, seen := idx[v]; !seen {
			idx[v] = i
		}
	}
	if d.items == nil {
		d.items = map[*yaml.Node]map[string]int{}
	}
	d.items[seq] = idx
	return idx
}

func (d *Document) addFieldError(code ProblemCode, e *field.Error, trimPrefix string) {
	if d.full(code) {
		return
	}
	path := strings.TrimPrefix(e.Field, trimPrefix)
	if path == "<nil>" {
		path = ""
	}
	// Some validators name a list but not the element; find the element from the bad value.
	if bad, ok := e.BadValue.(string); ok {
		var i int
		if _, err := fmt.Sscanf(bad, "index %d", &i); err == nil {
			path = PathIndex(path, i)
		}
		if seq := d.Lookup(path); seq != nil && seq.Kind == yaml.SequenceNode {
			if i, ok := d.itemIndex(seq)[bad]; ok {
				path = PathIndex(path, i)
			}
		}
	}
	d.Problems = append(d.Problems, Problem{Code: code, Path: path, Message: e.Error()})
}

// GeneratedByKind reports whether the file is a kubeadm configuration that kind (or kinder, which
// uses kind's templates) wrote: its first line is kind's "# config generated by kind". Such a
// file uses kubeadm's published bootstrap token on purpose, for a throwaway cluster.
func (f *File) GeneratedByKind() bool {
	if len(f.Nodes) == 0 {
		return false
	}
	n := f.Nodes[0]
	comments := n.HeadComment
	if r := deref(n); r != nil {
		comments += r.HeadComment
		if len(r.Content) > 0 {
			comments += r.Content[0].HeadComment
		}
	}
	return strings.Contains(comments, "# config generated by kind")
}
