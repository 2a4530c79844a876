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
	"syscall"

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
	// NotRegular counts the FIFOs, sockets and devices a walk met, and the links to them, which
	// are skipped: reading a FIFO would block the run.
	NotRegular int
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
		switch {
		case err != nil:
			in.Errors = append(in.Errors, pathError(arg, err))
			continue
		case info.Mode().IsRegular():
			add(arg, false)
			continue
		case !info.IsDir():
			in.Errors = append(in.Errors, &lint.InputError{File: arg, Err: errNotRegular})
			continue
		}
		var files []string
		p.walk(in, arg, &files, nil)
		sort.Strings(files)
		for _, path := range files {
			add(path, true)
		}
	}
	return in
}

// walk adds the files under dir to files. A link to a directory is followed, so that a tree of
// links lints as it reads, unless it leads back to a directory the walk is already in (a loop, an
// error) or into a tree the walk already covers (its files are walked there, under their own names).
// within holds the real paths of the directories being walked, outermost first.
func (p *Pipeline) walk(in *Inputs, dir string, files *[]string, within []string) {
	root := dir
	if l, err := os.Lstat(dir); err == nil && l.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a link it starts from; with a trailing separator, it does.
		root = dir + string(filepath.Separator)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		within = append(within, real)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			in.Errors = append(in.Errors, pathError(path, err))
			return nil
		case d.IsDir():
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		case d.Type()&fs.ModeSymlink != 0 && !strings.HasPrefix(d.Name(), "."):
			if info, err := os.Stat(path); err == nil && info.IsDir() {
				p.walkLink(in, path, files, within)
				return nil
			}
		}
		if !strings.HasSuffix(d.Name(), ".yaml") && !strings.HasSuffix(d.Name(), ".yml") && !strings.HasSuffix(d.Name(), ".sh") {
			return nil
		}
		if !p.Settings.Skips(path) { // an excluded file is only counted, by add
			switch ok, err := regularFile(path, d); {
			case err != nil:
				in.Errors = append(in.Errors, pathError(path, err)) // a dangling link or a loop
				return nil
			case !ok:
				in.NotRegular++
				return nil
			}
		}
		*files = append(*files, path)
		return nil
	})
	if err != nil {
		in.Errors = append(in.Errors, pathError(dir, err))
	}
}

// walkLink walks a link to a directory met in a walk, unless it loops or stays in the tree.
func (p *Pipeline) walkLink(in *Inputs, link string, files *[]string, within []string) {
	real, err := filepath.EvalSymlinks(link)
	if err != nil {
		in.Errors = append(in.Errors, pathError(link, err))
		return
	}
	sep := string(filepath.Separator)
	for _, dir := range within {
		if real == dir || strings.HasPrefix(dir, real+sep) {
			in.Errors = append(in.Errors, &lint.InputError{File: link, Err: errLinkLoop})
			return
		}
	}
	for _, dir := range within {
		if strings.HasPrefix(real, dir+sep) {
			return // walked there, under its own name
		}
	}
	p.walk(in, link, files, within)
}

// regularFile reports whether a walked entry is, or links to, a regular file.
func regularFile(path string, d fs.DirEntry) (bool, error) {
	if d.Type()&fs.ModeSymlink == 0 {
		return d.Type().IsRegular(), nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return info.Mode().IsRegular(), nil
}

// Read reads an input, at most lint.MaxFileSize bytes of it: a larger one fails without costing
// more memory than the cap.
func (p *Pipeline) Read(in Input) (lint.Source, error) {
	src := lint.Source{Name: in.Name, Walked: in.Walked, Script: in.Script}
	var r io.Reader = p.cfg.Stdin
	if in.Name != StdinName {
		// Non-blocking, so that a file that became a FIFO since Discover looked cannot hang the
		// run in open; the check below then refuses it.
		f, err := os.OpenFile(in.Name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return src, pathError(in.Name, err)
		}
		defer f.Close()
		if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
			return src, &lint.InputError{File: in.Name, Err: errNotRegular}
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, lint.MaxFileSize+1))
	switch {
	case err != nil:
		return src, pathError(in.Name, err)
	case len(data) > lint.MaxFileSize:
		return src, &lint.InputError{File: in.Name, Err: fmt.Errorf("file is larger than the %d MiB limit", lint.MaxFileSize>>20)}
	}
	src.Data = data
	return src, nil
}

// errNotRegular is a FIFO, socket or device named as an input.
var errNotRegular = errors.New("not a regular file")

// errLinkLoop is a link to a directory that holds the walk it is met in.
var errLinkLoop = errors.New("link to a directory the walk is already in: not followed")

// pathError names the path once: os's "open PATH:" prefix goes.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &lint.InputError{File: path, Err: err}
}
