package rules_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"iter"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// The differential goldens hold what the real components do with the extraArgs of every rule
// case and every corpus file: 'make flags-goldens' builds them (hack/flags/gen.sh with BINDIR)
// and runs this test with -update -components; 'make test' only compares.
var (
	updateDifferential = flag.Bool("update", false, "rerun the real components and rewrite testdata/flags/differential.tsv")
	componentsDir      = flag.String("components", "", "with -update: the directory holding RELEASE/COMPONENT binaries")
)

const differentialGolden = "../../testdata/flags/differential.tsv"

// The start goldens hold whether the real control-plane components start, with kubeadm's
// command line and PKI, on the extraArgs of the rules whose checks need more than a parse of the
// flags: 'make start-goldens' records them with hack/startcheck.
var (
	updateStart = flag.Bool("update-start", false, "restart the real components with hack/startcheck and rewrite testdata/flags/start.tsv")
	startOnly   = flag.String("update-start-only", "", "with -update-start: restart only these components' cases (comma-separated), or with \"missing\" only the cases that have no golden yet, keeping the other goldens as recorded")
)

const startGolden = "../../testdata/flags/start.tsv"

// startCases are the folders whose cases the start goldens hold: the rules that only a start of
// the component can prove.
var startCases = []string{testdata + "/KL218", testdata + "/KL219"}

// startRules are the rules whose errors mean the component exits at start.
var startRules = []string{"KL207", "KL208", "KL210", "KL211", "KL226"}

// fileCases are the folders whose control-plane files the start goldens hold, each document
// given to its component by the flag that reads its kind: the cases of the file rules, and the
// hardened set of the shipped examples.
var fileCases = []string{testdata + "/KL220", testdata + "/KL221", testdata + "/KL222", testdata + "/KL225", testdata + "/KL228",
	"../../testdata/examples/node/etc/kubernetes"}

// fileRules are the rules whose errors on a control-plane file mean its component exits at start.
// KL225 only warns, as a KubeSchedulerConfiguration may serve a scheduler of the user's own; given
// to kubeadm's scheduler, as the goldens give it, its finding is the refusal.
var fileRules = []string{"KL220", "KL221", "KL222", "KL225"}

// refusalWarnings are the warnings that the goldens count as the component's refusal.
var refusalWarnings = []string{"KL225"}

// argCase is one list of flags as kubeadm passes it to a component of a release.
type argCase struct {
	Release   string   `json:"release"` // the binary's release: "v1.37.2"
	Component string   `json:"component"`
	Args      []string `json:"args"` // "--name=value", in the user's order
	Source    string   `json:"source"`
	Fails     bool     `json:"fails"`   // the component refused to start
	Message   string   `json:"message"` // what it said, trimmed
	// Probe says how kubeadm's probes of the started component failed (start goldens only).
	Probe string `json:"probe,omitempty"`
	// Files are the configuration files the args name, by path, with their text (start goldens
	// only): the linter lints each as a file of its own.
	Files map[string]string `json:"files,omitempty"`
}

func (c argCase) key() string { return c.Component + "\x00" + strings.Join(c.Args, "\x00") }

// TestDifferential holds the flag rules to the real components: an error from startRules on a
// list exactly when the component of that release refuses it.
func TestDifferential(t *testing.T) {
	if *updateDifferential {
		writeDifferential(t)
	}
	cases := readGolden(t, differentialGolden)
	checkGoldens(t, cases, collectArgs(t, testdata, "../../testdata/examples", "../../testdata/corpus"), startRules, "flags-goldens")
}

// TestStartDifferential holds KL218 and the flag rules to the real components' start, and KL219
// to kubeadm's probes of them: an error of the first on a list exactly when the component of that
// release, started as kubeadm starts it, exits before it serves, and of KL219 exactly when it
// serves and a probe fails.
func TestStartDifferential(t *testing.T) {
	if *updateStart {
		writeStart(t)
	}
	cases := readGolden(t, startGolden)
	want := controlPlaneCases(collectArgs(t, startCases...))
	maps.Copy(want, collectFiles(t, fileCases...))
	checkGoldens(t, cases, want, slices.Concat(startRules, []string{"KL218"}, fileRules), "start-goldens")
	var probed []argCase
	for _, c := range cases {
		if !c.Fails {
			c.Fails, c.Message = c.Probe != "", c.Probe
			probed = append(probed, c)
		}
	}
	checkGoldens(t, probed, nil, []string{"KL219"}, "start-goldens") // the goldens' completeness is checked above
}

