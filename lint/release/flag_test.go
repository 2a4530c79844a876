package release

import "testing"

func TestSuggest(t *testing.T) {
	r, err := Load(Linked)
	if err != nil {
		t.Fatal(err)
	}
	api := r.Component(APIServer)
	tests := map[string]struct{ name, want string }{
		"a dropped letter":                 {name: "enable-admision-plugins", want: "enable-admission-plugins"},
		"swapped letters":                  {name: "enable-admsision-plugins", want: "enable-admission-plugins"},
		"an underscore is no typo":         {name: "enable_admision_plugins", want: "enable-admission-plugins"},
		"a prefix is another word":         {name: "insecure-port", want: ""},
		"too far from anything":            {name: "bogus-flag-name", want: ""},
		"a short name takes one edit only": {name: "profilng", want: "profiling"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := api.Suggest(tt.name); got != tt.want {
				t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestCheckValue(t *testing.T) {
	r, err := Load(Linked)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		component, flag, value string
		ok                     bool
	}{
		"a bool":                {component: APIServer, flag: "profiling", value: "false", ok: true},
		"not a bool":            {component: APIServer, flag: "profiling", value: "maybe"},
		"an empty bool":         {component: APIServer, flag: "profiling", value: ""},
		"a quantity":            {component: APIServer, flag: "log-json-info-buffer-size", value: "64Ki", ok: true},
		"not a quantity":        {component: APIServer, flag: "log-json-info-buffer-size", value: "lots"},
		"a version request":     {component: APIServer, flag: "version", value: "raw", ok: true},
		"a version of its own":  {component: APIServer, flag: "version", value: "v1.37.2-lab.1", ok: true},
		"another patch release": {component: APIServer, flag: "version", value: "v1.37.1"},
		"not a version":         {component: APIServer, flag: "version", value: "yes please"},
		"an etcd enum":          {component: Etcd, flag: "initial-cluster-state", value: "new", ok: true},
		"not an etcd enum":      {component: Etcd, flag: "initial-cluster-state", value: "fresh"},
		"an etcd enum list":     {component: Etcd, flag: "v2-deprecation", value: "write-only", ok: true},
		"a Go flag uint":        {component: Etcd, flag: "heartbeat-interval", value: "-1"},
		"a tracker's inner one": {component: APIServer, flag: "anonymous-auth", value: "nope"},
		"an emulated version":   {component: APIServer, flag: "emulated-version", value: "kube=1.36", ok: true},
		"out of range is Validate's, not the registry's Set's": {component: Scheduler, flag: "emulated-version", value: "1.30", ok: true},
		"no emulated version":        {component: ControllerManager, flag: "emulated-version", value: "", ok: true},
		"a patch release":            {component: ControllerManager, flag: "emulated-version", value: "1.36.1"},
		"a component not registered": {component: APIServer, flag: "min-compatibility-version", value: "1.35,wardle=1.2"},
		"a component twice":          {component: APIServer, flag: "emulated-version", value: "1.36,kube=1.35"},
		"not a version to emulate":   {component: Scheduler, flag: "min-compatibility-version", value: "kube=latest"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := r.Component(tt.component).Flag(tt.flag)
			if f == nil {
				t.Fatalf("%s has no --%s", tt.component, tt.flag)
			}
			if err := f.CheckValue(tt.value); (err == nil) != tt.ok {
				t.Errorf("--%s=%q: error %v, want ok=%t", tt.flag, tt.value, err, tt.ok)
			}
		})
	}
}
