// Package audittest runs a cluster rule over YAML test files of Kubernetes objects whose comments
// say what it must find, as lint/linttest does for file rules.
//
// Each file is a stream of objects (ConfigMaps, Nodes, Pods, DaemonSets, webhook configurations,
// CertificateSigningRequests, RBAC...) that a fake clientset serves to one audit.Run. A comment
// `# want KL6nn "regexp"` means that a KL6nn finding whose message matches the regexp must be
// found. A cluster finding names an object, not a line of the file, so the comment may stand on
// any line outside a block scalar; `# want KL6nn "regexp" on "regexp"` also matches the object
// the finding names, "node/worker-1", with the line and column inside it for the findings that
// have one, "configmap/kube-system/coredns[Corefile]:21:5", and a last `hint "regexp"` its hint.
// Every want must be met by a finding of its own and every finding of the rule must be wanted.
// Files named pass_*.yaml must produce no finding of the rule; files named fail_*.yaml must want
// at least one.
//
// Objects decode strictly with client-go's scheme: a misspelt field fails the case instead of
// vanishing, which would leave a pass_ case passing for the wrong reason. A document of
// `apiVersion: v1`, `kind: Config` is no object of the cluster but the audit's kubeconfig: the
// CA bundle of its current cluster is the one the audit trusts (KL614).
//
// A first-line comment `# options: key=value ...` sets what is not an object:
//
//   - upgrade=v1.36,v1.37: the path of 'kubeadm-lint cluster --upgrade-to' (audit.Config.Upgrade);
//   - now=2026-01-02T15:04:05Z: the time requests and certificates are judged at (audit.Config.Now);
//     without it, the time of the run;
//   - serverVersion=v1.37.2: what the API server says it runs; without it, the fake's
//     "v0.0.0-master", which names no release, so the ClusterConfiguration's does;
//   - forbid=list/nodes,get/clusterroles: requests RBAC refuses, verb/resource (KL601).
//
// The fake serves what it holds and applies label selectors. It applies no field selector, so
// the runner applies the one the audit sends, spec.signerName of CertificateSigningRequests, as
// the API server does. It neither defaults nor validates objects: a case need hold only the
// fields the checks read, and one it leaves out is unset, not the API server's default. A real
// TLS handshake with the API server (the serving certificate of KL614) is the end-to-end suite's.
package audittest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	certificatesv1 "k8s.io/api/certificates/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/apimachinery/pkg/version"
	fakediscovery "k8s.io/client-go/discovery/fake"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/internal/wantcomment"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// strict decodes with client-go's scheme, failing on unknown and duplicate fields.
var strict = serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()

// Run audits the objects of every *.yaml file in dir with rules, the catalog, and checks rule's
// findings, which it returns for checks that hold for every finding. All the rules run, as in
// 'kubeadm-lint cluster': a check reads what the checks before it read.
func Run(t *testing.T, dir string, rule *lint.Rule, rules ...*lint.Rule) []lint.Finding {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no test files in %s", dir)
	}
	var found []lint.Finding
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { found = append(found, runFile(t, file, rule, rules)...) })
	}
	return found
}

// want is a case's expectation; On matches the finding's object, as its position names it.
type want struct{ wantcomment.Want }

func (w *want) matches(f lint.Finding) bool {
	return w.Rule == f.Rule && w.Message.MatchString(f.Message) &&
		(w.On == nil || w.On.MatchString(f.Pos.String())) && (w.Hint == nil || w.Hint.MatchString(f.Hint))
}

// options are what a case sets besides its objects.
type options struct {
	upgrade       []string
	now           time.Time
	serverVersion string
	forbid        [][2]string // verb, resource
}

func runFile(t *testing.T, file string, rule *lint.Rule, rules []*lint.Rule) []lint.Finding {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(file)
	opts, wants, err := parseExpectations(string(data))
	if err != nil {
		t.Fatalf("%s: %v", base, err)
	}
	switch {
	case strings.HasPrefix(base, "pass_") && len(wants) > 0:
		t.Fatalf("%s: a pass_ file must not want findings", base)
	case strings.HasPrefix(base, "fail_") && len(wants) == 0:
		t.Fatalf("%s: a fail_ file must want at least one finding", base)
	case !strings.HasPrefix(base, "pass_") && !strings.HasPrefix(base, "fail_"):
		t.Fatalf("%s: test files are named pass_* or fail_*", base)
	}
	for _, w := range wants {
		if w.Rule != rule.ID {
			t.Fatalf("%s:%d: a want of %s in the cases of %s; only the folder's rule is checked", base, w.Line, w.Rule, rule.ID)
		}
	}
	objects, ca, err := decode(data)
	if err != nil {
		t.Fatalf("%s: %v", base, err)
	}

	client := fake.NewClientset(objects...)
	if opts.serverVersion != "" {
		client.Discovery().(*fakediscovery.FakeDiscovery).FakedServerVersion = &version.Info{GitVersion: opts.serverVersion}
	}
	client.PrependReactor("list", "certificatesigningrequests", signerSelector(client))
	for _, f := range opts.forbid {
		client.PrependReactor(f[0], f[1], func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: f[1]}, "", errors.New("forbidden by the test case"))
		})
	}
	linter := func(release string) (audit.Linter, error) {
		return lint.New(lint.Config{Rules: rules, Options: lint.Options{KubernetesVersion: release}})
	}
	rep, err := audit.Run(context.Background(), audit.Config{
		Client: client,
		// No https: the certificate check dials nothing, and reads the kubeconfig's CA.
		REST:     &rest.Config{Host: "http://127.0.0.1:1", TLSClientConfig: rest.TLSClientConfig{CAData: ca}},
		Rules:    rules,
		Linter:   linter,
		LinterAt: linter,
		Now:      opts.now,
		Upgrade:  opts.upgrade,
	})
	if err != nil {
		t.Fatalf("%s: the audit failed: %v", base, err)
	}

	var found []lint.Finding
	for _, f := range rep.Findings {
		if f.Rule == rule.ID {
			found = append(found, f)
		}
	}
	owner := match(wants, found)
	for i, f := range found {
		if owner[i] < 0 {
			t.Errorf("%s: unexpected %s %s at %s: %s (hint: %q)", base, f.Severity, f.Rule, f.Pos, f.Message, f.Hint)
		}
	}
	for w, met := range metWants(len(wants), owner) {
		if !met {
			t.Errorf("%s:%d: no %s finding matching %s", base, wants[w].Line, wants[w].Rule, wants[w])
		}
	}
	if t.Failed() {
		for _, f := range found {
			t.Logf("found: %s %s at %s: %s (hint: %q)", f.Severity, f.Rule, f.Pos, f.Message, f.Hint)
		}
	}
	return found
}