// checkGoldens wants a golden for every case of every release the goldens hold, and the rules'
// errors exactly on the cases whose component refused them; target is the make target that
// records them.
func checkGoldens(t *testing.T, cases []argCase, want map[string]argCase, rules []string, target string) {
	t.Helper()
	recorded, releases := map[string]bool{}, map[string]bool{}
	for _, c := range cases {
		recorded[c.Release+"\x00"+c.key()] = true
		releases[c.Release] = true
	}
	for _, c := range want {
		for rel := range releases {
			if !recorded[rel+"\x00"+c.key()] {
				t.Errorf("%s %s %q (from %s) has no golden: run 'make %s'", rel, c.Component, c.Args, c.Source, target)
			}
		}
	}
	disagree := 0
	for _, c := range cases {
		found := lintArgs(t, c, rules)
		if (len(found) > 0) != c.Fails {
			disagree++
			t.Errorf("%s %s %q (from %s): the component fails=%t (%s), the linter says %q",
				c.Release, c.Component, c.Args, c.Source, c.Fails, c.Message, found)
		}
	}
	t.Logf("%d cases, %d disagreements", len(cases), disagree)
}

// lintArgs lints a document that gives args to the component, at the binary's release, and
// returns the errors of rules.
func lintArgs(t *testing.T, c argCase, rules []string) []string {
	t.Helper()
	var list []map[string]string
	for _, a := range c.Args {
		name, value, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		list = append(list, map[string]string{"name": name, "value": value})
	}
	doc := map[string]any{"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration"}
	switch c.Component {
	case release.APIServer:
		doc["apiServer"] = map[string]any{"extraArgs": list}
	case release.ControllerManager:
		doc["controllerManager"] = map[string]any{"extraArgs": list}
	case release.Scheduler:
		doc["scheduler"] = map[string]any{"extraArgs": list}
	case release.Etcd:
		doc["etcd"] = map[string]any{"local": map[string]any{"extraArgs": list}}
	case release.Kubelet:
		doc = map[string]any{"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "InitConfiguration",
			"nodeRegistration": map[string]any{"kubeletExtraArgs": list}}
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	minor := strings.Join(strings.SplitN(c.Release, ".", 3)[:2], ".")
	l, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: minor}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Lint(context.Background(), lint.Source{Name: "differential.yaml", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	findings := res.Findings
	for _, name := range slices.Sorted(maps.Keys(c.Files)) {
		res, err := l.Lint(context.Background(), lint.Source{Name: name, Data: []byte(c.Files[name])})
		if err != nil {
			t.Fatal(err)
		}
		findings = append(findings, res.Findings...)
	}
	var out []string
	for _, f := range findings {
		refusal := f.Severity == lint.SeverityError || slices.Contains(refusalWarnings, f.Rule)
		if refusal && slices.Contains(rules, f.Rule) {
			out = append(out, f.Rule+" "+f.Message)
		}
	}
	return out
}

func readGolden(t *testing.T, golden string) []argCase {
	t.Helper()
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v: run 'make flags-goldens' or 'make start-goldens'", err)
	}
	var out []argCase
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c argCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no cases", golden)
	}
	return out
}

