// Package config reads .kubeadm-lint.yaml, a project's settings for kubeadm-lint:
//
//	kubernetesVersion: v1.36    # the flags of the same names win over these
//	hostProfile: immutable-usr
//	cni: calico
//	profile: cis                # opt-in rule sets: cis, or a list of them
//	failOn: warning
//	reportUnusedIgnores: true
//	rules:                      # off, or the severity to report the rule's findings with
//	  KL203: off
//	  KL101: warning
//	exclude:                    # globs relative to the file's directory
//	- paths: [legacy, "**/*.tmpl.yaml"] # without rules: the files are not read at all
//	- paths: [clusters/lab/*.yaml]
//	  rules: [KL107]            # with rules: only these rules' findings are dropped
//
// Every key is optional. An unknown key, a wrong value or an unknown rule ID is an error that
// names the file and line, since a misspelt setting that is silently ignored is worse than none.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// FileName is the name Find looks for.
const FileName = ".kubeadm-lint.yaml"

// File is a parsed configuration file. Unset settings are zero.
type File struct {
	Path string // as given to Load or Parse, for messages
	// Dir is the absolute directory that exclude globs are relative to: the file's own.
	Dir string

	KubernetesVersion string
	HostProfile       string
	CNI               string
	Profiles          []string
	FailOn            lint.Severity
	// ReportUnusedIgnores is nil when the file does not set it.
	ReportUnusedIgnores *bool
	// Severity and Disabled are ready for lint.Config.
	Severity map[string]lint.Severity
	Disabled map[string]bool
	Exclude  []Exclude
}

// Exclude drops files, or some rules' findings in them.
type Exclude struct {
	Paths []string // slash-separated globs; "**" matches any number of directories
	Rules []string // rule IDs; empty means the files are not linted at all
}

// Find looks for FileName in dir and then in each parent up to the filesystem root, and returns
// the first it finds, or "" when there is none. It does not stop at the root of a git repository,
// so that a file above a checkout, such as in a monorepo's root or the home directory, applies
// too. dir should be absolute.
func Find(dir string) (string, error) {
	for {
		p := filepath.Join(dir, FileName)
		info, err := os.Stat(p)
		switch {
		case err == nil && info.IsDir():
			return "", fmt.Errorf("%s: is a directory", p)
		case err == nil:
			return p, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("looking for %s: %w", FileName, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and parses the file at path. rules are the rules the file may name.
func Load(path string, rules []*lint.Rule) (*File, error) {
	data, err := readSettings(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(path, data, rules)
}

// maxFileSize bounds the settings file: a few hundred bytes in practice.
const maxFileSize = 1 << 20

// readSettings reads a regular file of at most maxFileSize bytes: a FIFO would block the run and
// /dev/zero would grow it without end. The check is on the open file, so a file swapped after
// it is no way around it.
func readSettings(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d KiB", maxFileSize>>10)
	}
	return data, nil
}

// Parse parses data as the file at path.
func Parse(name string, data []byte, rules []*lint.Rule) (*File, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := &File{Path: name, Dir: filepath.Dir(abs)}
	p := &parser{file: f, known: map[string]string{}}
	for _, r := range rules {
		if r.Profile != "" && !slices.Contains(p.profiles, r.Profile) {
			p.profiles = append(p.profiles, r.Profile)
		}
		p.known[r.ID] = r.ID
		for _, old := range r.Replaces {
			p.known[old] = r.ID
		}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, p.yamlError(err)
	}
	// The settings are one document; a second one would be ignored without a word.
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case err == nil && len(second.Content) > 0 && second.Content[0].Tag != "!!null":
		return nil, p.errorf(second.Content[0], "a second YAML document: the settings are one document")
	case err != nil && !errors.Is(err, io.EOF):
		return nil, p.yamlError(err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		return f, nil // empty, or only comments
	}
	if err := p.expansion(doc.Content[0], len(data)); err != nil {
		return nil, err
	}
	if err := p.top(doc.Content[0]); err != nil {
		return nil, err
	}
	return f, nil
}

type parser struct {
	file     *File
	known    map[string]string // rule ID, or a retired one, to the rule's ID
	profiles []string          // the profiles the rules belong to
}

// profileList reads profile: one name, or a list of them.
func (p *parser) profileList(n *yaml.Node) ([]string, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode || n.Kind == yaml.AliasNode && n.Alias.Kind == yaml.SequenceNode {
		var err error
		if items, err = p.list(n, "profile"); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, it := range items {
		name, err := p.oneOf(it, "profile", p.profiles)
		if err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}

// maxAliasBytes is what YAML aliases may add to the file, beyond its own size, as in the
// linter: twenty-four kilobytes that alias a list of a thousand globs a thousand times are a
// million globs to match against every path of a walk.
const maxAliasBytes = 64 << 10

// expansion refuses a document whose aliases, expanded, add more than its own size plus
// maxAliasBytes: each node reached through an alias costs its value's bytes and one more, so
// the walk is bounded too, and so is an alias that contains itself.
func (p *parser) expansion(root *yaml.Node, size int) error {
	left := size + maxAliasBytes
	var walk func(n, alias *yaml.Node, depth int) error
	walk = func(n, alias *yaml.Node, depth int) error {
		if alias != nil {
			if left -= len(n.Value) + 1; left < 0 {
				return p.errorf(alias, "YAML aliases expand the file by more than its own size plus %d KiB", maxAliasBytes>>10)
			}
		}
		if depth > 1000 {
			return p.errorf(n, "the file nests deeper than 1000 levels")
		}
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			if alias == nil {
				alias = n
			}
			return walk(n.Alias, alias, depth+1)
		}
		for _, c := range n.Content {
			if err := walk(c, alias, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(root, nil, 0)
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.file.Path, n.Line, fmt.Sprintf(format, args...))
}

// yamlError puts the file name in front of yaml.v3's "yaml: line N: ..." messages.
func (p *parser) yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if _, err := strconv.Atoi(num); err == nil {
				return fmt.Errorf("%s:%s: invalid YAML: %s", p.file.Path, num, text)
			}
		}
	}
	return fmt.Errorf("%s: invalid YAML: %s", p.file.Path, msg)
}

// entries returns a mapping's key-value pairs, rejecting other nodes and repeated keys.
func (p *parser) entries(n *yaml.Node, what string) ([][2]*yaml.Node, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, "%s: want a mapping", what)
	}
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return nil, p.errorf(k, "key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out, nil
}

func (p *parser) scalar(n *yaml.Node, key string) (string, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, "%s: want a single value", key)
	}
	return n.Value, nil
}

func (p *parser) list(n *yaml.Node, key string) ([]*yaml.Node, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s: want a list", key)
	}
	for _, c := range n.Content {
		if _, err := p.scalar(c, key); err != nil {
			return nil, err
		}
	}
	return n.Content, nil
}

