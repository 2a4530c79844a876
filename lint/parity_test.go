package lint_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// expectation is what a kubeadm error message means for the linter: a rule and the field paths
// it may land on (any of them), or an input error.
type expectation struct {
	rule       string
	paths      []string
	inputError bool
}

var (
	unknownFieldMsg = regexp.MustCompile(`unknown field "([^"]+)"`)
	typeErrorMsg    = regexp.MustCompile(`Go struct field [A-Za-z0-9]+\.(\S+) of type`)
	fieldErrorMsg   = regexp.MustCompile(`(?:^|\[|, )([A-Za-z][\w.\[\]-]*): (?:Invalid value|Required value|Unsupported value|Forbidden|Duplicate value|Not found|Too long)`)
)

// expect translates kubeadm's first error into what the linter must report.
func expect(t *testing.T, msg string) expectation {
	t.Helper()
	switch {
	case strings.Contains(msg, "error converting YAML to JSON"), strings.Contains(msg, "invalid Yaml document separator"):
		return expectation{inputError: true}
	case strings.Contains(msg, "old API spec"):
		return expectation{rule: "KL002", paths: []string{"apiVersion"}}
	case strings.Contains(msg, "control plane version >="):
		return expectation{rule: "KL009", paths: []string{"kubernetesVersion"}}
	case strings.Contains(msg, "unknown configuration API"), strings.Contains(msg, "kind and apiVersion is mandatory"):
		return expectation{rule: "KL001"}
	case strings.Contains(msg, "is specified twice"):
		return expectation{rule: "KL004", paths: []string{"kind"}}
	case strings.Contains(msg, "already set in map"), strings.Contains(msg, "already defined"), strings.Contains(msg, "yaml: unmarshal errors"):
		return expectation{rule: "KL006"}
	case strings.Contains(msg, "apiserver-advertise-address"):
		return expectation{rule: "KL008", paths: []string{"localAPIEndpoint.advertiseAddress"}}
	case strings.HasPrefix(msg, "hostport "):
		return expectation{rule: "KL008", paths: []string{"controlPlaneEndpoint"}}
	case unknownFieldMsg.MatchString(msg):
		e := expectation{rule: "KL005"}
		for _, m := range unknownFieldMsg.FindAllStringSubmatch(msg, -1) {
			e.paths = append(e.paths, m[1])
		}
		return e
	case typeErrorMsg.MatchString(msg) || strings.Contains(msg, "bootstrap token"):
		e := expectation{rule: "KL007"}
		if m := typeErrorMsg.FindStringSubmatch(msg); m != nil {
			e.paths = []string{lint.JSONFieldPath(m[1])}
		}
		return e
	case fieldErrorMsg.MatchString(msg):
		e := expectation{rule: "KL008"}
		for _, m := range fieldErrorMsg.FindAllStringSubmatch(msg, -1) {
			e.paths = append(e.paths, m[1])
		}
		return e
	}
	t.Fatalf("no expectation for kubeadm's message %q: teach expect() what it means", msg)
	return expectation{}
}

// pathMatches compares a finding's path with one from a kubeadm message, which may lack list
// indices and the "controlPlane." prefix of a JoinConfiguration.
func pathMatches(got, want string) bool {
	flat := stripIndices(got)
	return got == want || flat == want || strings.HasSuffix(flat, "."+want) || strings.HasPrefix(flat, want+".")
}

var listIndex = regexp.MustCompile(`\[[^\]]*\]`)

func stripIndices(p string) string { return listIndex.ReplaceAllString(p, "") }

// TestParityWithKubeadm checks the linter against goldens that hack/parity.sh produced with the
// real kubeadm binaries: every file kubeadm rejects fails with the matching KL0xx error, and no
// file kubeadm accepts gets a KL0xx error. KL010 (component config validation) is the one
// deliberate difference, listed in docs/differences.md.
// yamlErrorLine is the line and message in kubeadm's error for YAML it cannot parse.
var yamlErrorLine = regexp.MustCompile(`yaml: line (\d+): (.*)$`)

