package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// StdinName is the name the input "-" goes by. No exclude path applies to it.
const StdinName = "<stdin>"

// Input is a source found but not read yet.
type Input struct {
	Name   string
	Walked bool // found by walking a directory
	Script bool // a shell script: only the script rules read it
}

// Inputs is what Discover found.
type Inputs struct {
	List []Input
	// Excluded counts the files that the settings file excludes for every rule. They are not read.
	Excluded int
	// Errors are the arguments and directory entries that could not be looked at.
	Errors []error
}

// Discover finds the inputs that args name. Directories are walked for *.yaml, *.yml and *.sh,
// skipping hidden directories; "-" is standard input. A file that the settings exclude for every
// rule is counted and never opened, whether named or walked. A settings file met in a walk is no
// configuration and is left out uncounted.
func (p *Pipeline) Discover(args []string) *Inputs {
	in := &Inputs{}
	seen := map[string]bool{}
	add := func(name string, walked bool) {
		walked = walked || p.cfg.AsWalked && name != StdinName
		switch {
		case seen[name]:
			return
		case walked && filepath.Base(name) == config.FileName:
			return
		case name != StdinName && p.Settings.Skips(name):
			in.Excluded++
		default:
			in.List = append(in.List, Input{Name: name, Walked: walked, Script: p.cfg.Scripts || strings.HasSuffix(name, ".sh")})
		}
		seen[name] = true
	}
	for _, arg := range args {
		if arg == "-" {
			add(StdinName, false)
			continue
		}
		if p.Settings.Skips(arg) {
			add(arg, false) // counted, not looked at
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			in.Errors = append(in.Errors, pathError(arg, err))
			continue
		}
		if !info.IsDir() {
			add(arg, false)
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				in.Errors = append(in.Errors, pathError(path, err))
				return nil
			}
			if d.IsDir() && path != arg && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(d.Name(), ".yaml") || strings.HasSuffix(d.Name(), ".yml") || strings.HasSuffix(d.Name(), ".sh")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			in.Errors = append(in.Errors, pathError(arg, err))
		}
		sort.Strings(files)
		for _, path := range files {
			add(path, true)
		}
	}
	return in
}

// Read reads an input, at most lint.MaxFileSize bytes of it: a larger one fails without costing
// more memory than the cap.
func (p *Pipeline) Read(in Input) (lint.Source, error) {
	src := lint.Source{Name: in.Name, Walked: in.Walked, Script: in.Script}
	var r io.Reader = p.cfg.Stdin
	if in.Name != StdinName {
		f, err := os.Open(in.Name)
		if err != nil {
			return src, pathError(in.Name, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, lint.MaxFileSize+1))
	switch {
	case err != nil:
		return src, pathError(in.Name, err)
	case len(data) > lint.MaxFileSize:
		return src, fmt.Errorf("%s: file is larger than the %d MiB limit", in.Name, lint.MaxFileSize>>20)
	}
	src.Data = data
	return src, nil
}

// pathError names the path once: os's "open PATH:" prefix goes.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}
