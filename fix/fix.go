// Package fix applies the fixes that rules offer and migrates kubeadm.k8s.io/v1beta3 documents
// to v1beta4. It splices new text over the changed nodes only, so comments, key order and
// formatting elsewhere stay byte for byte as they were; re-encoding whole documents would not.
//
// A fix is applied only when it is safe, which here means all of:
//   - its finding offers exactly one fix: several are a choice for a person to make;
//   - each edit replaces a value, or removes an entry, that is written in the finding's
//     document: fix never decides where a new field should go;
//   - no other fix touches the same text;
//   - after all fixes, the text parses to exactly the intended tree, every fixed finding is gone
//     and no finding appears that was not there before. Otherwise the file is left alone.
//
// Rules hold up their end: they offer a Fix only when the finding has one remedy that needs no
// fact the linter lacks, such as k8s.gcr.io becoming registry.k8s.io.
package fix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// Linter is what a Fixer lints with: a *lint.Linter, or the CLI's pipeline, which also applies
// the settings file.
type Linter interface {
	Lint(ctx context.Context, src lint.Source) (*lint.Result, error)
}

// Config configures a Fixer.
type Config struct {
	// Linter finds the fixes and checks the result. Its options decide which findings there
	// are: the target release, the host profile, the CNI, the rules turned off.
	Linter Linter
	// Fixes applies the fixes the rules offer.
	Fixes bool
	// Migrate rewrites v1beta3 documents as v1beta4, before any fix is applied.
	Migrate bool
	// Select, when set, picks the findings whose fixes are applied: the language server's quick
	// fix for one finding. The others are left as they are, and are not reported as skipped.
	Select func(lint.Finding) bool
}

// Fixer fixes sources. It holds no state between calls and is safe for concurrent use.
type Fixer struct {
	linter         Linter
	fixes, migrate bool
	selected       func(lint.Finding) bool
}

// New returns a Fixer.
func New(cfg Config) (*Fixer, error) {
	switch {
	case cfg.Linter == nil:
		return nil, errors.New("invalid configuration: no linter")
	case !cfg.Fixes && !cfg.Migrate:
		return nil, errors.New("invalid configuration: neither fixes nor migration asked for")
	}
	return &Fixer{linter: cfg.Linter, fixes: cfg.Fixes, migrate: cfg.Migrate, selected: cfg.Select}, nil
}

// Result is what fixing one source did.
type Result struct {
	Name          string
	Before, After []byte
	Migrated      int            // documents rewritten as v1beta4
	Applied       []lint.Finding // findings whose fix was applied
	Skipped       []Skip         // findings whose fix was not, and why
}

// Changed reports whether the source would change.
func (r *Result) Changed() bool { return !bytes.Equal(r.Before, r.After) }

// Skip is a fix that was not applied.
type Skip struct {
	Finding lint.Finding
	Reason  string
}

// Fix returns the fixed text of a source. It writes nothing. An error means the source is left
// as it was: an *lint.InputError when it is not YAML, any other error when migrating it would
// be unsafe or the fixes would not check out.
//
// Edits are made on the linter's own parse of the text, through the documents its findings
// name; the edited text is linted once more, which both checks it and parses it for the next step.
func (f *Fixer) Fix(ctx context.Context, src lint.Source) (*Result, error) {
	res := &Result{Name: src.Name, Before: src.Data, After: src.Data}
	if src.Script {
		return res, nil
	}
	before, err := f.linter.Lint(ctx, src)
	if err != nil {
		return nil, err
	}
	if len(before.File.Docs) == 0 {
		return res, nil
	}
	if f.migrate && hasV1beta3(before.File) {
		e := newEditor(src.Data, before.File)
		n, err := e.migrate(before.File)
		if err != nil {
			return nil, fmt.Errorf("migrating: %w", err)
		}
		out, after, err := f.finish(ctx, src, e, before, nil)
		if err != nil {
			return nil, fmt.Errorf("migrating: %w", err)
		}
		res.After, res.Migrated, before = out, n, after
	}
	if !f.fixes {
		return res, nil
	}
	e := newEditor(res.After, before.File)
	for _, fd := range before.Findings {
		switch {
		case len(fd.Fixes) == 0:
		case f.selected != nil && !f.selected(fd):
		case len(fd.Fixes) > 1:
			res.Skipped = append(res.Skipped, Skip{fd, "the rule offers several fixes: choose one by hand"})
		default:
			if err := e.apply(fd, fd.Fixes[0]); errors.Is(err, errPartial) {
				return nil, err
			} else if err != nil {
				res.Skipped = append(res.Skipped, Skip{fd, err.Error()})
				continue
			}
			res.Applied = append(res.Applied, fd)
		}
	}
	if len(e.edits) == 0 {
		return res, nil
	}
	out, _, err := f.finish(ctx, src, e, before, res.Applied)
	if err != nil {
		return nil, err
	}
	res.After = out
	return res, nil
}

