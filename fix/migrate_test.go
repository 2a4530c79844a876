package fix_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	kubeadmscheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme"

	"github.com/kubeadm-lint/kubeadm-lint/fix"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// TestMigrateMatchesKubeadm holds 'fix --migrate' to what kubeadm v1.36.3's 'kubeadm config
// migrate' writes for every v1beta3 file of the corpus and of testdata/migrate/cases. The goldens
// come from hack/migrate-goldens.sh; the test never runs kubeadm.
//
// kubeadm writes a defaulted config, while fix writes only what the user wrote, so the texts
// cannot be compared. Instead both are read the way kubeadm reads v1beta4: decoded into kubeadm's
// v1beta4 types, with the v1beta4 scheme's defaults applied. Document by document and kind by
// kind, the two must then be equal, with three exceptions, each narrow:
//   - dynamicDefaults: fields kubeadm fills from the machine, the network or a random source.
//     They are compared only where the migrated file sets them.
//   - kubeadm prepends unix:// to a criSocket without a scheme whenever it reads a config; both
//     sides are read that way.
//   - kubeadm v1.36.3 writes timeouts.controlPlaneComponentHealthCheck: 0s whenever the input
//     has no non-zero apiServer.timeoutForControlPlane, even for v1beta4 input (v1.37.2 writes
//     4m0s). 'kubeadm init' reading the v1beta3 file uses the 4m0s default, which is what the
//     migrated file gets, so that 0s is accepted where the migrated file leaves the field unset.
//
// A kind that kubeadm writes and the migrated file lacks (kubeadm always writes an
// InitConfiguration beside a ClusterConfiguration) is compared with an empty document of that
// kind, so it too may hold defaults only. Files kubeadm refuses are skipped with its reason; when
// the reason is that it cannot decode them, fix must refuse them too.
func TestMigrateMatchesKubeadm(t *testing.T) {
	rows := readManifest(t, "../testdata/migrate/kubeadm-v1.36.3.tsv")
	if len(rows) < 40 {
		t.Fatalf("only %d rows in the manifest: rerun hack/migrate-goldens.sh", len(rows))
	}
	fixer := newFixer(t, fix.Config{Migrate: true}, "v1.36")
	for _, row := range rows {
		t.Run(row.file, func(t *testing.T) {
			input := readInput(t, row)
			res, err := fixer.Fix(context.Background(), lint.Source{Name: row.file, Data: input})
			if row.verdict == "skip" {
				if undecodable.MatchString(row.reason) && err == nil && res.Changed() {
					t.Errorf("kubeadm cannot read this file (%s), yet fix migrated it", row.reason)
				}
				t.Skipf("kubeadm v1.36.3 refuses it: %s", row.reason)
			}
			if err != nil {
				t.Fatalf("fix --migrate: %v", err)
			}
			want, err := os.ReadFile(filepath.Join("../testdata/migrate/kubeadm-v1.36.3", row.file))
			if err != nil {
				t.Fatal(err)
			}
			compareKubeadm(t, res.After, want)
			if got, want := comments(t, res.After), comments(t, input); !slices.Equal(got, want) {
				t.Errorf("comments changed:\n got %q\nwant %q", got, want)
			}
			again, err := fixer.Fix(context.Background(), lint.Source{Name: row.file, Data: res.After})
			if err != nil || again.Changed() {
				t.Errorf("a second run changes the file again (err %v):\n%s", err, fix.Diff(row.file, res.After, again.After))
			}
		})
	}
}

// undecodable matches kubeadm's reasons for not reading a file at all.
var undecodable = regexp.MustCompile(`strict decoding error|cannot unmarshal|unknown configuration APIs|could not interpret|was not of the form`)

type manifestRow struct{ file, verdict, reason string }

func readManifest(t *testing.T, path string) []manifestRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run hack/migrate-goldens.sh)", err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("%s: bad line %q", path, sc.Text())
		}
		rows = append(rows, manifestRow{parts[0], parts[1], parts[2]})
	}
	return rows
}

// raiseVersion is the sed expression of hack/migrate-goldens.sh.
var raiseVersion = regexp.MustCompile(`(?m)^([ \t]*kubernetesVersion:[ \t]*).*$`)

