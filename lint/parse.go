package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest source the linter reads. kubeadm configs are a few kilobytes; the cap
// keeps memory bounded on whatever else a directory holds.
const MaxFileSize = 4 << 20

// InputError is a source the linter cannot read as YAML at all. It is not a finding: the CLI
// exits 2 on it.
type InputError struct {
	File string
	Line int // 0 when the error is about the whole file
	Err  error
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *InputError) Unwrap() error { return e.Err }

// RuleConfigType is KL001's ID. Besides the documents of unknown types it reports, the core
// gives it to an unreadable source where only findings can be reported (InputError.Finding).
const RuleConfigType = "KL001"

// Finding is the error as a finding, for callers that must report an unreadable source the way
// they report findings, such as the webhook in an admission review: KL001, an error, at the line
// the YAML parser reports. The CLI does not use it: it exits 2 on an InputError instead.
func (e *InputError) Finding() Finding {
	return Finding{Rule: RuleConfigType, Severity: SeverityError, Pos: Position{File: e.File, Line: e.Line}, Message: e.Err.Error()}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocuments splits a source into its YAML documents, each a document node.
func parseDocuments(name string, data []byte) (docs []*yaml.Node, err error) {
	inputErr := func(line int, format string, args ...any) error {
		return &InputError{File: name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case len(data) > MaxFileSize:
		return nil, inputErr(0, "file is larger than %d bytes", MaxFileSize)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, inputErr(0, "empty file")
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		return nil, inputErr(0, "binary file: not UTF-8 YAML")
	}
	defer func() {
		// yaml.v3 has panicked on malformed input before; a linter must not.
		if r := recover(); r != nil {
			docs, err = nil, inputErr(0, "invalid YAML: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			msg := err.Error()
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				line, _ := strconv.Atoi(m[1])
				return nil, inputErr(line, "invalid YAML: %s", m[2])
			}
			return nil, inputErr(0, "invalid YAML: %s", msg)
		}
		docs = append(docs, &n)
	}
	if len(docs) == 0 {
		return nil, inputErr(0, "no YAML documents, only comments")
	}
	return docs, nil
}