// match gives each want a finding of its own, so that as many wants as possible are met, and
// returns the want of each finding, -1 for none. A greedy pairing is not enough now that wants
// have no line: a broad regexp could take the finding a narrow one needed (augmenting paths).
func match(wants []*want, found []lint.Finding) []int {
	owner := make([]int, len(found))
	for i := range owner {
		owner[i] = -1
	}
	var assign func(w int, seen []bool) bool
	assign = func(w int, seen []bool) bool {
		for f := range found {
			if seen[f] || !wants[w].matches(found[f]) {
				continue
			}
			seen[f] = true
			if owner[f] < 0 || assign(owner[f], seen) {
				owner[f] = w
				return true
			}
		}
		return false
	}
	for w := range wants {
		assign(w, make([]bool, len(found)))
	}
	return owner
}

func metWants(n int, owner []int) []bool {
	met := make([]bool, n)
	for _, w := range owner {
		if w >= 0 {
			met[w] = true
		}
	}
	return met
}

// decode reads the objects of a YAML stream, and the CA bundle of a kubeconfig among them.
func decode(data []byte) ([]runtime.Object, []byte, error) {
	var objects []runtime.Object
	var ca []byte
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for i := 1; ; i++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return objects, ca, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if onlyComments(doc) {
			continue
		}
		var head struct{ APIVersion, Kind string }
		if err := yaml.Unmarshal(doc, &head); err != nil {
			return nil, nil, fmt.Errorf("document %d: %v", i, err)
		}
		if head.APIVersion == "v1" && head.Kind == "Config" {
			kc, err := clientcmd.Load(doc)
			if err != nil {
				return nil, nil, fmt.Errorf("document %d, the kubeconfig: %v", i, err)
			}
			current := kc.Contexts[kc.CurrentContext]
			if current == nil || kc.Clusters[current.Cluster] == nil {
				return nil, nil, fmt.Errorf("document %d, the kubeconfig: no current context and cluster", i)
			}
			ca = kc.Clusters[current.Cluster].CertificateAuthorityData
			continue
		}
		obj, _, err := strict.Decode(doc, nil, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("document %d (%s %s): %v", i, head.APIVersion, head.Kind, err)
		}
		objects = append(objects, obj)
	}
}

func onlyComments(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		if l := strings.TrimSpace(line); l != "" && l != "---" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

// signerSelector applies the field selector spec.signerName to a list of
// CertificateSigningRequests, as the API server does and the fake does not.
func signerSelector(client *fake.Clientset) k8stesting.ReactionFunc {
	return func(action k8stesting.Action) (bool, runtime.Object, error) {
		list, ok := action.(k8stesting.ListActionImpl)
		if !ok {
			return false, nil, nil
		}
		signer, ok := list.GetListRestrictions().Fields.RequiresExactMatch("spec.signerName")
		if !ok {
			return false, nil, nil
		}
		obj, err := client.Tracker().List(list.GetResource(), list.GetKind(), "")
		if err != nil {
			return true, nil, err
		}
		csrs := obj.(*certificatesv1.CertificateSigningRequestList)
		kept := csrs.Items[:0]
		for _, c := range csrs.Items {
			if c.Spec.SignerName == signer {
				kept = append(kept, c)
			}
		}
		csrs.Items = kept
		return true, csrs, nil
	}
}

func parseExpectations(src string) (options, []*want, error) {
	var opts options
	text, parsed, err := wantcomment.Parse(src)
	if err == nil {
		err = setOptions(&opts, text)
	}
	if err != nil {
		return opts, nil, err
	}
	wants := make([]*want, len(parsed))
	for i, w := range parsed {
		wants[i] = &want{w}
	}
	return opts, wants, nil
}

func setOptions(o *options, s string) error {
	for _, kv := range strings.Fields(s) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("option %q is not key=value", kv)
		}
		switch k {
		case "upgrade":
			o.upgrade = strings.Split(v, ",")
		case "now":
			now, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return fmt.Errorf("option now: %v", err)
			}
			o.now = now
		case "serverVersion":
			o.serverVersion = v
		case "forbid":
			for _, req := range strings.Split(v, ",") {
				verb, resource, ok := strings.Cut(req, "/")
				if !ok {
					return fmt.Errorf("option forbid: %q is not verb/resource", req)
				}
				o.forbid = append(o.forbid, [2]string{verb, resource})
			}
		default:
			return fmt.Errorf("unknown option %q", k)
		}
	}
	return nil
}