func readInput(t *testing.T, row manifestRow) []byte {
	t.Helper()
	path := filepath.Join("../testdata/migrate", row.file)
	if strings.HasPrefix(row.file, "corpus/") {
		path = filepath.Join("../testdata", row.file)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if row.verdict == "raised" {
		data = raiseVersion.ReplaceAll(data, []byte("${1}v1.36.0"))
	}
	return data
}

// dynamicDefaults are the fields kubeadm fills from the machine, the network or a random source,
// by kind, as JSON paths.
var dynamicDefaults = map[string][]string{
	lint.KindInit: {
		"bootstrapTokens.*.token",           // random
		"localAPIEndpoint.advertiseAddress", // the machine's default address
		"nodeRegistration.name",             // the host name
		"nodeRegistration.criSocket",        // the runtime found on the machine
		"nodeRegistration.taints",           // the control-plane taint, only when taints is unset
	},
	lint.KindCluster: {
		"kubernetesVersion", // resolved over the network, or kubeadm's own version
	},
	lint.KindJoin: {
		"nodeRegistration.name",
		"nodeRegistration.criSocket",
		"nodeRegistration.taints",     // the control-plane taint, for a control-plane node
		"discovery.tlsBootstrapToken", // copied from the discovery token
	},
}

// kubeadmView is one kubeadm document as kubeadm reads it: set holds the fields written,
// defaulted the same fields with the v1beta4 scheme's defaults.
type kubeadmView struct {
	set, defaulted map[string]any
}

func compareKubeadm(t *testing.T, ours, theirs []byte) {
	t.Helper()
	o, k := readKubeadm(t, ours), readKubeadm(t, theirs)
	if len(k) == 0 {
		t.Fatal("the golden holds no kubeadm document")
	}
	for kind := range o {
		if _, ok := k[kind]; !ok {
			t.Errorf("the migrated file has a %s that kubeadm does not write", kind)
		}
	}
	for kind, kv := range k {
		ov, ok := o[kind]
		if !ok {
			ov = decodeKubeadm(t, []byte("apiVersion: kubeadm.k8s.io/v1beta4\nkind: "+kind+"\n"))
		}
		for _, m := range []map[string]any{ov.defaulted, kv.defaulted} {
			if s, ok := getJSON(m, "nodeRegistration.criSocket").(string); ok && s != "" && !strings.Contains(s, "://") {
				setJSON(m, "nodeRegistration.criSocket", "unix://"+s)
			}
		}
		for _, p := range dynamicDefaults[kind] {
			for _, p := range expand(p, ov.defaulted, kv.defaulted) {
				if getJSON(ov.set, p) == nil {
					deleteJSON(ov.defaulted, p)
					deleteJSON(kv.defaulted, p)
				}
			}
		}
		const cp = "timeouts.controlPlaneComponentHealthCheck"
		if getJSON(kv.defaulted, cp) == "0s" && getJSON(ov.set, cp) == nil {
			deleteJSON(ov.defaulted, cp)
			deleteJSON(kv.defaulted, cp)
		}
		if !reflect.DeepEqual(ov.defaulted, kv.defaulted) {
			a, _ := json.MarshalIndent(kv.defaulted, "", "  ")
			b, _ := json.MarshalIndent(ov.defaulted, "", "  ")
			t.Errorf("%s: the migrated file, read by kubeadm, differs from what kubeadm migrate wrote (- kubeadm, + fix):\n%s",
				kind, fix.Diff(kind, append(a, '\n'), append(b, '\n')))
		}
	}
}

// readKubeadm reads the kubeadm documents of a file, by kind.
func readKubeadm(t *testing.T, data []byte) map[string]kubeadmView {
	t.Helper()
	out := map[string]kubeadmView{}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			break
		}
		var head struct {
			APIVersion string `yaml:"apiVersion"`
			Kind       string `yaml:"kind"`
		}
		if err := n.Decode(&head); err != nil || !strings.HasPrefix(head.APIVersion, "kubeadm.k8s.io/") {
			continue
		}
		doc, err := yaml.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		out[head.Kind] = decodeKubeadm(t, doc)
	}
	return out
}

func decodeKubeadm(t *testing.T, doc []byte) kubeadmView {
	t.Helper()
	toMap := func(obj any) map[string]any {
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	obj, _, err := kubeadmscheme.Codecs.UniversalDeserializer().Decode(doc, nil, nil)
	if err != nil {
		t.Fatalf("decoding as kubeadm v1beta4: %v\n%s", err, doc)
	}
	set := toMap(obj)
	kubeadmscheme.Scheme.Default(obj)
	return kubeadmView{set: set, defaulted: toMap(obj)}
}

// expand turns a path with a "*" for list elements into one path per element of the longest
// list among the documents.
func expand(path string, docs ...map[string]any) []string {
	before, after, ok := strings.Cut(path, ".*.")
	if !ok {
		return []string{path}
	}
	n := 0
	for _, d := range docs {
		if l, ok := getJSON(d, before).([]any); ok {
			n = max(n, len(l))
		}
	}
	var out []string
	for i := range n {
		out = append(out, before+"."+strconv.Itoa(i)+"."+after)
	}
	return out
}

// getJSON follows a dotted path of keys and list indexes.
func getJSON(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		switch c := v.(type) {
		case map[string]any:
			v = c[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

func setJSON(m map[string]any, path string, v any) {
	parent, last := path, ""
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent, last = path[:i], path[i+1:]
	}
	if last == "" {
		m[parent] = v
	} else if mm, ok := getJSON(m, parent).(map[string]any); ok {
		mm[last] = v
	}
}

func deleteJSON(m map[string]any, path string) {
	parent, last := path, ""
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent, last = path[:i], path[i+1:]
	}
	if last == "" {
		delete(m, parent)
	} else if mm, ok := getJSON(m, parent).(map[string]any); ok {
		delete(mm, last)
	}
}

// comments lists every comment line of a file, sorted, as yaml.v3 attaches them to nodes.
func comments(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			break
		}
		var visit func(*yaml.Node)
		visit = func(n *yaml.Node) {
			for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
				for _, line := range strings.Split(c, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						out = append(out, line)
					}
				}
			}
			for _, c := range n.Content {
				visit(c)
			}
		}
		visit(&n)
	}
	slices.Sort(out)
	return out
}

func newFixer(t *testing.T, cfg fix.Config, target string) *fix.Fixer {
	t.Helper()
	l, err := lint.New(lint.Config{Rules: allRules(), Options: lint.Options{KubernetesVersion: target}})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Linter = l
	f, err := fix.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
