package lint

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A field path names a place in a document with JSON field names: "networking.podSubnet",
// "apiServer.certSANs[0]". A bracket holding something other than a number selects a mapping key
// or, in a list, the element whose name (or key) is that string, so that
// "apiServer.extraArgs[enable-admission-plugins]" works for v1beta3 maps and v1beta4 lists alike.

// pathStep is one segment of a field path.
type pathStep struct {
	key   string
	index int // -1 unless the step is a numeric index
}

func parsePath(path string) []pathStep {
	var steps []pathStep
	for i := 0; i < len(path); {
		switch path[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				steps = append(steps, pathStep{key: path[i+1:], index: -1})
				return steps
			}
			inner := path[i+1 : i+end]
			if n, err := strconv.Atoi(inner); err == nil && n >= 0 {
				steps = append(steps, pathStep{index: n})
			} else {
				steps = append(steps, pathStep{key: strings.Trim(inner, `"'`), index: -1})
			}
			i += end + 1
		default:
			end := strings.IndexAny(path[i:], ".[")
			if end < 0 {
				end = len(path) - i
			}
			steps = append(steps, pathStep{key: path[i : i+end], index: -1})
			i += end
		}
	}
	return steps
}

// lookup follows path from root. It returns the node found, the node to point at for it (the key
// of a mapping entry, the element itself in a list), and whether the whole path exists. When it
// does not, anchor is the deepest existing parent's key.
func lookup(root *yaml.Node, path string) (value, anchor *yaml.Node, found bool) {
	cur := deref(root)
	anchor = nil
	for _, st := range parsePath(path) {
		var keyNode, next *yaml.Node
		switch {
		case cur == nil:
		case st.index >= 0 && cur.Kind == yaml.SequenceNode:
			if st.index < len(cur.Content) {
				next = cur.Content[st.index]
				keyNode = next
			}
		case cur.Kind == yaml.MappingNode:
			keyNode, next = mappingGet(cur, st.key)
		case cur.Kind == yaml.SequenceNode:
			next = namedElement(cur, st.key)
			keyNode = next
		}
		if next == nil {
			return nil, anchor, false
		}
		anchor = keyNode
		cur = deref(next)
	}
	return cur, anchor, true
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && i < 10; i++ {
		switch n.Kind {
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		case yaml.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return n
}

// mappingGet returns the key and value nodes of key in a mapping; the last one if it repeats.
func mappingGet(m *yaml.Node, key string) (k, v *yaml.Node) {
	// Placing a finding looks keys up, so the common mapping without merge keys is scanned in
	// place instead of through a freshly built list of its pairs.
	merges := false
	for i := 0; i+1 < len(m.Content) && !merges; i += 2 {
		c := m.Content[i]
		merges = c.Kind == yaml.ScalarNode && c.Tag == "!!merge"
		if keyString(c) == key {
			k, v = c, m.Content[i+1]
		}
	}
	if !merges {
		return k, v
	}
	k, v = nil, nil
	for _, p := range mappingPairs(m) {
		if p.key == key {
			k, v = p.keyNode, p.value
		}
	}
	return k, v
}

// namedElement finds the list element whose name or key field equals name.
func namedElement(seq *yaml.Node, name string) *yaml.Node {
	for _, item := range seq.Content {
		m := deref(item)
		if m == nil || m.Kind != yaml.MappingNode {
			continue
		}
		for _, field := range []string{"name", "key"} {
			if _, v := mappingGet(m, field); v != nil && deref(v).Value == name {
				return item
			}
		}
	}
	return nil
}

// PathIndex joins a list index onto a path.
func PathIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