// writeDifferential runs every argument list through the real component of each release in
// -components and writes the goldens, one JSON object a line.
func writeDifferential(t *testing.T) {
	t.Helper()
	if *componentsDir == "" {
		t.Fatal("-update needs -components DIR (make flags-goldens sets it)")
	}
	lists := collectArgs(t, testdata, "../../testdata/examples", "../../testdata/corpus")
	releases, err := os.ReadDir(*componentsDir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, rel := range releases {
		for _, key := range slices.Sorted(maps.Keys(lists)) {
			c := lists[key]
			c.Release = rel.Name()
			bin := filepath.Join(*componentsDir, rel.Name(), c.Component)
			if _, err := os.Stat(bin); err != nil {
				t.Fatalf("%v: build the components with 'make flags-goldens'", err)
			}
			c.Fails, c.Message = runComponent(t, bin, c.Component, c.Args)
			line, _ := json.Marshal(c)
			buf.Write(append(line, '\n'))
		}
	}
	if err := os.WriteFile(differentialGolden, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// controlPlaneCases keeps the cases of the components hack/startcheck starts.
func controlPlaneCases(cases map[string]argCase) map[string]argCase {
	maps.DeleteFunc(cases, func(_ string, c argCase) bool {
		return !slices.Contains([]string{release.APIServer, release.ControllerManager, release.Scheduler, release.Etcd}, c.Component)
	})
	return cases
}

// writeStart runs every case of startCases, for each release in -components, through
// hack/startcheck and writes what it says to the start goldens.
func writeStart(t *testing.T) {
	t.Helper()
	if *componentsDir == "" {
		t.Fatal("-update-start needs -components DIR (make start-goldens sets it)")
	}
	releases, err := os.ReadDir(*componentsDir)
	if err != nil {
		t.Fatal(err)
	}
	lists := controlPlaneCases(collectArgs(t, startCases...))
	maps.Copy(lists, collectFiles(t, fileCases...))
	recorded := map[string][]byte{} // release NUL case key: its line of the start goldens
	if *startOnly != "" {
		recorded = readStartLines(t)
	}
	restart := func(rel string, c argCase) bool {
		if *startOnly == "missing" {
			return recorded[rel+"\x00"+c.key()] == nil
		}
		return *startOnly == "" || slices.Contains(strings.Split(*startOnly, ","), c.Component)
	}
	var in bytes.Buffer
	for _, rel := range releases {
		for _, key := range slices.Sorted(maps.Keys(lists)) {
			if c := lists[key]; restart(rel.Name(), c) {
				c.Release = rel.Name()
				line, _ := json.Marshal(c)
				in.Write(append(line, '\n'))
			}
		}
	}
	cmd := exec.Command("go", "run", "../../hack/startcheck", "-components", *componentsDir, "-files", "../../testdata/flags/start-files")
	cmd.Stdin, cmd.Stderr = &in, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hack/startcheck: %v", err)
	}
	if *startOnly != "" {
		out = mergeStart(t, out, recorded, releases, lists, restart)
	}
	if err := os.WriteFile(startGolden, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readStartLines returns the start goldens as recorded, each line by its release and case.
func readStartLines(t *testing.T) map[string][]byte {
	t.Helper()
	old, err := os.ReadFile(startGolden)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string][]byte{}
	for line := range bytes.Lines(old) {
		var c argCase
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatal(err)
		}
		recorded[c.Release+"\x00"+c.key()] = line
	}
	return recorded
}

// mergeStart puts the results of the cases restarted among the goldens recorded for the others,
// in the order a whole recording writes them.
func mergeStart(t *testing.T, results []byte, recorded map[string][]byte, releases []os.DirEntry, lists map[string]argCase, restarted func(string, argCase) bool) []byte {
	t.Helper()
	fresh := bytes.Lines(results)
	next, stop := iter.Pull(fresh)
	defer stop()
	var out bytes.Buffer
	for _, rel := range releases {
		for _, key := range slices.Sorted(maps.Keys(lists)) {
			line, ok := recorded[rel.Name()+"\x00"+key]
			if restarted(rel.Name(), lists[key]) {
				line, ok = next()
			}
			if !ok {
				t.Fatalf("%s %q has no golden to keep: record them all with 'make start-goldens'", rel.Name(), lists[key].Args)
			}
			out.Write(line)
		}
	}
	return out.Bytes()
}

// kubeletStop is where the oracle's kubelet stops on purpose: its flags, feature gates and flag
// validation have passed, and it has not touched the machine yet. --version would stop it
// before it applies feature gates.
const kubeletStop = "failed to load kubelet config file"

// runComponent starts the component with args as kubeadm would, made to stop right after it
// has parsed them, and reports whether it refused them.
func runComponent(t *testing.T, bin, component string, args []string) (fails bool, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stop := "--version"
	if component == release.Kubelet {
		stop = "--config=" + filepath.Join(t.TempDir(), "absent", "config.yaml")
	}
	cmd := exec.CommandContext(ctx, bin, append(slices.Clone(args), stop)...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %q did not stop within 30 s", bin, args)
	}
	text := strings.TrimSpace(stderr.String())
	var exit *exec.ExitError
	switch {
	case err == nil:
		return false, ""
	case !errors.As(err, &exit):
		t.Fatalf("running %s: %v", bin, err)
	case component == release.Kubelet && strings.Contains(text, kubeletStop):
		return false, ""
	}
	return true, firstError(text)
}

// firstError picks the line that says what went wrong out of a component's stderr: cobra's
// "Error:", klog's err="...", or Go's flag package, before any usage text.
func firstError(text string) string {
	lines := strings.Split(text, "\n")
	for _, marker := range []string{"Error: ", `err="`, "flag provided but not defined", "invalid value"} {
		for _, l := range lines {
			if i := strings.Index(l, marker); i >= 0 {
				return strings.TrimSpace(l[i:])
			}
		}
	}
	return strings.TrimSpace(lines[0])
}

// collectArgs gathers the extraArgs lists of the YAML files under roots, and the featureGates of
// their KubeletConfigurations as the kubelet flag they stand for.
func collectArgs(t *testing.T, roots ...string) map[string]argCase {
	t.Helper()
	out := map[string]argCase{}
	l, err := lint.New(lint.Config{Rules: nil, Options: lint.Options{KubernetesVersion: "v1.36"}})
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"apiServer.extraArgs":               release.APIServer,
		"controllerManager.extraArgs":       release.ControllerManager,
		"scheduler.extraArgs":               release.Scheduler,
		"etcd.local.extraArgs":              release.Etcd,
		"nodeRegistration.kubeletExtraArgs": release.Kubelet,
	}
	add := func(source, component string, args []string) {
		if len(args) == 0 {
			return
		}
		// Each flag alone as well, so that one refused flag cannot hide how another fares.
		lists := [][]string{args}
		for _, a := range args {
			if len(args) > 1 {
				lists = append(lists, []string{a})
			}
		}
		for _, list := range lists {
			c := argCase{Component: component, Args: list, Source: source}
			if _, ok := out[c.key()]; !ok {
				out[c.key()] = c
			}
		}
	}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			res, err := l.Lint(context.Background(), lint.Source{Name: path, Data: data, Walked: true})
			if err != nil {
				return nil // not YAML: nothing to give a component
			}
			source := strings.TrimPrefix(path, "../../")
			for _, doc := range res.File.Docs {
				for p, comp := range paths {
					add(source, comp, argsAt(doc, p))
				}
				if doc.Kind == lint.KindKubelet {
					if gates := gatesFlag(doc); gates != "" {
						add(source, release.Kubelet, []string{gates})
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// collectFiles gives each control-plane file document under roots to its component, by the flag
// that reads its kind, as a file of its own under /etc/kubernetes named by its text's hash: a
// changed document is a new case. The other files of a document's directory go with it, at
// their paths below the root, for a document that names them.
func collectFiles(t *testing.T, roots ...string) map[string]argCase {
	t.Helper()
	flags := map[string]argCase{}
	for comp, kinds := range lint.ConfigFileFlags {
		for flag, kind := range kinds {
			flags[kind] = argCase{Component: comp, Args: []string{"--" + flag + "="}}
		}
	}
	out := map[string]argCase{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, text := range strings.Split(string(data), "\n---\n") {
				var head struct{ Kind string }
				if yaml.Unmarshal([]byte(text), &head) != nil {
					continue
				}
				c, ok := flags[head.Kind]
				if !ok {
					continue
				}
				sum := sha256.Sum256([]byte(text))
				name := fmt.Sprintf("/etc/kubernetes/files/%x.yaml", sum[:6])
				c.Args = []string{c.Args[0] + name}
				c.Source = fmt.Sprintf("%s#%d", strings.TrimPrefix(path, "../../"), i+1)
				c.Files = siblings(t, root, filepath.Dir(path))
				c.Files[name] = text
				out[c.key()] = c
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// siblings are the YAML files of dir by their paths below root, put under /etc/kubernetes: the
// files a document of dir may name, when root stands for /etc/kubernetes.
func siblings(t *testing.T, root, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if !strings.HasSuffix(root, "etc/kubernetes") {
		return out
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		out["/etc/kubernetes/"+filepath.ToSlash(rel)] = string(data)
	}
	return out
}

// argsAt returns the v1beta4 {name, value} list at path as --name=value flags.
func argsAt(d *lint.Document, path string) []string {
	n := d.Lookup(path)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, item := range n.Content {
		var kv struct{ Name, Value string }
		if item.Decode(&kv) != nil || kv.Name == "" {
			continue
		}
		out = append(out, fmt.Sprintf("--%s=%s", kv.Name, kv.Value))
	}
	return out
}

// gatesFlag turns a KubeletConfiguration's featureGates into the kubelet's --feature-gates.
func gatesFlag(d *lint.Document) string {
	n := d.Lookup("featureGates")
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	var pairs []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		pairs = append(pairs, n.Content[i].Value+"="+n.Content[i+1].Value)
	}
	slices.Sort(pairs)
	return "--feature-gates=" + strings.Join(pairs, ",")
}
