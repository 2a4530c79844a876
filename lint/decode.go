package lint

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	kubeadmscheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme"
	kubeadmv1 "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/v1"
	kubeadmv1beta4 "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/v1beta4"
	kjson "sigs.k8s.io/json"
)

// maxDecodeRetries bounds how often decoding restarts after dropping a value of the wrong type.
// Each retry finds one more problem, so this is also the most type errors reported per document.
const maxDecodeRetries = 50

// externalObject returns an empty versioned object for a document, the type kubeadm strictly
// decodes it into.
func externalObject(d *Document) any {
	switch d.Version {
	case "v1beta4", "v1beta3": // v1beta3 is migrated to v1beta4 nodes first
		switch d.Kind {
		case KindInit:
			return &kubeadmv1beta4.InitConfiguration{}
		case KindCluster:
			return &kubeadmv1beta4.ClusterConfiguration{}
		case KindJoin:
			return &kubeadmv1beta4.JoinConfiguration{}
		case KindReset:
			return &kubeadmv1beta4.ResetConfiguration{}
		case KindUpgrade:
			return &kubeadmv1beta4.UpgradeConfiguration{}
		}
	case "v1":
		switch d.Kind {
		case KindInit:
			return &kubeadmv1.InitConfiguration{}
		case KindCluster:
			return &kubeadmv1.ClusterConfiguration{}
		case KindJoin:
			return &kubeadmv1.JoinConfiguration{}
		case KindReset:
			return &kubeadmv1.ResetConfiguration{}
		case KindUpgrade:
			return &kubeadmv1.UpgradeConfiguration{}
		}
	}
	switch d.Kind {
	case KindKubelet:
		return &kubeletv1beta1.KubeletConfiguration{}
	case KindKubeProxy:
		return &kubeproxyv1alpha1.KubeProxyConfiguration{}
	}
	return nil
}

// internalObject returns the empty internal kubeadm type a kubeadm document converts to.
func internalObject(kind string) runtime.Object {
	switch kind {
	case KindInit:
		return &kubeadmapi.InitConfiguration{}
	case KindCluster:
		return &kubeadmapi.ClusterConfiguration{}
	case KindJoin:
		return &kubeadmapi.JoinConfiguration{}
	case KindReset:
		return &kubeadmapi.ResetConfiguration{}
	case KindUpgrade:
		return &kubeadmapi.UpgradeConfiguration{}
	}
	return nil
}

// decode runs kubeadm's strict decoding on a document and records every problem instead of
// stopping at the first: after a type error it drops the offending value and decodes again.
func decode(ctx context.Context, d *Document, kubeletScheme *runtime.Scheme, b *expansion) error {
	// Converting first bounds alias expansion before any other walk of the tree.
	j, err := toJSON(d.Root, nil, b)
	if err != nil {
		return err
	}
	reportDuplicateKeys(d, d.Root, "")
	ext := externalObject(d)
	if ext == nil {
		return nil
	}
	obj, j, err := strictDecode(ctx, d, j, reflect.TypeOf(ext).Elem())
	if err != nil || obj == nil {
		return err
	}
	ext = obj

	switch o := ext.(type) {
	case *kubeletv1beta1.KubeletConfiguration:
		d.Object = o
		validateKubelet(d, o, kubeletScheme)
	case *kubeproxyv1alpha1.KubeProxyConfiguration:
		d.Object = o
		validateKubeProxy(d, o)
	default:
		internal := internalObject(d.Kind)
		if err := runtime.DecodeInto(kubeadmscheme.Codecs.UniversalDecoder(), j.data, internal); err != nil {
			d.addProblem(ProblemValidation, "", err.Error())
			return nil
		}
		d.Object = internal
	}
	return nil
}

// strictDecode decodes j into a new value of typ with sigs.k8s.io/json's strict mode, as kubeadm
// and the components decode, recording every unknown field and every value of the wrong type on
// d: after a type error it drops the offending value and decodes again. The value is nil when
// the document cannot be decoded at all; the JSON returned is what it was decoded from, without
// the dropped values. An error means ctx is done or the text cannot be encoded again.
func strictDecode(ctx context.Context, d *Document, j *jsonDoc, typ reflect.Type) (any, *jsonDoc, error) {
	skip := map[*yaml.Node]bool{}
	for retry := 0; ; retry++ {
		if retry > 0 {
			// Each retry re-encodes the document: on a large hostile one that adds up, and the
			// webhook's caller may have given up long ago.
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			var err error
			if j, err = toJSON(d.Root, skip, nil); err != nil {
				return nil, nil, err
			}
		}
		obj := reflect.New(typ).Interface()
		strictErrs, err := kjson.UnmarshalStrict(j.data, obj)
		if err == nil {
			for _, se := range strictErrs {
				d.addStrictError(se)
			}
			return obj, j, nil
		}
		if retry == maxDecodeRetries {
			d.addProblem(ProblemFieldType, "", err.Error())
			return nil, nil, nil
		}
		node := j.culprit(err, d.Root, skip, typ)
		path := nodePath(d.Root, node)
		d.addProblem(ProblemFieldType, path, err.Error())
		if node == nil || node == deref(d.Root) {
			return nil, nil, nil
		}
		skip[node] = true
	}
}

