package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubeadm-lint/kubeadm-lint/fix"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/pipeline"
)

type fixOptions struct {
	targetFlags
	migrate, diff bool
}

func (a *app) fixCommand() *cobra.Command {
	o := &fixOptions{}
	cmd := &cobra.Command{
		Use:   "fix [flags] PATH...",
		Short: "Apply the safe fixes the rules offer, and migrate v1beta3 to v1beta4",
		Long: `fix applies, in place, the fixes the rules offer. Only the changed values are rewritten:
comments, key order and formatting elsewhere stay as they were.

A fix is applied only when it is safe: its finding offers exactly one fix, it changes or removes
a value written in the file (fix never adds a field), no other fix touches the same text, and the
result reads back as intended, without the fixed findings and without any new one. Otherwise the
fix is skipped with a note on stderr.

--migrate also rewrites kubeadm.k8s.io/v1beta3 documents as v1beta4, as 'kubeadm config migrate'
of kubeadm v1.36 does, but keeps the comments and adds no defaulted field. A file is migrated whole
or not at all: one holding a document kubeadm cannot read (an unknown field, a value of the wrong
type) or an older version (v1beta2) is left as it was, with every reason on stderr, and exit 2.

Files are replaced atomically and keep their mode, owner and group; a file that is not YAML is
never written. A file the rename could not keep as it is, is left alone with a note: one with
several hard links, and, unless fix runs as root, one that is read-only or not the user's own.
PATH - reads standard input and writes the result to standard output.

Exit codes: 0 done (with --diff: nothing to change), 1 with --diff: there are changes,
2 usage, unreadable input, or a file that could not be migrated or written.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.fix(cmd.Context(), o, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.migrate, "migrate", false, "also rewrite kubeadm.k8s.io/v1beta3 documents as v1beta4")
	f.BoolVar(&o.diff, "diff", false, "print a unified diff of the changes and write nothing")
	o.targetFlags.register(cmd)
	return cmd
}

func (a *app) fix(ctx context.Context, o *fixOptions, args []string) error {
	cfg := o.pipelineConfig(a)
	cfg.Rules = allRules()
	cfg.AllFindings = true // a fix compares every finding before and after, not the first 100
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	// The fixer lints through the pipeline, so it fixes what lint reports with the same
	// settings: rules turned off or excluded for a path offer no fix there.
	fixer, err := fix.New(fix.Config{Linter: p, Fixes: true, Migrate: o.migrate})
	if err != nil {
		return err
	}
	writer := fix.NewWriter(fix.WriterConfig{})
	inputs := p.Discover(args)
	for _, e := range inputs.Errors {
		a.errorf("%v", e)
	}
	failed, changed := len(inputs.Errors) > 0, false
	for _, in := range inputs.List {
		src, err := p.Read(in)
		if err != nil {
			a.errorf("%v", err)
			failed = true
			continue
		}
		res, err := fixer.Fix(ctx, src)
		var inputErr *lint.InputError
		switch {
		case errors.As(err, &inputErr):
			a.errorf("%v; not written", err)
			failed = true
			continue
		case err != nil:
			a.errorf("%s: %v", src.Name, err)
			failed = true
			continue
		}
		for _, s := range res.Skipped {
			a.errorf("%s: %s: fix not applied: %s", s.Finding.Pos, s.Finding.Rule, s.Reason)
		}
		stdin := src.Name == pipeline.StdinName
		switch {
		case o.diff:
			name := strings.TrimPrefix(filepath.ToSlash(src.Name), "/")
			if _, err := a.stdout.Write(fix.Diff(name, res.Before, res.After)); err != nil {
				return err
			}
		case stdin:
			if _, err := a.stdout.Write(res.After); err != nil {
				return err
			}
		case res.Changed():
			if err := writer.Replace(src.Name, res.Before, res.After); err != nil {
				a.errorf("%s: %v; left as it was", src.Name, err)
				failed = true
				continue
			}
		}
		changed = changed || res.Changed()
		if o.diff || stdin {
			continue
		}
		switch res.Migrated {
		case 0:
		case 1:
			fmt.Fprintf(a.stdout, "%s: migrated 1 document to kubeadm.k8s.io/v1beta4\n", src.Name)
		default:
			fmt.Fprintf(a.stdout, "%s: migrated %d documents to kubeadm.k8s.io/v1beta4\n", src.Name, res.Migrated)
		}
		for _, f := range res.Applied {
			fmt.Fprintf(a.stdout, "%s: %s: %s\n", f.Pos, f.Rule, f.Fixes[0].Message)
		}
	}
	switch {
	case failed:
		a.code = exitUsage
	case o.diff && changed:
		a.code = exitFindings
	}
	return nil
}
