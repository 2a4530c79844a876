package lint

// The configuration files of the control plane: the files kube-apiserver and kube-scheduler read
// at start through their flags, which hardened kubeadm clusters mount through extraVolumes. Each is
// a document of its own, decoded strictly into the component's own versioned type, defaulted and
// converted by the component's own scheme, and validated by the component's own functions, as the
// component does when it starts (k8s.io/apiserver v0.37.2 and k8s.io/kubernetes v1.37.2).

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"
	apiserverapi "k8s.io/apiserver/pkg/apis/apiserver"
	apiserverinstall "k8s.io/apiserver/pkg/apis/apiserver/install"
	apiservervalidation "k8s.io/apiserver/pkg/apis/apiserver/validation"
	auditapi "k8s.io/apiserver/pkg/apis/audit"
	auditvalidation "k8s.io/apiserver/pkg/apis/audit/validation"
	"k8s.io/apiserver/pkg/audit"
	authenticationcel "k8s.io/apiserver/pkg/authentication/cel"
	authorizationcel "k8s.io/apiserver/pkg/authorization/cel"
	"k8s.io/apiserver/pkg/server/egressselector"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	tracingapi "k8s.io/component-base/tracing/api/v1"
	schedulerv1 "k8s.io/kube-scheduler/config/v1"
	schedulerconfig "k8s.io/kubernetes/pkg/scheduler/apis/config"
	schedulerscheme "k8s.io/kubernetes/pkg/scheduler/apis/config/scheme"
	schedulervalidation "k8s.io/kubernetes/pkg/scheduler/apis/config/validation"
	podsecurityapi "k8s.io/pod-security-admission/admission/api"
	podsecurityscheme "k8s.io/pod-security-admission/admission/api/scheme"
	podsecurityvalidation "k8s.io/pod-security-admission/admission/api/validation"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// AuthenticationCompiler is the CEL compiler kube-apiserver validates JWT authenticators with,
// built once for every lint: building it costs about 0.3 ms, and it is safe for concurrent use.
var AuthenticationCompiler = sync.OnceValue(authenticationcel.NewDefaultCompiler)

// Kinds of the control plane's configuration files.
const (
	KindEncryption     = "EncryptionConfiguration"
	KindAuditPolicy    = "Policy"
	KindAdmission      = "AdmissionConfiguration"
	KindAuthentication = "AuthenticationConfiguration"
	KindAuthorization  = "AuthorizationConfiguration"
	KindEgressSelector = "EgressSelectorConfiguration"
	KindTracing        = "TracingConfiguration"
	KindPodSecurity    = "PodSecurityConfiguration"
	KindScheduler      = "KubeSchedulerConfiguration"
	// kindEncryptionLegacy is the name apiVersion v1 (no group) still gives EncryptionConfiguration.
	kindEncryptionLegacy = "EncryptionConfig"
)

// ComponentKinds are the kinds of the control plane's configuration files, which the linter reads
// as documents of their own.
var ComponentKinds = []string{KindEncryption, KindAuditPolicy, KindAdmission, KindAuthentication,
	KindAuthorization, KindEgressSelector, KindTracing, KindPodSecurity, KindScheduler}

// podSecurityPlugin is the admission plugin that reads a PodSecurityConfiguration
// (k8s.io/kubernetes plugin/pkg/admission/security/podsecurity, PluginName).
const podSecurityPlugin = "PodSecurity"

// componentOf returns the component that reads a configuration file of group and kind, or "".
// Which versions it reads is its scheme's business (componentScheme).
func componentOf(group, kind string) string {
	switch group {
	case apiserverapi.GroupName, apiserverapi.LegacyGroupName:
		switch kind {
		case KindEncryption, KindAdmission, KindAuthentication, KindAuthorization, KindEgressSelector, KindTracing:
			return release.APIServer
		}
	case auditapi.GroupName:
		if kind == KindAuditPolicy {
			return release.APIServer
		}
	case podsecurityapi.GroupName:
		if kind == KindPodSecurity {
			return release.APIServer
		}
	case schedulerconfig.GroupName:
		if kind == KindScheduler {
			return release.Scheduler
		}
	case "":
		if kind == kindEncryptionLegacy {
			return release.APIServer
		}
	}
	return ""
}