// culprit finds the node behind a decoding error. The JSON decoder gives an offset for type errors;
// a custom unmarshaller (durations, bootstrap tokens) gives none, so the value is found by leaving
// out one scalar at a time until the error goes away.
func (j *jsonDoc) culprit(err error, root *yaml.Node, skip map[*yaml.Node]bool, typ reflect.Type) *yaml.Node {
	if off, field, ok := typeError(err); ok {
		// A custom unmarshaller's type error has an offset into its own value, not the document;
		// trust the offset only when the node there has the field path the error names. A node
		// already skipped is the element of a list where a scalar belongs: the search below then
		// finds the list itself.
		if n := j.nodeAt(int(off)); n != nil && !skip[n] && strings.HasSuffix(stripIndices(nodePath(root, n)), JSONFieldPath(field)) {
			return enclosing(root, n, err)
		}
	}
	for _, leaf := range valueNodes(root) {
		if skip[leaf] {
			continue
		}
		skip[leaf] = true
		trial, convErr := toJSON(root, skip, nil)
		delete(skip, leaf)
		if convErr != nil {
			continue
		}
		obj := reflect.New(typ).Interface()
		if _, e := kjson.UnmarshalStrict(trial.data, obj); e == nil || e.Error() != err.Error() {
			return leaf
		}
	}
	return nil
}

// enclosing returns the list or mapping around n when the type error is about a list or an
// object: the offset then points inside it, at an element that is not itself the problem.
func enclosing(root, n *yaml.Node, err error) *yaml.Node {
	want := map[string]yaml.Kind{"cannot unmarshal array": yaml.SequenceNode, "cannot unmarshal object": yaml.MappingNode}
	for prefix, kind := range want {
		if !strings.Contains(err.Error(), prefix) {
			continue
		}
		for path := nodePath(root, n); n.Kind != kind && strings.HasSuffix(path, "]"); {
			path = path[:strings.LastIndex(path, "[")]
			parent, _, found := lookup(root, path)
			if !found || parent == nil {
				break
			}
			n = parent
		}
	}
	return n
}

// typeError reads Offset and Field of sigs.k8s.io/json's UnmarshalTypeError, which lives in an
// internal package and cannot be named.
func typeError(err error) (offset int64, field string, ok bool) {
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0, "", false
	}
	o, f := v.Elem().FieldByName("Offset"), v.Elem().FieldByName("Field")
	if !o.IsValid() || o.Kind() != reflect.Int64 || !f.IsValid() || f.Kind() != reflect.String {
		return 0, "", false
	}
	return o.Int(), f.String(), true
}

// stripIndices turns "a[0].b" into "a.b", the form of paths in JSON type errors.
func stripIndices(path string) string {
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// valueNodes lists a tree's values (not keys), each node's children before the node, so that
// the search for a culprit tries the smallest candidates first.
func valueNodes(root *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = deref(n)
		if n == nil || depth > 100 {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				walk(n.Content[i], depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		if depth > 0 {
			out = append(out, n)
		}
	}
	walk(root, 0)
	return out
}

// JSONFieldPath drops the Go names of embedded structs from a JSON decoder's field path:
// "apiServer.ControlPlaneComponent.extraArgs" is "apiServer.extraArgs" in the document.
func JSONFieldPath(goPath string) string {
	parts := strings.Split(goPath, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && !(p[0] >= 'A' && p[0] <= 'Z') {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// nodePath returns the field path of a node inside root, or "" when it is not found.
func nodePath(root, target *yaml.Node) string {
	var found string
	var walk func(n *yaml.Node, path string, depth int) bool
	walk = func(n *yaml.Node, path string, depth int) bool {
		if n == target {
			found = path
			return true
		}
		n = deref(n)
		if n == nil || depth > 100 {
			return false
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				if n.Content[i] == target {
					found = p
					return true
				}
				if walk(n.Content[i+1], p, depth+1) {
					return true
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if walk(c, PathIndex(path, i), depth+1) {
					return true
				}
			}
		}
		return false
	}
	if target != nil {
		walk(root, "", 0)
	}
	return found
}

// maxDuplicateReports bounds the duplicate keys reported per document, as sigs.k8s.io/json bounds
// its strict errors: each report costs a walk of its mapping to place it, so a file of a million
// repeated keys would otherwise take hours.
const maxDuplicateReports = 100

// reportDuplicateKeys records every key that repeats in a mapping; kubeadm's strict YAML
// conversion rejects them, and the later value silently wins elsewhere.
func reportDuplicateKeys(d *Document, n *yaml.Node, path string) {
	w := dupWalk{d: d, root: path, left: maxDuplicateReports}
	w.walk(n)
}

// dupWalk finds repeated keys. It keeps the path to the node as a stack of steps and joins it
// only for a key it reports: joining at every level would cost the square of the depth, 645 MB
// for a MiB of fields nested 900 deep.
type dupWalk struct {
	d     *Document
	root  string
	steps []pathStep
	left  int
}

func (w *dupWalk) path() string {
	p := w.root
	for _, s := range w.steps {
		switch {
		case s.index >= 0:
			p = PathIndex(p, s.index)
		case p == "":
			p = s.key
		default:
			p += "." + s.key
		}
	}
	return p
}

func (w *dupWalk) walk(n *yaml.Node) {
	n = deref(n)
	if n == nil || w.left == 0 {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content) && w.left > 0; i += 2 {
			k := n.Content[i]
			w.steps = append(w.steps, pathStep{key: k.Value, index: -1})
			if k.Tag != "!!merge" && seen[k.Value] {
				p := w.path()
				w.d.Problems = append(w.d.Problems, Problem{
					Code: ProblemDuplicateField, Path: p, Node: k,
					Message: fmt.Sprintf("duplicate field %q", p),
					Hint:    fmt.Sprintf("merge it with the earlier %q into one entry", k.Value),
				})
				w.left--
			}
			seen[k.Value] = true
			w.walk(n.Content[i+1])
			w.steps = w.steps[:len(w.steps)-1]
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			w.steps = append(w.steps, pathStep{index: i})
			w.walk(c)
			w.steps = w.steps[:len(w.steps)-1]
		}
	}
}
