// Package linttest runs a rule over YAML test files whose comments say what it must find, in the
// manner of golang.org/x/tools/go/analysis/analysistest.
//
// A comment `# want KL123 "regexp"` on a line means that a KL123 finding whose message matches the
// regexp must land on that line; `# want KL123 "regexp" hint "regexp"` also matches the finding's
// hint. One comment may hold several. Every want must be met and every finding of the rule must be
// wanted. Files named pass_*.yaml must produce no finding of the rule, and must decode: a finding
// of a decoding rule (KL001, KL005, KL006, KL007) or a document that does not decode fails them,
// except in the cases of those rules and KL002. A pass_undecoded_*.yaml file is the opposite: one of
// its documents must not decode, for a rule that must stay silent when it cannot read the facts it
// needs (a ClusterConfiguration of an old API does not mean the defaults apply). Files named
// fail_*.yaml must want at least one. The YAML files in the folder's subdirectories are the other
// files of each case's lint run (lint.Related), named by their paths below the folder. Files ending in .sh are linted as shell scripts. A first-line comment `# options: key=value ...` sets lint
// options: kubernetesVersion, hostProfile, cni, profile (a profile's own rules run with it anyway), and the --host facts hostReadOnlyUsr,
// hostNICs, hostResolvConfLoopback and hostCgroupDriver.
package linttest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kubeadm-lint/kubeadm-lint/internal/wantcomment"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Run checks rule against every *.yaml file in dir. The others run beside it, so that
// suppression comments can name them; only rule's findings are checked, and returned for checks
// that hold for every finding.
func Run(t *testing.T, dir string, rule *lint.Rule, others ...*lint.Rule) []lint.Finding {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scripts, _ := filepath.Glob(filepath.Join(dir, "*.sh"))
	files = append(files, scripts...)
	if len(files) == 0 {
		t.Fatalf("no test files in %s", dir)
	}
	var found []lint.Finding
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { found = append(found, runFile(t, file, rule, others)...) })
	}
	return found
}

type want struct {
	wantcomment.Want
	met bool
}

func (w *want) matches(f lint.Finding) bool {
	return w.Line == f.Pos.Line && w.Rule == f.Rule && w.Message.MatchString(f.Message) && (w.Hint == nil || w.Hint.MatchString(f.Hint))
}

