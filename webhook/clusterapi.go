package webhook

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/slok/kubewebhook/v2/pkg/model"
	"github.com/slok/kubewebhook/v2/pkg/webhook/validating"
	yaml3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// clusterAPIKinds are the Cluster API objects whose kubeadm configuration is linted at
// admission. KubeadmConfig is not among them: Cluster API's controllers make one per Machine
// from these, and denying one would stall a rollout that is already under way.
var clusterAPIKinds = map[schema.GroupKind]bool{
	{Group: "controlplane.cluster.x-k8s.io", Kind: "KubeadmControlPlane"}:         true,
	{Group: "controlplane.cluster.x-k8s.io", Kind: "KubeadmControlPlaneTemplate"}: true,
	{Group: "bootstrap.cluster.x-k8s.io", Kind: "KubeadmConfigTemplate"}:          true,
}

// objectLinter lints the kubeadm configuration inside one Cluster API object.
type objectLinter func(ctx context.Context, src lint.Source) (*lint.Result, error)

// newObjectLinter returns the linter of the clusterAPI section: the CLI's rules, with the
// section's settings, for the section's release where an object names none.
func newObjectLinter(cfg ClusterAPI) (objectLinter, error) {
	policy, err := cfg.policy()
	if err != nil {
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	linter, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: cfg.KubernetesVersion}, Policy: policy})
	if err != nil {
		return nil, err
	}
	rel, err := lint.ParseTarget(cmp.Or(cfg.KubernetesVersion, lint.DefaultKubernetesVersion))
	if err != nil {
		return nil, fmt.Errorf("invalid configuration: clusterAPI.kubernetesVersion: %w", err)
	}
	// An object that names no version runs the patch release the release's tables come from,
	// a version as Cluster API writes it. No related objects: a review sees one object, and the
	// webhook makes no calls to find the MachineDeployment or Cluster that would give a
	// template its own.
	opts := lint.ObjectOptions{KubernetesVersion: rel.Kubernetes}
	return func(ctx context.Context, src lint.Source) (*lint.Result, error) {
		res, err := linter.LintObject(ctx, src, opts)
		if err == nil {
			placeInObject(src.Data, res.Findings)
		}
		return res, err
	}, nil
}

// placeInObject sets each finding's Path to the field of the object its position is in, in
// data, the YAML lintedPart wrote. The path a finding carries is inside the kubeadm
// configuration Cluster API renders, which the user never sees, and the lines are those of
// lintedPart's YAML, which the user never saw either: the field is what both can find.
func placeInObject(data []byte, fs []lint.Finding) {
	var root yaml3.Node
	if yaml3.Unmarshal(data, &root) != nil {
		return
	}
	type field struct {
		line, col int
		path      string
	}
	var fields []field // in document order
	var walk func(n *yaml3.Node, path string)
	walk = func(n *yaml3.Node, path string) {
		switch n.Kind {
		case yaml3.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml3.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				fields = append(fields, field{n.Content[i].Line, n.Content[i].Column, p})
				walk(n.Content[i+1], p)
			}
		case yaml3.SequenceNode:
			for i, c := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				fields = append(fields, field{c.Line, c.Column, p})
				walk(c, p)
			}
		}
	}
	walk(&root, "")
	for i := range fs {
		pos := fs[i].Pos
		if pos.Line == 0 {
			continue
		}
		// The last field that starts at or before the position holds it: a value inside a
		// block scalar, such as a file's content, is in that scalar's field.
		j := sort.Search(len(fields), func(j int) bool {
			f := fields[j]
			return f.line > pos.Line || f.line == pos.Line && f.col > pos.Column
		})
		if j > 0 {
			fs[i].Path = fields[j-1].path
		}
	}
}

// clusterAPIValidator lints the kubeadm configuration inside Cluster API's objects, at the
// release each will run, before Cluster API renders it for a single Machine. It never changes
// an object.
type clusterAPIValidator struct {
	lint objectLinter
	linting
}

