package schema_test

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/schema"
)

var update = flag.Bool("update", false, "rewrite the golden schemas in testdata/schema")

// compile loads the files g writes into a compiler, which checks each against the draft-07
// metaschema, and returns the bundle.
func compile(t *testing.T, version string) *jsonschema.Schema {
	t.Helper()
	g, err := schema.New(schema.Config{KubernetesVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.Files()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	for name, b := range files {
		if name == schema.CatalogFile {
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.AddResource("mem:///"+name, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for name := range files {
		if name == schema.CatalogFile {
			continue
		}
		if _, err := c.Compile("mem:///" + name); err != nil {
			t.Fatalf("%s does not compile: %v", name, err)
		}
	}
	s, err := c.Compile("mem:///" + schema.BundleFile)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// documents splits a file into its documents as JSON values, and says whether each is of a
// kind the schemas cover.
func documents(t *testing.T, data []byte) []any {
	t.Helper()
	var out []any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, os.ErrNotExist) || err != nil && err.Error() == "EOF" {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, err := yaml.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		j, err := sigsyaml.YAMLToJSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func covered(g *schema.Generator, v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, k := range g.Kinds() {
		if m["apiVersion"] == k.APIVersion && m["kind"] == k.Kind {
			return true
		}
	}
	return false
}

// TestCorpusValidates holds the schemas to kubeadm: every document of a corpus file that the
// real kubeadm accepts (the parity goldens, from 'kubeadm config validate') validates against
// the schema of that release. A schema that rejects a real, valid configuration fails here.
func TestCorpusValidates(t *testing.T) {
	for _, tc := range []struct{ release, golden string }{
		{release: "v1.37", golden: "kubeadm-v1.37.2.tsv"},
		{release: "v1.36", golden: "kubeadm-v1.36.3.tsv"},
	} {
		t.Run(tc.release, func(t *testing.T) {
			s := compile(t, tc.release)
			g, err := schema.New(schema.Config{KubernetesVersion: tc.release})
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join("..", "testdata", "parity", tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			checked := 0
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				fields := strings.Split(sc.Text(), "\t")
				if len(fields) < 2 || fields[1] != "ok" {
					continue
				}
				// Paths are relative to testdata/parity, or for the corpus to testdata.
				path := filepath.Join("..", "testdata", "parity", fields[0])
				if strings.HasPrefix(fields[0], "corpus/") {
					path = filepath.Join("..", "testdata", fields[0])
				}
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				for i, doc := range documents(t, data) {
					if !covered(g, doc) {
						continue
					}
					checked++
					if err := s.Validate(doc); err != nil {
						t.Errorf("%s, document %d: kubeadm %s accepts it, the schema does not: %v", fields[0], i+1, tc.release, err)
					}
				}
			}
			t.Logf("%d documents of the corpus validated", checked)
			if checked < 20 {
				t.Errorf("checked %d documents; the goldens should give more", checked)
			}
		})
	}
}

func TestSchemaRejects(t *testing.T) {
	s := compile(t, "v1.37")
	for _, tc := range []struct{ name, doc, want string }{
		{
			name: "an unknown field",
			doc:  "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  certSans: [a]\n",
			want: "certSans",
		},
		{
			name: "a string for an integer",
			doc:  "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: \"6443\"\n",
			want: "bindPort",
		},
		{
			name: "a value outside the enumeration",
			doc:  "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nencryptionAlgorithm: RSA-1024\n",
			want: "encryptionAlgorithm",
		},
		{
			name: "a kind of another API version",
			doc:  "apiVersion: kubeadm.k8s.io/v1beta4\nkind: KubeletConfiguration\n",
			want: "",
		},
		{
			name: "a feature gate set to a string",
			doc:  "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nfeatureGates:\n  SomeGate: \"yes\"\n",
			want: "SomeGate",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs := documents(t, []byte(tc.doc))
			err := s.Validate(docs[0])
			if err == nil {
				t.Fatal("the schema accepts it")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("the error does not name %q: %v", tc.want, err)
			}
		})
	}
}

// TestGolden keeps the schemas of the linked release under review: a change in the types, the
// docs or the tables shows in the diff of testdata/schema. -update rewrites them.
func TestGolden(t *testing.T) {
	g, err := schema.New(schema.Config{KubernetesVersion: "v1.37", Layout: schema.LayoutKinds})
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.Files()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "testdata", "schema", "v1.37")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, b := range files {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%v (go test ./schema -run TestGolden -update writes it)", err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s differs from its golden; go test ./schema -run TestGolden -update rewrites it", name)
		}
	}
}

func TestExtraArgsAndGates(t *testing.T) {
	g, err := schema.New(schema.Config{KubernetesVersion: "v1.37"})
	if err != nil {
		t.Fatal(err)
	}
	var cluster schema.Kind
	for _, k := range schema.Kinds() {
		if k.Kind == "ClusterConfiguration" {
			cluster = k
		}
	}
	s, err := g.Kind(cluster)
	if err != nil {
		t.Fatal(err)
	}
	prop := func(s schema.Schema, path ...string) schema.Schema {
		for _, p := range path {
			if p == "[]" {
				s = s["items"].(schema.Schema)
				continue
			}
			s = s["properties"].(schema.Schema)[p].(schema.Schema)
		}
		return s
	}
	name := prop(s, "apiServer", "extraArgs", "[]", "name")
	enum := name["anyOf"].([]any)[0].(schema.Schema)["enum"].([]any)
	found := false
	for _, v := range enum {
		found = found || v == "enable-admission-plugins"
	}
	if !found || len(enum) < 100 {
		t.Errorf("apiServer.extraArgs names: %d values, enable-admission-plugins among them: %t", len(enum), found)
	}
	gates := prop(s, "featureGates")["properties"].(schema.Schema)
	if len(gates) == 0 {
		t.Error("featureGates lists no kubeadm gate")
	}
	if d, _ := prop(s, "apiServer", "certSANs")["description"].(string); !strings.Contains(d, "Subject Alternative Names") {
		t.Errorf("apiServer.certSANs has no doc comment: %q", d)
	}
}

// TestV1beta3 holds the v1beta3 schemas, derived from v1beta4's through the migration table, to
// what kubeadm v1.36 reads, and v1.37's bundle to refusing v1beta3 as kubeadm v1.37 does.
func TestV1beta3(t *testing.T) {
	v136, v137 := compile(t, "v1.36"), compile(t, "v1.37")
	const head = "apiVersion: kubeadm.k8s.io/v1beta3\n"
	for _, tc := range []struct {
		name, doc string
		ok        bool
	}{
		{name: "extraArgs as a map", ok: true,
			doc: head + "kind: ClusterConfiguration\napiServer:\n  extraArgs:\n    enable-admission-plugins: NodeRestriction\n  timeoutForControlPlane: 4m0s\n"},
		{name: "discovery.timeout where v1beta3 has it", ok: true,
			doc: head + "kind: JoinConfiguration\ndiscovery:\n  timeout: 5m0s\n  bootstrapToken:\n    token: abcdef.0123456789abcdef\n    apiServerEndpoint: 10.0.0.1:6443\n    unsafeSkipCAVerification: true\n"},
		{name: "extraArgs as v1beta4's list",
			doc: head + "kind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: enable-admission-plugins\n    value: NodeRestriction\n"},
		{name: "a field v1beta4 added",
			doc: head + "kind: InitConfiguration\ntimeouts:\n  discovery: 5m0s\n"},
		{name: "a kind only v1beta4 has",
			doc: head + "kind: ResetConfiguration\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := documents(t, []byte(tc.doc))[0]
			if err := v136.Validate(doc); (err == nil) != tc.ok {
				t.Errorf("v1.36: accepted %t, want %t: %v", err == nil, tc.ok, err)
			}
			if err := v137.Validate(doc); err == nil {
				t.Error("v1.37 accepts v1beta3, which its kubeadm rejects")
			}
		})
	}
}
