package wantcomment

import "testing"

func TestParse(t *testing.T) {
	opts, wants, err := Parse("# options: kubernetesVersion=v1.36\nkey: v # want KL001 \"a \\\"b\\\"\" on \"Node/n\" hint \"c\" KL002 \"d\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if opts != "kubernetesVersion=v1.36" || len(wants) != 2 {
		t.Fatalf("options %q, %d wants", opts, len(wants))
	}
	w := wants[0]
	if w.Line != 2 || w.Rule != "KL001" || w.Message.String() != `a "b"` || w.On.String() != "Node/n" || w.Hint.String() != "c" {
		t.Errorf("first want: %+v", w)
	}
	if wants[1].On != nil || wants[1].Hint != nil {
		t.Errorf("second want has conditions it does not write: %+v", wants[1])
	}
	for _, bad := range []string{
		`x: 1 # want KL001 "a" hint "unclosed`,
		`x: 1 # want KL001 "a" hint "b" on "c"`,
		`x: 1 # want something`,
		`x: 1 # want KL001 "(["`,
	} {
		if _, _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) took a malformed want", bad)
		}
	}
}
