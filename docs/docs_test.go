// Package docs_test holds the docs to what they show: every example command runs as written, and
// every relative link leads somewhere.
package docs_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

const root = ".."

// pages returns the docs whose commands and links are checked, the README first: its install
// command builds the kubeadm-lint that the other pages' commands run.
func pages(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(docs)
	return append([]string{filepath.Join(root, "README.md")}, docs...)
}

// block is a fenced code block of a page.
type block struct {
	line   int    // of the opening fence, 1-based
	lang   string // the first word of the info string
	lines  []string
	notRun string // the reason given in a "<!-- not run: REASON -->" line just above the fence
}

var (
	fence      = regexp.MustCompile("^\\s*(```+|~~~+)\\s*([^`\\s]*)")
	notRunLine = regexp.MustCompile(`^<!-- not run:(.*)-->\s*$`)
)

// Generated output blocks (hack/gendocs) show a command and what it prints, in a fence of no
// language; they are run by the test of hack/gendocs.
const (
	outputBegin = "<!-- BEGIN OUTPUT: "
	outputEnd   = "<!-- END OUTPUT -->"
)

// parse returns the fenced blocks of a page. A fence without a language outside a generated
// output block is an error, so that no shell block goes unrun for lack of a tag; so is a
// "not run" line that is not right above a shell block, or gives no reason.
func parse(text string) ([]block, error) {
	var blocks []block
	lines := strings.Split(text, "\n")
	inOutput := false
	pendingNotRun, notRunAt := "", 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, outputBegin):
			inOutput = true
		case strings.HasPrefix(l, outputEnd):
			inOutput = false
		}
		if m := notRunLine.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			if strings.TrimSpace(m[1]) == "" {
				return nil, fmt.Errorf("line %d: a not-run line must say why", i+1)
			}
			pendingNotRun, notRunAt = strings.TrimSpace(m[1]), i+1
			continue
		}
		m := fence.FindStringSubmatch(l)
		if m == nil {
			if pendingNotRun != "" && strings.TrimSpace(l) != "" {
				return nil, fmt.Errorf("line %d: a not-run line must stand right above the shell block it is about", notRunAt)
			}
			continue
		}
		b := block{line: i + 1, lang: m[2], notRun: pendingNotRun}
		pendingNotRun = ""
		if b.lang == "" && !inOutput {
			return nil, fmt.Errorf("line %d: a fenced block needs a language (sh, yaml, text...)", i+1)
		}
		if b.notRun != "" && !isShell(b.lang) {
			return nil, fmt.Errorf("line %d: a not-run line above a %q block, which is never run", notRunAt, b.lang)
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		closing := strings.TrimSpace(m[1])
		for i++; i < len(lines); i++ {
			if c := strings.TrimSpace(lines[i]); strings.HasPrefix(c, closing) && strings.Trim(c, closing[:1]) == "" {
				break
			}
			b.lines = append(b.lines, strings.TrimPrefix(lines[i], indent))
		}
		if i == len(lines) {
			return nil, fmt.Errorf("line %d: the fenced block is never closed", b.line)
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

func isShell(lang string) bool { return lang == "sh" || lang == "shell" || lang == "bash" }

// commands splits a shell block into its commands: one a line, with backslash continuations
// joined, and without blank lines and comment lines (which show output or explain).
func commands(lines []string) []string {
	var out []string
	cur := ""
	for _, l := range lines {
		if cur == "" && (strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#")) {
			continue
		}
		if s, ok := strings.CutSuffix(l, "\\"); ok {
			cur += s
			continue
		}
		out = append(out, cur+l)
		cur = ""
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

// mayFindProblems reports whether exit code 1 is success for the command: kubeadm-lint exits 1
// when it reports findings, which is what most examples show.
func mayFindProblems(command string) bool {
	segments := strings.Split(command, "&&")
	last := strings.Fields(segments[len(segments)-1])
	return len(last) > 0 && last[0] == "kubeadm-lint"
}

// TestCommands runs every command of every shell block of the README and docs/*.md, page by page
// and in order, as a newcomer would, in a copy of the repository's files, so that the commands
// that write files change nothing here. The README's install command builds the kubeadm-lint the
// others run. A command fails the test when it exits with anything but 0, or 1 for kubeadm-lint
// reporting findings. Blocks that need a cluster say so in a not-run line, which the test logs.
func TestCommands(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	work, bin := copyRepository(t), t.TempDir()
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		// Inside GitHub Actions, the CLI would print annotations; GOBIN is where go install writes.
		return strings.HasPrefix(kv, "GITHUB_ACTIONS=") || strings.HasPrefix(kv, "GOBIN=") || strings.HasPrefix(kv, "PATH=")
	})
	env = append(env, "GOBIN="+bin, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	ran, skipped := 0, 0
	defer func() { t.Logf("ran %d commands; %d blocks not run", ran, skipped) }()
	for _, page := range pages(t) {
		name, _ := filepath.Rel(root, page)
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := parse(string(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, b := range blocks {
			if !isShell(b.lang) {
				continue
			}
			if b.notRun != "" {
				t.Logf("%s:%d: not run: %s", name, b.line, b.notRun)
				skipped++
				continue
			}
			for _, command := range commands(b.lines) {
				out, code := run(t, bash, work, env, command)
				ran++
				if code != 0 && (code != 1 || !mayFindProblems(command)) {
					t.Errorf("%s:%d: %s\nexited %d:\n%s", name, b.line, command, code, out)
				}
			}
		}
		if name == "README.md" {
			if _, err := os.Stat(filepath.Join(bin, "kubeadm-lint")); err != nil {
				t.Fatalf("the README's commands did not install kubeadm-lint, which the docs' commands run: %v", err)
			}
		}
	}
}

// run runs one command with bash in dir, and returns its output and exit code.
func run(t *testing.T, bash, dir string, env []string, command string) (string, int) {
	t.Helper()
	// Building kubeadm-lint on a cold build cache takes minutes; a hung command must still end.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "--noprofile", "--norc", "-o", "pipefail", "-c", command)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdin = strings.NewReader("")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if cmd.ProcessState == nil {
		return err.Error(), -1
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

// copyRepository copies the files git tracks, as they are in the work tree, into a temporary
// directory, and returns it.
func copyRepository(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	list, err := cmd.Output()
	if err != nil {
		t.Skipf("git ls-files: %v: the commands run in a copy of the tracked files", err)
	}
	dst := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		src := filepath.Join(root, name)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if info.Mode()&os.ModeSymlink != 0 {
			link, err := os.Readlink(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(link, target); err != nil {
				t.Fatal(err)
			}
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

var (
	link    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	heading = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
	code    = regexp.MustCompile("`[^`]*`")
)

// TestLinks checks that every relative link of the README, docs/*.md, the rule pages and
// bench/README.md leads to a file or directory, and every #anchor to a heading of its page.
func TestLinks(t *testing.T) {
	all := pages(t)
	rulePages, err := filepath.Glob(filepath.Join(root, "docs", "rules", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	all = append(append(all, rulePages...), filepath.Join(root, "bench", "README.md"))
	anchors := map[string]map[string]bool{} // by cleaned path
	anchorsOf := func(path string) (map[string]bool, error) {
		if a, ok := anchors[path]; ok {
			return a, nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		anchors[path] = headingAnchors(string(data))
		return anchors[path], nil
	}
	for _, page := range all {
		name, _ := filepath.Rel(root, page)
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(prose(string(data)), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			resolved := filepath.Clean(page)
			if path != "" {
				resolved = filepath.Join(filepath.Dir(page), filepath.FromSlash(path))
			}
			info, err := os.Stat(resolved)
			if err != nil {
				t.Errorf("%s: link %s: no such file", name, target)
				continue
			}
			if anchor == "" {
				continue
			}
			if info.IsDir() || !strings.HasSuffix(resolved, ".md") {
				t.Errorf("%s: link %s: an anchor into something that is not a markdown page", name, target)
				continue
			}
			a, err := anchorsOf(resolved)
			if err != nil {
				t.Fatal(err)
			}
			if !a[anchor] {
				t.Errorf("%s: link %s: no heading with that anchor", name, target)
			}
		}
	}
}

// prose returns a page without its fenced blocks and code spans, where brackets are not links.
func prose(text string) string {
	var b strings.Builder
	in := ""
	for _, l := range strings.Split(text, "\n") {
		if m := fence.FindStringSubmatch(l); m != nil {
			switch {
			case in == "":
				in = m[1]
				continue
			case strings.HasPrefix(strings.TrimSpace(l), in):
				in = ""
				continue
			}
		}
		if in == "" {
			b.WriteString(code.ReplaceAllString(l, "") + "\n")
		}
	}
	return b.String()
}

// headingAnchors returns the anchors GitHub gives a page's headings: lower case, punctuation
// dropped, spaces as hyphens, and -1, -2... on repeats.
func headingAnchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	in := ""
	for _, l := range strings.Split(text, "\n") {
		if m := fence.FindStringSubmatch(l); m != nil {
			if in == "" {
				in = m[1]
			} else if strings.HasPrefix(strings.TrimSpace(l), in) {
				in = ""
			}
			continue
		}
		m := heading.FindStringSubmatch(l)
		if in != "" || m == nil {
			continue
		}
		var slug strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				slug.WriteRune('-')
			case r == '-' || r == '_' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127:
				slug.WriteRune(r)
			}
		}
		s := slug.String()
		if n := seen[s]; n > 0 {
			out[fmt.Sprintf("%s-%d", s, n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}