func hasV1beta3(f *lint.File) bool {
	for _, d := range f.Docs {
		if d.Version == "v1beta3" {
			return true
		}
	}
	return false
}

// finish splices the editor's edits and lints the result, which must read as the edits intend,
// raise no finding the original did not have, and no longer raise the fixed findings.
func (f *Fixer) finish(ctx context.Context, src lint.Source, e *editor, before *lint.Result, fixed []lint.Finding) ([]byte, *lint.Result, error) {
	out, err := e.result()
	if err != nil {
		return nil, nil, err
	}
	src.Data = out
	after, err := f.linter.Lint(ctx, src)
	if err != nil {
		return nil, nil, fmt.Errorf("the edited text does not read (a bug in fix, please report it): %w", err)
	}
	if err := e.verify(after.File.Nodes); err != nil {
		return nil, nil, err
	}
	was := countFindings(before.Findings)
	for _, fd := range fixed {
		was[key(fd)]--
	}
	now := countFindings(after.Findings)
	for _, fd := range after.Findings {
		if now[key(fd)] > was[key(fd)] {
			return nil, nil, fmt.Errorf("the edit would raise %s at %s: %s; the file is left as it was", fd.Rule, fd.Path, fd.Message)
		}
	}
	return out, after, nil
}

func key(f lint.Finding) string { return f.Rule + "\x00" + f.Path + "\x00" + f.Message }

func countFindings(fs []lint.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[key(f)]++
	}
	return m
}

// apply makes the edits of one fix, or none of them.
func (e *editor) apply(fd lint.Finding, fix lint.Fix) error {
	d := fd.Doc
	if d == nil {
		return errors.New("the finding is in no document")
	}
	type step struct {
		node       *yaml.Node // the value to set, or the mapping to remove from
		i          int        // the key's index, for a removal
		value      any
		start, end int
	}
	var steps []step
	for _, ed := range fix.Edits {
		var st step
		if ed.Delete {
			parent, last := splitPath(ed.Path)
			m := d.Written(parent)
			if m == nil || m.Kind != yaml.MappingNode {
				return fmt.Errorf("cannot remove %s: only an entry of a mapping written in the file can be removed", ed.Path)
			}
			k, v, i := get(m, last)
			if k == nil {
				// A v1beta3 {flag: value} map that the linter reads as a list: the list item's
				// value is the map entry's.
				k, v, i = entryOf(m, d.Written(ed.Path+".value"))
			}
			if k == nil {
				return fmt.Errorf("cannot remove %s: it is not written in the file", ed.Path)
			}
			start, err1 := e.src.start(k)
			end, err2 := e.src.end(v)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("cannot remove %s: %w", ed.Path, err)
			}
			st = step{node: m, i: i, start: start, end: max(end, start+1)}
		} else {
			n := d.Written(ed.Path)
			if n == nil {
				return fmt.Errorf("cannot edit %s: it is not written as a value in the file", ed.Path)
			}
			start, err1 := e.src.contentStart(n)
			end, err2 := e.src.end(n)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("cannot edit %s: %w", ed.Path, err)
			}
			st = step{node: n, i: -1, value: ed.Value, start: start, end: max(end, start+1)}
		}
		if e.overlaps(st.start, st.end) {
			return fmt.Errorf("cannot edit %s: another fix changes it", ed.Path)
		}
		steps = append(steps, st)
	}
	for i, st := range steps {
		var err error
		if st.i >= 0 {
			_, err = e.removePair(st.node, st.i, false)
		} else {
			err = e.setScalar(st.node, st.value)
		}
		switch {
		case err != nil && i > 0:
			// Earlier edits of this fix are made and cannot be taken back one by one.
			return fmt.Errorf("%w: %w", errPartial, err)
		case err != nil:
			return err
		}
	}
	return nil
}

// entryOf returns the key, value and key index of the mapping entry whose value is v.
func entryOf(m, v *yaml.Node) (key, val *yaml.Node, i int) {
	for j := 1; v != nil && j < len(m.Content); j += 2 {
		if m.Content[j] == v {
			return m.Content[j-1], v, j - 1
		}
	}
	return nil, nil, -1
}

// errPartial is a fix that failed after some of its edits were made: the file is left alone.
var errPartial = errors.New("a fix failed halfway")

// splitPath splits a field path into its parent and its last key: "a.b[c]" is "a.b" and "c".
func splitPath(path string) (parent, last string) {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i], strings.Trim(path[i+1:len(path)-1], `"'`)
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i], path[i+1:]
	}
	return "", path
}