func TestParityWithKubeadm(t *testing.T) {
	for _, golden := range []struct{ file, target string }{
		{file: "kubeadm-v1.37.2.tsv", target: "v1.37"},
		{file: "kubeadm-v1.36.3.tsv", target: "v1.36"},
	} {
		t.Run(golden.target, func(t *testing.T) {
			linter, err := lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: golden.target}})
			if err != nil {
				t.Fatal(err)
			}
			rows := readGolden(t, filepath.Join("..", "testdata", "parity", golden.file))
			if len(rows) < 100 {
				t.Fatalf("only %d rows in %s: is testdata/corpus missing from the goldens?", len(rows), golden.file)
			}
			for _, row := range rows {
				t.Run(row.file, func(t *testing.T) {
					data, err := os.ReadFile(row.path)
					if err != nil {
						t.Fatalf("reading %s: %v", row.path, err)
					}
					res, err := linter.Lint(context.Background(), lint.Source{Name: row.file, Data: data})
					var inputErr *lint.InputError
					if err != nil && !errors.As(err, &inputErr) {
						t.Fatalf("lint crashed: %v", err)
					}
					if row.ok {
						if res == nil {
							return // an empty file: kubeadm says ok, the linter exits 2 (docs/differences.md)
						}
						for _, f := range res.Findings {
							if strings.HasPrefix(f.Rule, "KL0") && f.Severity == lint.SeverityError && !isDeliberate(f) {
								t.Errorf("kubeadm accepts the file, the linter reports %s at %s: %s", f.Rule, f.Pos, f.Message)
							}
						}
						return
					}
					want := expect(t, row.msg)
					if want.inputError {
						if inputErr == nil {
							t.Errorf("kubeadm cannot read the YAML (%s); the linter should fail with an input error", row.msg)
							return
						}
						// Where kubeadm names the line, the linter names the same one. kubeadm
						// counts lines from the start of the document, the linter from the start
						// of the file: they agree on files of one document.
						if m := yamlErrorLine.FindStringSubmatch(row.msg); m != nil && !bytes.Contains(data, []byte("\n---")) {
							if line, _ := strconv.Atoi(m[1]); inputErr.Line != line || !strings.Contains(inputErr.Err.Error(), m[2]) {
								t.Errorf("kubeadm says %q; the linter says line %d: %v", row.msg, inputErr.Line, inputErr.Err)
							}
						}
						return
					}
					if res == nil {
						t.Fatalf("kubeadm says %q; the linter failed to read the file: %v", row.msg, err)
					}
					for _, f := range res.Findings {
						if f.Rule != want.rule || f.Severity != lint.SeverityError {
							continue
						}
						if len(want.paths) == 0 {
							return
						}
						for _, p := range want.paths {
							if pathMatches(f.Path, p) {
								return
							}
						}
					}
					t.Errorf("kubeadm says %q\nwant a %s error on %v, got:\n%s", row.msg, want.rule, want.paths, describe(res.Findings))
				})
			}
		})
	}
}

// deliberate lists where the linter is stricter than 'kubeadm config validate', and why.
// docs/differences.md repeats them.
var deliberate = []struct{ rule, contains, why string }{
	{rule: "KL010", why: "kubeadm does not validate component configs; the kubelet and kube-proxy do, when they start"},
	{rule: "KL002", contains: "old API spec", why: "'kubeadm config validate' skips removed API versions of kinds it no longer reads (MasterConfiguration, NodeConfiguration), and 'kubeadm init' then finds no configuration"},
	{rule: "KL006", why: "'kubeadm config validate' does not decode a file of component configs alone; a duplicate key still silently drops a value"},
}

func isDeliberate(f lint.Finding) bool {
	for _, d := range deliberate {
		if f.Rule == d.rule && strings.Contains(f.Message, d.contains) {
			return true
		}
	}
	return false
}

type goldenRow struct {
	file, path, msg string
	ok              bool
}

func readGolden(t *testing.T, name string) []goldenRow {
	t.Helper()
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var rows []goldenRow
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("%s: bad row %q", name, line)
		}
		r := goldenRow{file: parts[0], ok: parts[1] == "ok", msg: parts[2]}
		if strings.HasPrefix(r.file, "corpus/") {
			r.path = filepath.Join("..", "testdata", r.file)
		} else {
			r.path = filepath.Join("..", "testdata", "parity", r.file)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func describe(fs []lint.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Pos.String() + " " + f.Rule + " " + f.Path + ": " + f.Message + "\n")
	}
	if b.Len() == 0 {
		return "  (no findings)\n"
	}
	return b.String()
}