// newAPIServerScheme is the scheme of kube-apiserver's own configuration files, every version
// the linked k8s.io/apiserver serves, as its loaders install it (install.Install).
func newAPIServerScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	apiserverinstall.Install(s)
	return s
}

// componentScheme returns the scheme a component decodes a kind with: the apiserver's, or the
// packages' own for the audit policy (k8s.io/apiserver/pkg/audit), PodSecurity's configuration
// and the scheduler's.
func (l *Linter) componentScheme(kind string) *runtime.Scheme {
	switch kind {
	case KindAuditPolicy:
		return audit.Scheme
	case KindPodSecurity:
		return podsecurityscheme.Scheme
	case KindScheduler:
		return schedulerscheme.Scheme
	}
	return l.apiserverScheme()
}

// internalComponentObject returns the empty internal type a component converts a kind to.
func internalComponentObject(kind string) runtime.Object {
	switch kind {
	case KindEncryption, kindEncryptionLegacy:
		return &apiserverapi.EncryptionConfiguration{}
	case KindAdmission:
		return &apiserverapi.AdmissionConfiguration{}
	case KindAuthentication:
		return &apiserverapi.AuthenticationConfiguration{}
	case KindAuthorization:
		return &apiserverapi.AuthorizationConfiguration{}
	case KindEgressSelector:
		return &apiserverapi.EgressSelectorConfiguration{}
	case KindTracing:
		return &apiserverapi.TracingConfiguration{}
	case KindAuditPolicy:
		return &auditapi.Policy{}
	case KindPodSecurity:
		return &podsecurityapi.PodSecurityConfiguration{}
	case KindScheduler:
		return &schedulerconfig.KubeSchedulerConfiguration{}
	}
	return nil
}

// lenientDecoding reports whether a component falls back to lenient decoding when its strict
// decoding finds unknown or repeated fields: kube-apiserver does for the audit policy, with a
// warning in its log (k8s.io/apiserver/pkg/audit/policy, LoadPolicyFromBytes); every other file
// is refused.
func lenientDecoding(kind string) bool { return kind == KindAuditPolicy }

// decodeComponent decodes and validates a control-plane configuration file as its component does
// at start, recording every problem as ProblemComponentFile at its field.
// A nested document, inside another, leaves its repeated keys to the outer one's report.
func (l *Linter) decodeComponent(ctx context.Context, d *Document, b *expansion, nested bool) error {
	j, err := toJSON(d.Root, nil, b)
	if err != nil {
		return err
	}
	if !nested {
		reportDuplicateKeys(d, d.Root, "")
	}
	defer d.asComponentProblems()
	scheme := l.componentScheme(d.Kind)
	gv, err := schema.ParseGroupVersion(d.APIVersion)
	if err != nil {
		d.addProblem(ProblemType, "apiVersion", unknownAPI(d))
		return nil
	}
	ext, err := scheme.New(gv.WithKind(d.Kind))
	if err != nil {
		d.Problems = append(d.Problems, Problem{Code: ProblemType, Path: "apiVersion", Message: unknownAPI(d), Hint: servedHint(scheme, gv.Group, d)})
		return nil
	}
	obj, _, err := strictDecode(ctx, d, j, reflect.TypeOf(ext).Elem())
	if err != nil || obj == nil {
		return err
	}
	ext = obj.(runtime.Object)
	if err := l.decodeNested(ctx, d, ext); err != nil {
		return err
	}
	scheme.Default(ext)
	internal := internalComponentObject(d.Kind)
	if err := scheme.Convert(ext, internal, nil); err != nil {
		d.addProblem(ProblemComponentFile, "", err.Error())
		return nil
	}
	if s, ok := internal.(*schedulerconfig.KubeSchedulerConfiguration); ok {
		// kube-scheduler's loadConfig keeps the version it decoded, which validation reads.
		s.APIVersion = gv.String()
	}
	d.Object = internal
	l.validateComponent(d, internal)
	return nil
}

// servedHint names the versions of a kind that the component's scheme serves.
func servedHint(scheme *runtime.Scheme, group string, d *Document) string {
	var served []string
	for _, gv := range scheme.PrioritizedVersionsForGroup(group) {
		if scheme.Recognizes(gv.WithKind(d.Kind)) {
			served = append(served, gv.String())
		}
	}
	if len(served) == 0 {
		return ""
	}
	return fmt.Sprintf("%s reads %s as apiVersion %s", d.Component, d.Kind, strings.Join(served, " or "))
}

