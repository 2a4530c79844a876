package schema

import (
	"fmt"
	"strings"

	"github.com/kubeadm-lint/kubeadm-lint/internal/migration"
)

// lastV1beta3 is the last minor release whose kubeadm reads kubeadm.k8s.io/v1beta3, as the
// linter's classification has it (lint/classify.go): v1.37 rejects it.
const lastV1beta3 = 36

const v1beta3 = "kubeadm.k8s.io/v1beta3"

// Kinds are the kinds the release reads: Kinds(), and for the releases that still read
// kubeadm.k8s.io/v1beta3, its InitConfiguration, ClusterConfiguration and JoinConfiguration.
func (g *Generator) Kinds() []Kind {
	all := Kinds()
	if g.rel.Minor > lastV1beta3 {
		return all
	}
	for _, k := range Kinds() {
		if _, ok := migration.ArgLists[k.Kind]; ok && k.APIVersion == migration.APIVersion {
			all = append(all, Kind{APIVersion: v1beta3, Kind: k.Kind, Type: k.Type})
		}
	}
	return all
}

// toV1beta3 turns the schema of a v1beta4 kind into its v1beta3 form. The linked kubeadm has no
// v1beta3 types to reflect, so the schema follows the one table of differences that the
// linter's migration and 'fix --migrate' apply (internal/migration), read backwards: extraArgs
// are maps, the moved fields are where v1beta3 had them, and the fields v1beta4 added are unknown.
func (g *Generator) toV1beta3(k Kind, s Schema) error {
	for _, path := range migration.ArgLists[k.Kind] {
		parent, key, err := lookup(s, path)
		if err != nil {
			return err
		}
		list := parent[key].(Schema)
		name := list["items"].(Schema)["properties"].(Schema)["name"].(Schema)
		enum := name["anyOf"].([]any)[0].(Schema)
		names, descs := enum["enum"].([]any), enum["markdownEnumDescriptions"].([]any)
		props := Schema{}
		for i, n := range names {
			props[n.(string)] = Schema{"type": []string{"string", "null"}, "markdownDescription": descs[i]}
		}
		m := Schema{"type": []string{"object", "null"}, "properties": props, "additionalProperties": Schema{"type": []string{"string", "null"}}}
		if d, ok := list["description"]; ok {
			m["description"] = d
		}
		parent[key] = m
	}
	for _, path := range migration.Added[k.Kind] {
		parent, key, err := lookup(s, path)
		if err != nil {
			return err
		}
		delete(parent, key)
	}
	for _, mv := range migration.Moves {
		if mv.Kind != k.Kind {
			continue
		}
		var to Kind
		for _, c := range Kinds() {
			if c.Kind == mv.ToKind && c.APIVersion == migration.APIVersion {
				to = c
			}
		}
		if to.Type == nil {
			return fmt.Errorf("no kind %s for the move of %s", mv.ToKind, mv.From)
		}
		target := g.document(to)
		tp, tk, err := lookup(target, mv.Parent+"."+mv.Key)
		if err != nil {
			return err
		}
		field := Schema{}
		for key, v := range tp[tk].(Schema) {
			field[key] = v
		}
		field["description"] = fmt.Sprintf("In kubeadm.k8s.io/v1beta4: %s.%s.%s.\n\n%s", mv.ToKind, mv.Parent, mv.Key, field["description"])
		parent, key := migration.Split(mv.From)
		holder := s
		if parent != "" {
			p, k, err := lookup(s, parent)
			if err != nil {
				return err
			}
			holder = p[k].(Schema)
		}
		holder["properties"].(Schema)[key] = field
	}
	s["properties"].(Schema)["apiVersion"] = Schema{"const": v1beta3, "description": "The API version of this kind: " + v1beta3 + ", which kubeadm reads up to v1.36. 'kubeadm-lint fix --migrate' rewrites it as v1beta4."}
	return nil
}

// lookup finds the property a dotted path names: the properties map that holds it, and its key.
func lookup(s Schema, path string) (Schema, string, error) {
	segs := strings.Split(path, ".")
	for i, seg := range segs {
		props, ok := s["properties"].(Schema)
		if !ok || props[seg] == nil {
			return nil, "", fmt.Errorf("the schema has no %s", strings.Join(segs[:i+1], "."))
		}
		if i == len(segs)-1 {
			return props, seg, nil
		}
		s = props[seg].(Schema)
	}
	return nil, "", fmt.Errorf("empty path")
}