func (v clusterAPIValidator) Validate(ctx context.Context, ar *model.AdmissionReview, obj metav1.Object) (*validating.ValidatorResult, error) {
	allow := &validating.ValidatorResult{Valid: true}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok || !isWrite(ar) || !clusterAPIKinds[u.GroupVersionKind().GroupKind()] {
		return allow, nil
	}
	var old *unstructured.Unstructured
	if ar.Operation == model.OperationUpdate {
		old = &unstructured.Unstructured{}
		if err := old.UnmarshalJSON(ar.OldObjectRaw); err != nil {
			// The API server sends the stored object; without one nothing says what changed.
			old = nil
		} else if equality.Semantic.DeepEqual(old.Object["spec"], u.Object["spec"]) {
			// Cluster API's controllers write finalizers, labels and annotations all the time; the
			// kubeadm configuration is in spec, and linted when it was written.
			return allow, nil
		}
	}
	source := objectName(ar, u)
	data, err := lintedPart(u)
	if err != nil {
		return allow, nil // not an object the API server would send: nothing to lint
	}
	hash := cacheKey(source, string(data))
	vd, cached := v.cache.get(hash)
	budget := reviewBudget(ctx, cmp.Or(v.budget, lintBudget))
	start := time.Now()
	var fs []lint.Finding
	if !cached {
		if fs, err = v.lintInTime(ctx, budget, v.run(source, data)); errors.Is(err, errLate) {
			return v.overBudget(source, budget), nil
		} else if err != nil {
			return nil, err
		}
		vd = v.judge(source, fs, nil)
		v.cache.put(hash, vd)
	}
	if vd.denial == "" || old == nil {
		return vd.result(), nil
	}
	// Enforce mode, an UPDATE with errors: deny only those the write brings in. Neither lint
	// is cached, as the verdict depends on both objects; this is the rare path.
	oldData, err := lintedPart(old)
	if err != nil {
		return vd.result(), nil
	}
	left := budget - time.Since(start)
	if fs == nil {
		if fs, err = v.lintInTime(ctx, left, v.run(source, data)); errors.Is(err, errLate) {
			return v.overBudget(source, budget), nil
		} else if err != nil {
			return nil, err
		}
	}
	oldFs, err := v.lintInTime(ctx, budget-time.Since(start), v.run(source, oldData))
	if errors.Is(err, errLate) {
		return v.overBudget(source, budget), nil
	} else if err != nil {
		return nil, err
	}
	stored := map[findingKey]bool{}
	for _, f := range oldFs {
		stored[keyOf(f)] = true
	}
	return v.judge(source, fs, func(f lint.Finding) bool { return stored[keyOf(f)] }).result(), nil
}

func (v clusterAPIValidator) run(source string, data []byte) func(context.Context) (*lint.Result, error) {
	return func(ctx context.Context) (*lint.Result, error) {
		return v.lint(ctx, lint.Source{Name: source, Data: data})
	}
}

// findingKey is what makes two findings of two versions of an object the same: a message
// quotes its value, so a changed value is a new finding.
type findingKey struct{ rule, path, message string }

func keyOf(f lint.Finding) findingKey { return findingKey{f.Rule, f.Path, f.Message} }

// objectName names an object in answers as kubectl does, "KubeadmControlPlane ns/name".
func objectName(ar *model.AdmissionReview, u *unstructured.Unstructured) string {
	n := name(ar, u)
	if n == "" {
		n = u.GetGenerateName() + "*"
	}
	if ns := namespace(ar, u); ns != "" {
		n = ns + "/" + n
	}
	return u.GetKind() + " " + n
}

// lintedPart is the part of an object the linter reads, as YAML: its type, name, labels and
// annotations, and spec. The rest (managedFields, resourceVersion, status) changes on every
// write and says nothing about the kubeadm configuration, so leaving it out also lets the
// verdict cache recognise an object written again.
func lintedPart(u *unstructured.Unstructured) ([]byte, error) {
	meta := map[string]any{"name": u.GetName(), "namespace": u.GetNamespace()}
	if l := u.GetLabels(); len(l) > 0 {
		meta["labels"] = l
	}
	if a := u.GetAnnotations(); len(a) > 0 {
		meta["annotations"] = a
	}
	part := map[string]any{"apiVersion": u.GetAPIVersion(), "kind": u.GetKind(), "metadata": meta}
	if spec, ok := u.Object["spec"]; ok {
		part["spec"] = spec
	}
	data, err := yaml.Marshal(part)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", u.GetKind(), err)
	}
	return data, nil
}