// decodeNested decodes what a component decodes inside a file with a scheme of its own: the
// scheduler's plugin arguments, and an AdmissionConfiguration's inline PodSecurity configuration.
func (l *Linter) decodeNested(ctx context.Context, d *Document, ext runtime.Object) error {
	switch o := ext.(type) {
	case *schedulerv1.KubeSchedulerConfiguration:
		// KubeSchedulerConfiguration.DecodeNestedObjects: each plugin's args as the kind
		// NAME+"Args" of the same version; out-of-tree plugins' args stay undecoded.
		for i := range o.Profiles {
			for k := range o.Profiles[i].PluginConfig {
				pc := &o.Profiles[i].PluginConfig[k]
				gvk := schedulerv1.SchemeGroupVersion.WithKind(pc.Name + "Args")
				args, err := schedulerscheme.Scheme.New(gvk)
				if err != nil {
					continue
				}
				v, err := decodeAt(ctx, d, fmt.Sprintf("profiles[%d].pluginConfig[%d].args", i, k), reflect.TypeOf(args).Elem())
				if err != nil {
					return err
				}
				if v != nil {
					pc.Args.Object = v.(runtime.Object)
				}
			}
		}
	}
	return nil
}

// decodeAt strictly decodes the subtree of d at path into a new value of typ, recording its
// problems on d at their paths under path. It returns nil when the path is not written or the
// subtree cannot be decoded.
func decodeAt(ctx context.Context, d *Document, path string, typ reflect.Type) (any, error) {
	node := d.Lookup(path)
	if node == nil || deref(node).Kind != yaml.MappingNode {
		return nil, nil
	}
	sub := &Document{Root: node, Source: node}
	j, err := toJSON(node, nil, nil)
	if err != nil {
		return nil, err
	}
	v, _, err := strictDecode(ctx, sub, j, typ)
	d.adopt(sub, path)
	return v, err
}

// adopt records the problems of a document decoded from d's subtree at path as d's own.
func (d *Document) adopt(sub *Document, path string) {
	for _, p := range sub.Problems {
		if d.full(p.Code) {
			continue
		}
		rel := p.Path
		p.Path = joinPath(path, rel)
		if p.Code == ProblemUnknownField {
			// The component names the field from the outer document's top.
			p.Message = fmt.Sprintf("strict decoding error: unknown field %q", p.Path)
		}
		d.Problems = append(d.Problems, p)
	}
}