func runFile(t *testing.T, file string, rule *lint.Rule, others []*lint.Rule) []lint.Finding {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	opts, wants, err := parseExpectations(string(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	base := filepath.Base(file)
	switch {
	case strings.HasPrefix(base, "pass_") && len(wants) > 0:
		t.Fatalf("%s: a pass_ file must not want findings", base)
	case strings.HasPrefix(base, "fail_") && len(wants) == 0:
		t.Fatalf("%s: a fail_ file must want at least one finding", base)
	case !strings.HasPrefix(base, "pass_") && !strings.HasPrefix(base, "fail_"):
		t.Fatalf("%s: test files are named pass_* or fail_*", base)
	}
	// A profile's rule is tested with its profile on, which its cases need not say.
	if rule.Profile != "" && !slices.Contains(opts.Profiles, rule.Profile) {
		opts.Profiles = append(opts.Profiles, rule.Profile)
	}
	rs := []*lint.Rule{rule}
	for _, r := range others {
		if r.ID != rule.ID {
			rs = append(rs, r)
		}
	}
	// Unused ignores are reported so that KL013 can be tested; other rules never see them.
	l, err := lint.New(lint.Config{Rules: rs, Options: opts, ReportUnusedIgnores: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.LintObject(context.Background(), lint.Source{Name: base, Data: data, Script: strings.HasSuffix(base, ".sh")},
		lint.ObjectOptions{Related: companions(t, filepath.Dir(file))})
	var inputErr *lint.InputError
	if errors.As(err, &inputErr) {
		t.Fatalf("test file is not valid YAML: %v", err)
	}
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	switch {
	case strings.HasPrefix(base, "pass_undecoded_"):
		if !slices.ContainsFunc(res.File.Docs, func(d *lint.Document) bool { return d.Object == nil }) {
			t.Errorf("%s: every document decodes; a pass_undecoded_ case needs one that does not", base)
		}
	case strings.HasPrefix(base, "pass_") && !testsDecoding(rule.ID):
		checkDecodes(t, base, res)
	}
	var found []lint.Finding
	for _, f := range res.Findings {
		if f.Rule != rule.ID {
			continue
		}
		found = append(found, f)
		matched := false
		for _, w := range wants {
			if !w.met && w.matches(f) {
				w.met, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s: unexpected %s %s (path %s): %s (hint: %q)", f.Pos, f.Severity, f.Rule, f.Path, f.Message, f.Hint)
		}
	}
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s:%d: no %s finding matching %s", base, w.Line, w.Rule, w.Want)
		}
	}
	return found
}

// companions indexes the YAML files in the subdirectories of a rule's folder, which every case of
// the rule sees as the other files of its lint run, by their paths below the folder.
func companions(t *testing.T, dir string) *lint.Related {
	t.Helper()
	r := &lint.Related{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Dir(p) == dir || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		r.Add(filepath.ToSlash(rel), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// undecodable are the rules whose findings mean that kubeadm cannot decode a document or a
// field: an unknown type, an unknown field, a duplicate key, a value of the wrong type.
var undecodable = map[string]bool{lint.RuleConfigType: true, "KL005": true, "KL006": true, "KL007": true}

// testsDecoding reports whether a rule's own cases test decoding, and so may fail to decode:
// the rules above, and KL002, whose removed API versions are not decoded.
func testsDecoding(id string) bool { return undecodable[id] || id == "KL002" }

// checkDecodes fails a pass_ case that kubeadm cannot decode. Such a case passes for the wrong
// reason: the rule never saw the document, or saw it without the broken field. The cases of the
// decoding rules themselves are exempt.
func checkDecodes(t *testing.T, base string, res *lint.Result) {
	t.Helper()
	for _, d := range res.File.Docs {
		if d.Object == nil {
			t.Errorf("%s: document %d (%s %s) does not decode, so the rule never sees it: a pass_ case must decode", base, d.Index+1, d.APIVersion, d.Kind)
		}
	}
	for _, f := range res.Findings {
		if undecodable[f.Rule] {
			t.Errorf("%s: %s %s: %s: a pass_ case must decode", f.Pos, f.Severity, f.Rule, f.Message)
		}
	}
}

// Options returns the lint options that a test file's first-line options comment sets, for tools
// that lint the rule cases as the tests do.
func Options(src string) (lint.Options, error) {
	opts, _, err := parseExpectations(src)
	return opts, err
}

func parseExpectations(src string) (lint.Options, []*want, error) {
	var opts lint.Options
	options, parsed, err := wantcomment.Parse(src)
	if err == nil {
		err = setOptions(&opts, options)
	}
	if err != nil {
		return opts, nil, err
	}
	wants := make([]*want, len(parsed))
	for i, w := range parsed {
		if w.On != nil {
			return opts, nil, fmt.Errorf("line %d: \"on\" places a cluster finding; a file case's want is on its line", w.Line)
		}
		wants[i] = &want{Want: w}
	}
	return opts, wants, nil
}

func setOptions(o *lint.Options, s string) error {
	for _, kv := range strings.Fields(s) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("option %q is not key=value", kv)
		}
		switch k {
		case "kubernetesVersion":
			o.KubernetesVersion = v
		case "hostProfile":
			o.HostProfile = v
		case "cni":
			o.CNI = v
		case "profile":
			o.Profiles = append(o.Profiles, strings.Split(v, ",")...)
		case "hostReadOnlyUsr", "hostNICs", "hostResolvConfLoopback", "hostCgroupDriver":
			if o.Host == nil {
				o.Host = &lint.Host{}
			}
			switch k {
			case "hostReadOnlyUsr":
				o.Host.ReadOnlyUsr = v == "true"
			case "hostNICs":
				o.Host.NICs = strings.Split(v, ",")
			case "hostResolvConfLoopback":
				o.Host.ResolvConfLoopback = v == "true"
			case "hostCgroupDriver":
				o.Host.RuntimeCgroupDriver = v
			}
		default:
			return fmt.Errorf("unknown option %q", k)
		}
	}
	return nil
}

// maxMessage is the longest a finding's message may be, not counting text quoted from kubeadm
// or a component. Admission warnings and one-line outputs show the message alone, and the API
// server cuts warnings to 256 characters once a response's pass 4096.
const maxMessage = 160

// upstream matches, per rule, a message that quotes kubeadm's or a component's own words; its
// first group, or the whole match, is that quote, which stays verbatim (the parity goldens hold
// the KL0xx rules to kubeadm's text) and is not counted.
var upstream = map[string]*regexp.Regexp{
	"KL001": regexp.MustCompile(`^invalid configuration for GroupVersionKind .*|^unknown configuration API \S+, Kind=.*`),
	"KL002": regexp.MustCompile(`^your configuration file uses an old API spec: .*`),
	"KL004": regexp.MustCompile(`.*`), // kubeadm's errors, all of them
	"KL005": regexp.MustCompile(`.*`),
	"KL007": regexp.MustCompile(`.*`),
	"KL008": regexp.MustCompile(`.*`),
	"KL009": regexp.MustCompile(`.*`),
	"KL010": regexp.MustCompile(`.*`),                                                    // the kubelet's and kube-proxy's validation
	"KL220": regexp.MustCompile(`.*`),                                                    // the components' decoding and validation
	"KL209": regexp.MustCompile(`^--\S+ is deprecated in [^:]+: (.*)$`),                  // the flag's deprecation notice
	"KL210": regexp.MustCompile(`^invalid value ".*" for --\S+ \([^)]*\): (.*)$`),        // the flag parser's error
	"KL212": regexp.MustCompile(`^kubeadm feature gate \S+ is deprecated in \S+: (.*)$`), // kubeadm's notice
}

// CheckMessage fails a finding whose own words are longer than maxMessage, or whose message or
// hint ends with a period (an ellipsis is no period).
func CheckMessage(t *testing.T, f lint.Finding) {
	t.Helper()
	own := f.Message
	if re := upstream[f.Rule]; re != nil {
		if m := re.FindStringSubmatchIndex(own); m != nil {
			quote := m[0:2]
			if len(m) > 2 {
				quote = m[2:4]
			}
			own = own[:quote[0]] + own[quote[1]:]
		}
	}
	if len(own) > maxMessage {
		t.Errorf("%s: %s message is %d characters, over %d; keep one clause and move the rest to the hint: %s", f.Pos, f.Rule, len(own), maxMessage, f.Message)
	}
	if period := func(s string) bool { return strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "...") }; period(own) || period(f.Hint) {
		t.Errorf("%s: %s message or hint ends with a period: %q, hint %q", f.Pos, f.Rule, f.Message, f.Hint)
	}
}
