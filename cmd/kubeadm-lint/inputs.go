package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// collect reads every input named on the command line. Directories are walked for *.yaml, *.yml
// and *.sh; "-" is standard input. Files ending in .sh, or all with scripts set, are shell scripts. Errors are collected, not fatal, so that one unreadable file does
// not hide the findings in the others. With asWalked, a named file is read as if a directory walk
// had found it: pre-commit names every YAML file in a repository, most of them not configurations.
func collect(args []string, stdin io.Reader, scripts, asWalked bool) ([]lint.Source, []error) {
	var sources []lint.Source
	var errs []error
	seen := map[string]bool{}
	add := func(name string, walked bool, open func() (io.ReadCloser, error)) {
		if seen[name] {
			return
		}
		seen[name] = true
		data, err := readLimited(open)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			return
		}
		sources = append(sources, lint.Source{Name: name, Data: data, Walked: walked, Script: scripts || strings.HasSuffix(name, ".sh")})
	}
	for _, arg := range args {
		if arg == "-" {
			add("<stdin>", false, func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil })
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, pathError(arg, err))
			continue
		}
		if !info.IsDir() {
			add(arg, asWalked, func() (io.ReadCloser, error) { return os.Open(arg) })
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, pathError(path, err))
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
			errs = append(errs, pathError(arg, err))
		}
		sort.Strings(files)
		for _, path := range files {
			add(path, true, func() (io.ReadCloser, error) { return os.Open(path) })
		}
	}
	return sources, errs
}

// readLimited reads at most lint.MaxFileSize bytes and fails on more, so that a huge file costs
// no more memory than the cap.
func readLimited(open func() (io.ReadCloser, error)) ([]byte, error) {
	r, err := open()
	if err != nil {
		return nil, unwrapPathError(err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, lint.MaxFileSize+1))
	if err != nil {
		return nil, unwrapPathError(err)
	}
	if len(data) > lint.MaxFileSize {
		return nil, fmt.Errorf("file is larger than the %d MiB limit", lint.MaxFileSize>>20)
	}
	return data, nil
}

func pathError(path string, err error) error {
	return fmt.Errorf("%s: %w", path, unwrapPathError(err))
}

// unwrapPathError drops the "open PATH:" prefix that os adds, since the caller names the path.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