func joinPath(prefix, path string) string {
	switch {
	case path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}

// asComponentProblems files what decoding found in a configuration file under the component's
// rule: an unknown field, a repeated one and a value of the wrong type are the component's
// decoding errors, not kubeadm's.
func (d *Document) asComponentProblems() {
	for i := range d.Problems {
		p := &d.Problems[i]
		switch p.Code {
		case ProblemUnknownField, ProblemDuplicateField:
			if lenientDecoding(d.Kind) {
				p.Severity = SeverityWarning
				p.Hint = "kube-apiserver ignores the field: it decodes the policy again leniently, with a warning in its log"
			}
		case ProblemFieldType:
		default:
			continue
		}
		if d.counts == nil {
			d.counts, d.omitted = map[ProblemCode]int{}, map[ProblemCode]int{}
		}
		d.counts[p.Code]--
		d.counts[ProblemComponentFile]++
		p.Code = ProblemComponentFile
	}
	for _, c := range []ProblemCode{ProblemUnknownField, ProblemDuplicateField, ProblemFieldType} {
		if n := d.omitted[c]; n > 0 {
			d.omitted[ProblemComponentFile] += n
			delete(d.omitted, c)
		}
	}
	for i := range d.Problems {
		if p := &d.Problems[i]; p.Code == ProblemComponentFile && p.Hint == "" {
			p.Hint = componentHint(d, p)
		}
	}
	if d.Kind == KindEncryption || d.Kind == kindEncryptionLegacy {
		d.redactSecrets()
	}
}

// componentHint is the remedy of a problem of a configuration file that has none of its own.
func componentHint(d *Document, p *Problem) string {
	exits := fmt.Sprintf("%s exits at start", d.Component)
	switch {
	case strings.Contains(p.Message, "unknown field"):
		return "remove the field or correct its name, as " + exits
	case strings.HasSuffix(p.Path, ".secret") && strings.Contains(p.Message, "base64"),
		strings.Contains(p.Message, "secret is not of the expected length"):
		size := "32"
		if strings.Contains(p.Path, "aesgcm") || strings.Contains(p.Path, "aescbc") {
			size = "16, 24 or 32"
		}
		return fmt.Sprintf("use a key of %s random bytes, base64-encoded ('head -c 32 /dev/urandom | base64'), as %s", size, exits)
	}
	return fmt.Sprintf("correct the value, as %s on this %s", exits, d.Kind)
}

// validateComponent runs the component's own validation of a decoded file, and the checks its
// loader makes beside it.
func (l *Linter) validateComponent(d *Document, obj runtime.Object) {
	var errs field.ErrorList
	switch o := obj.(type) {
	case *apiserverapi.EncryptionConfiguration:
		// reload is kube-apiserver's --encryption-provider-config-automatic-reload, off by default.
		errs = apiservervalidation.ValidateEncryptionConfiguration(o, false)
		for _, e := range errs {
			// Some errors quote a whole provider, keys and all.
			switch e.BadValue.(type) {
			case string, bool, int, int32, int64:
			default:
				e.BadValue = field.OmitValueType{}
			}
		}
	case *auditapi.Policy:
		errs = auditvalidation.ValidatePolicy(o)
		if len(errs) == 0 && len(o.Rules) == 0 {
			// LoadPolicyFromBytes, after validation.
			d.addProblem(ProblemComponentFile, "rules", "loaded illegal policy with 0 rules")
		}
	case *apiserverapi.AdmissionConfiguration:
		// kube-apiserver validates none of it; each plugin reads its own configuration.
		l.validateAdmissionPlugins(d, o)
	case *apiserverapi.AuthenticationConfiguration:
		// The issuers kube-apiserver's --service-account-issuer flags give are not known here.
		errs = apiservervalidation.ValidateAuthenticationConfiguration(AuthenticationCompiler(), o, nil)
	case *apiserverapi.AuthorizationConfiguration:
		facts := l.facts()
		errs = apiservervalidation.ValidateAuthorizationConfiguration(authorizationcel.NewDefaultCompiler(), nil, o,
			sets.New(facts.authorizerTypes...), sets.New(facts.repeatableAuthorizerTypes...))
		if len(errs) == 0 {
			// pkg/kubeapiserver/authorizer's LoadAndValidateData: each authorizer but a webhook
			// has the name GetNameForAuthorizerMode gives its type, the type in lower case.
			for i, a := range o.Authorizers {
				if slices.Contains(facts.repeatableAuthorizerTypes, string(a.Type)) {
					continue
				}
				if want := strings.ToLower(string(a.Type)); a.Name != want {
					d.addProblem(ProblemComponentFile, PathIndex("authorizers", i)+".name",
						fmt.Sprintf("expected name %s for authorizer %s instead of %s", want, a.Type, a.Name))
				}
			}
		}
	case *apiserverapi.EgressSelectorConfiguration:
		validateEgressSelector(d, o)
	case *apiserverapi.TracingConfiguration:
		errs = tracingapi.ValidateTracingConfiguration(&o.TracingConfiguration, utilfeature.DefaultFeatureGate, nil)
	case *podsecurityapi.PodSecurityConfiguration:
		errs = podsecurityvalidation.ValidatePodSecurityConfiguration(o)
	case *schedulerconfig.KubeSchedulerConfiguration:
		for _, err := range flattenErrors(schedulervalidation.ValidateKubeSchedulerConfiguration(o)) {
			var fe *field.Error
			if errors.As(err, &fe) {
				errs = append(errs, fe)
			} else {
				d.addProblem(ProblemComponentFile, "", err.Error())
			}
		}
	}
	for _, e := range errs {
		d.addFieldError(ProblemComponentFile, e, "")
	}
}

// facts returns the target release's generated facts, or the linked release's when the target
// has none.
func (l *Linter) facts() releaseFacts {
	if f, ok := componentFacts[l.opts.Release().Name()]; ok {
		return f
	}
	return componentFacts[release.Linked]
}

// validateAdmissionPlugins decodes and validates the inline configuration of the PodSecurity
// plugin as the plugin does when kube-apiserver starts (k8s.io/pod-security-admission's
// load.LoadFromReader and validation).
func (l *Linter) validateAdmissionPlugins(d *Document, c *apiserverapi.AdmissionConfiguration) {
	for i, p := range c.Plugins {
		path := PathIndex("plugins", i) + ".configuration"
		node := d.Lookup(path)
		if p.Configuration == nil || node == nil {
			continue
		}
		av := str(get(deref(node), "apiVersion"))
		group, _ := splitAPIVersion(av)
		if p.Name != podSecurityPlugin && group != podsecurityapi.GroupName {
			continue // another plugin's configuration, which the linter does not link
		}
		sub := &Document{Root: node, Source: node, APIVersion: av, Kind: str(get(deref(node), "kind")), Component: release.APIServer}
		if gv, err := schema.ParseGroupVersion(av); err != nil || sub.Kind != KindPodSecurity || !podsecurityscheme.Scheme.Recognizes(gv.WithKind(sub.Kind)) {
			sub.Problems = append(sub.Problems, Problem{Code: ProblemComponentFile, Path: "kind",
				Message: fmt.Sprintf("expected PodSecurityConfiguration, got apiVersion %q, kind %q", av, sub.Kind),
				Hint:    "the PodSecurity plugin reads a pod-security.admission.config.k8s.io/v1 PodSecurityConfiguration"})
			d.adopt(sub, path)
			continue
		}
		// Decoding it again costs little: it is small, and it is decoded at its own path.
		_ = l.decodeComponent(context.Background(), sub, nil, true)
		d.adopt(sub, path)
	}
}

// validateEgressSelector runs ValidateEgressSelectorConfiguration, whose errors name the fields
// of a selection without its index: each selection is validated alone, so that its errors land
// on it, and the names of all of them together.
func validateEgressSelector(d *Document, c *apiserverapi.EgressSelectorConfiguration) {
	at := func(i int, e *field.Error) {
		e.Field = strings.Replace(e.Field, "service.connection", PathIndex("egressSelections", i)+".connection", 1)
		e.Field = strings.Replace(e.Field, ".connection.protocol", ".connection.proxyProtocol", 1)
		d.addFieldError(ProblemComponentFile, e, "")
	}
	names := c.DeepCopy()
	for i := range c.EgressSelections {
		one := &apiserverapi.EgressSelectorConfiguration{EgressSelections: []apiserverapi.EgressSelection{*c.EgressSelections[i].DeepCopy()}}
		one.EgressSelections[0].Name = "controlplane" // its name is checked below, with the others
		for _, e := range egressselector.ValidateEgressSelectorConfiguration(one) {
			at(i, e)
		}
		names.EgressSelections[i].Connection = apiserverapi.Connection{ProxyProtocol: apiserverapi.ProtocolDirect}
	}
	for _, e := range egressselector.ValidateEgressSelectorConfiguration(names) {
		// The duplicate's index is in the path; an unsupported name is found by its value.
		i := 0
		if _, err := fmt.Sscanf(e.Field, "service.connection[%d]", &i); err != nil {
			for k, s := range c.EgressSelections {
				if strings.EqualFold(s.Name, fmt.Sprint(e.BadValue)) {
					i = k
					break
				}
			}
		}
		e.Field = PathIndex("egressSelections", i) + ".name"
		d.addFieldError(ProblemComponentFile, e, "")
	}
}

// redactSecrets takes the secrets of an EncryptionConfiguration's keys out of every message and
// hint recorded on it: the keys of an encryption configuration must never reach a log.
func (d *Document) redactSecrets() {
	var secrets []string
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = deref(n)
		if n == nil || depth > 50 {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if v := deref(n.Content[i+1]); n.Content[i].Value == "secret" && v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
					secrets = append(secrets, v.Value)
				}
				walk(n.Content[i+1], depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
	}
	walk(d.Root, 0)
	if len(secrets) == 0 {
		return
	}
	for i := range d.Problems {
		for _, s := range secrets {
			d.Problems[i].Message = strings.ReplaceAll(d.Problems[i].Message, s, "REDACTED")
			d.Problems[i].Hint = strings.ReplaceAll(d.Problems[i].Hint, s, "REDACTED")
		}
	}
}