func (p *parser) top(root *yaml.Node) error {
	kvs, err := p.entries(root, "the file")
	if err != nil {
		return err
	}
	f := p.file
	for _, kv := range kvs {
		k, v := kv[0], kv[1]
		switch k.Value {
		case "kubernetesVersion":
			s, err := p.scalar(v, k.Value)
			if err != nil {
				return err
			}
			// Checked here as well as by lint.Options, so that the error points into this file.
			if _, err := lint.ParseTarget(s); err != nil {
				return p.errorf(v, "kubernetesVersion: %v", err)
			}
			f.KubernetesVersion = s
		case "hostProfile":
			if f.HostProfile, err = p.oneOf(v, k.Value, lint.HostProfiles); err != nil {
				return err
			}
		case "cni":
			if f.CNI, err = p.oneOf(v, k.Value, lint.CNIs); err != nil {
				return err
			}
		case "profile":
			if f.Profiles, err = p.profileList(v); err != nil {
				return err
			}
		case "failOn":
			s, err := p.scalar(v, k.Value)
			if err != nil {
				return err
			}
			if f.FailOn, err = lint.ParseSeverity(s); err != nil {
				return p.errorf(v, "failOn: %v", err)
			}
		case "reportUnusedIgnores":
			s, err := p.scalar(v, k.Value)
			if err != nil {
				return err
			}
			b, err := strconv.ParseBool(s)
			if err != nil || v.Tag != "!!bool" {
				return p.errorf(v, "reportUnusedIgnores: want true or false, got %q", s)
			}
			f.ReportUnusedIgnores = &b
		case "rules":
			if err := p.rules(v); err != nil {
				return err
			}
		case "exclude":
			if err := p.exclude(v); err != nil {
				return err
			}
		default:
			return p.errorf(k, "unknown key %q (want kubernetesVersion, hostProfile, cni, profile, failOn, reportUnusedIgnores, rules or exclude)", k.Value)
		}
	}
	return nil
}

func (p *parser) oneOf(n *yaml.Node, key string, values []string) (string, error) {
	s, err := p.scalar(n, key)
	if err != nil {
		return "", err
	}
	if !slices.Contains(values, s) {
		return "", p.errorf(n, "%s: unknown value %q (want one of %s)", key, s, strings.Join(values, ", "))
	}
	return s, nil
}

// ruleID checks a rule ID and returns it upper-cased, as comments also accept any case; a
// retired ID becomes the ID of the rule that took it over.
func (p *parser) ruleID(n *yaml.Node) (string, error) {
	id, ok := p.known[strings.ToUpper(n.Value)]
	if !ok {
		return "", p.errorf(n, "unknown rule %q", n.Value)
	}
	return id, nil
}

func (p *parser) rules(n *yaml.Node) error {
	kvs, err := p.entries(n, "rules")
	if err != nil {
		return err
	}
	f := p.file
	for _, kv := range kvs {
		id, err := p.ruleID(kv[0])
		if err != nil {
			return err
		}
		s, err := p.scalar(kv[1], "rules."+kv[0].Value)
		if err != nil {
			return err
		}
		if s == "off" {
			if f.Disabled == nil {
				f.Disabled = map[string]bool{}
			}
			f.Disabled[id] = true
			continue
		}
		sev, err := lint.ParseSeverity(s)
		if err != nil {
			return p.errorf(kv[1], "rules.%s: want off, error, warning or info, got %q", kv[0].Value, s)
		}
		if f.Severity == nil {
			f.Severity = map[string]lint.Severity{}
		}
		f.Severity[id] = sev
	}
	return nil
}

