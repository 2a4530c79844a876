package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"
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
	pos := Position{File: e.File, Line: e.Line}
	if pos.Line > 0 {
		pos.Column = 1 // the parser names no column, and 0 would read as none
	}
	return Finding{Rule: RuleConfigType, Severity: SeverityError, Pos: pos, Message: e.Err.Error()}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocuments splits a source into its YAML documents, each a document node, as kubeadm
// reads them: split at "---" lines first (k8s.io/apimachinery's YAMLReader, which kubeadm's
// SplitConfigDocuments uses), then each part parsed on its own, so that an anchor does not reach
// into another document and an empty part between two separators is no document. A part of only
// comments and blank lines is a document without fields, which kubeadm refuses; it is an empty
// mapping at the part's first line.
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
	parts, sepErr := splitDocuments(data)
	if sepErr != nil {
		return nil, inputErr(sepErr.line, "%s", sepErr.msg)
	}
	for _, p := range parts {
		before := len(docs)
		dec := yaml.NewDecoder(bytes.NewReader(p.data))
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
					line, text := kubeadmYAMLError(p.data, line, m[2])
					return nil, inputErr(line+p.line-1, "invalid YAML: %s", text)
				}
				return nil, inputErr(aliasLine(p, msg), "invalid YAML: %s", msg)
			}
			shiftLines(&n, p.line-1)
			docs = append(docs, &n)
		}
		if len(docs) == before {
			empty := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.line, Column: 1}
			docs = append(docs, &yaml.Node{Kind: yaml.DocumentNode, Line: p.line, Column: 1, Content: []*yaml.Node{empty}})
		}
	}
	if len(docs) == 0 {
		return nil, inputErr(0, "no YAML documents, only comments")
	}
	return docs, nil
}

var kubeadmYAMLLine = regexp.MustCompile(`yaml: line (\d+): (.*)$`)

// kubeadmYAMLError returns the line and message that kubeadm gives for a part yaml.v3 cannot
// parse, from the parser kubeadm reads it with (sigs.k8s.io/yaml): for a parser error, yaml.v3
// names the line before the one kubeadm names, the line where its context began. Where the two
// disagree on whether the part parses at all, yaml.v3's line and message stand.
func kubeadmYAMLError(data []byte, line int, msg string) (int, string) {
	_, err := sigsyaml.YAMLToJSON(data)
	if err == nil {
		return line, msg
	}
	m := kubeadmYAMLLine.FindStringSubmatch(err.Error())
	if m == nil {
		return line, msg
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

var unknownAnchor = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)

// aliasLine returns the line of the first alias to the unknown anchor that msg names, which
// yaml.v3's message leaves out, or 0.
func aliasLine(p part, msg string) int {
	m := unknownAnchor.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	i := bytes.Index(p.data, []byte("*"+m[1]))
	if i < 0 {
		return 0
	}
	return p.line + bytes.Count(p.data[:i], []byte("\n"))
}

// part is the text between two document separators.
type part struct {
	data []byte
	line int // 1-based line of its first line in the source
}

type separatorError struct {
	line int
	msg  string
}

// splitDocuments splits data at the lines that start with "---" followed by nothing but blanks
// or a comment. Such a line with anything else after the "---" is an error, as for kubeadm. Parts
// with no text at all, such as the one after a trailing separator, are dropped.
func splitDocuments(data []byte) ([]part, *separatorError) {
	var parts []part
	start, startLine := 0, 1
	line := 1
	for off := 0; off < len(data); line++ {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end >= 0 {
			next = off + end + 1
		}
		if text := data[off:next]; bytes.HasPrefix(text, []byte("---")) {
			rest := strings.TrimSpace(string(text[3:]))
			if rest != "" && rest[0] != '#' {
				return nil, &separatorError{line, "invalid YAML document separator: " + rest}
			}
			if off > start {
				parts = append(parts, part{data[start:off], startLine})
			}
			start, startLine = next, line+1
		}
		off = next
	}
	if start < len(data) {
		parts = append(parts, part{data[start:], startLine})
	}
	return parts, nil
}

// shiftLines moves the nodes of a part's tree to their lines in the whole source. Aliases are
// not followed: the node they name is in the tree and moved once.
func shiftLines(n *yaml.Node, by int) {
	if by == 0 {
		return
	}
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}