func (p *parser) exclude(n *yaml.Node) error {
	items, err := p.listOf(n, "exclude")
	if err != nil {
		return err
	}
	for _, item := range items {
		kvs, err := p.entries(item, "exclude item")
		if err != nil {
			return err
		}
		var ex Exclude
		hasPaths := false
		for _, kv := range kvs {
			k, v := kv[0], kv[1]
			switch k.Value {
			case "paths":
				hasPaths = true
				globs, err := p.list(v, "exclude.paths")
				if err != nil {
					return err
				}
				for _, g := range globs {
					pattern, err := p.glob(g)
					if err != nil {
						return err
					}
					ex.Paths = append(ex.Paths, pattern)
				}
			case "rules":
				ids, err := p.list(v, "exclude.rules")
				if err != nil {
					return err
				}
				for _, idNode := range ids {
					id, err := p.ruleID(idNode)
					if err != nil {
						return err
					}
					ex.Rules = append(ex.Rules, id)
				}
			default:
				return p.errorf(k, "unknown key %q in exclude (want paths and rules)", k.Value)
			}
		}
		if !hasPaths || len(ex.Paths) == 0 {
			return p.errorf(item, "exclude item needs paths")
		}
		p.file.Exclude = append(p.file.Exclude, ex)
	}
	return nil
}

func (p *parser) listOf(n *yaml.Node, key string) ([]*yaml.Node, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s: want a list", key)
	}
	return n.Content, nil
}

// glob checks an exclude pattern: relative, slash-separated, and valid for path.Match.
func (p *parser) glob(n *yaml.Node) (string, error) {
	g := strings.TrimSuffix(n.Value, "/")
	switch {
	case g == "" || path.IsAbs(g) || filepath.IsAbs(g):
		return "", p.errorf(n, "exclude path %q: want a glob relative to the directory of %s", n.Value, FileName)
	case slices.Contains(strings.Split(g, "/"), ".."):
		return "", p.errorf(n, "exclude path %q: \"..\" cannot match; exclude paths are inside the directory of %s", n.Value, FileName)
	}
	for _, seg := range strings.Split(g, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return "", p.errorf(n, "exclude path %q: %v", n.Value, err)
		}
	}
	return path.Clean(g), nil
}

// Skips reports whether the file is excluded for every rule, so that it is not read at all. file
// is a path as the CLI names it: relative to the working directory, or absolute.
func (f *File) Skips(file string) bool {
	return f.excluded(file, func(ex Exclude) bool { return len(ex.Rules) == 0 })
}

// Policy is what the file says about rules, for lint.Config and every other front end; the profiles
// are the run's, which lint.Options carries. Its excludes apply to the sources whose names inputs
// accepts (nil: all): the CLI's files but not stdin, which has no path to match.
func (f *File) Policy(inputs func(source string) bool) lint.Policy {
	p := lint.Policy{Severity: f.Severity, Disabled: f.Disabled}
	if len(f.Exclude) > 0 {
		p.Exclude = func(source, rule string) bool { return (inputs == nil || inputs(source)) && f.Excludes(source, rule) }
	}
	return p
}

// Excludes reports whether the findings of rule in file are dropped.
func (f *File) Excludes(file, rule string) bool {
	return f.excluded(file, func(ex Exclude) bool { return len(ex.Rules) == 0 || slices.Contains(ex.Rules, rule) })
}

func (f *File) excluded(file string, applies func(Exclude) bool) bool {
	if f == nil || len(f.Exclude) == 0 {
		return false
	}
	rel, ok := f.rel(file)
	if !ok {
		return false
	}
	for _, ex := range f.Exclude {
		if !applies(ex) {
			continue
		}
		for _, g := range ex.Paths {
			if matchPath(g, rel) {
				return true
			}
		}
	}
	return false
}

// rel returns file relative to f.Dir, slash-separated, or false when it lies outside.
func (f *File) rel(file string) (string, bool) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(f.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// matchPath reports whether glob matches name or one of its parent directories, so that
// "legacy" excludes everything under legacy/, as in .gitignore.
func matchPath(glob, name string) bool {
	g, n := strings.Split(glob, "/"), strings.Split(name, "/")
	for i := 1; i <= len(n); i++ {
		if matchSegments(g, n[:i]) {
			return true
		}
	}
	return false
}

func matchSegments(g, n []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(n); i++ {
				if matchSegments(g[1:], n[i:]) {
					return true
				}
			}
			return false
		}
		if len(n) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], n[0]); !ok {
			return false
		}
		g, n = g[1:], n[1:]
	}
	return len(n) == 0
}
