package audit

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/coredns/corefile-migration/migration"
	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/version"
	kubeadmconstants "k8s.io/kubernetes/cmd/kubeadm/app/constants"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

var KL616 = &lint.Rule{
	ID:       "KL616",
	Name:     "upgrade-skips-minor",
	Summary:  "the upgrade skips a minor release, which kubeadm refuses",
	Check:    checkUpgrade,
	Severity: lint.SeverityError,
	Doc: `` + "`kubeadm upgrade apply`" + ` moves the control plane one minor release at a time: its
` + "`MaximumAllowedMinorVersionUpgradeSkew`" + ` is 1, and it refuses a target further ahead, or one
older than what runs. ` + "`kubeadm-lint cluster --upgrade-to`" + ` reads the release the control plane
runs from its mirror Pods' images (the API server's, each control-plane node's), so that a
half-done upgrade is judged as it is, and from the ClusterConfiguration when there are none.

Bad: ` + "`kubeadm-lint cluster --upgrade-to v1.37`" + ` on a cluster at v1.35.

Good: name every step: ` + "`kubeadm-lint cluster --upgrade-to v1.36,v1.37`" + `, and upgrade the same
way, one release after the other.

Source: kubeadm's ` + "`phases/upgrade/policy.go`" + ` (EnforceVersionPolicies), read by hack/upgrade
into ` + "`lint/release/data/upgrade`" + `.`,
}

var KL617 = &lint.Rule{
	ID:       "KL617",
	Name:     "upgrade-kubelet-skew",
	Summary:  "a kubelet would be too far behind the control plane after the upgrade",
	Check:    checkNodes,
	Severity: lint.SeverityError,
	Doc: `After ` + "`kubeadm upgrade apply`" + ` the control plane runs the target release while the
kubelets still run theirs until each node is upgraded. The target's kubeadm supports kubelets
up to three minor releases behind it (its ` + "`MinimumKubeletVersion`" + `); a kubelet further behind
then talks to an API server newer than the skew policy allows, and ` + "`kubeadm upgrade`" + ` says so.
Three behind is allowed.

Bad: a v1.33 kubelet in a cluster to be upgraded to v1.37.

Good: upgrade that node's kubelet first (` + "`kubeadm upgrade node`" + `, then the kubelet package),
one minor release at a time.

Source: kubeadm's ` + "`constants.go`" + ` (MinimumKubeletVersion) of the target release;
https://kubernetes.io/releases/version-skew-policy/`,
}

var KL618 = &lint.Rule{
	ID:       "KL618",
	Name:     "upgrade-etcd-image-tag",
	Summary:  "a custom etcd imageTag keeps etcd at its release through the upgrade",
	Check:    checkUpgrade,
	Severity: lint.SeverityWarning,
	Doc: `When the ClusterConfiguration sets ` + "`etcd.local.imageTag`" + `, ` + "`kubeadm upgrade apply`" + `
takes that tag as the etcd to run instead of the one the target release deploys, and does not
upgrade etcd: the cluster keeps the older etcd under the newer control plane, and a tag older
than the running etcd makes kubeadm skip etcd altogether.

Bad: ` + "`etcd: {local: {imageTag: 3.5.21-0}}`" + ` before an upgrade to a release that deploys etcd
3.7.

Good: remove ` + "`imageTag`" + ` before the upgrade
(` + "`kubectl -n kube-system edit configmap kubeadm-config`" + `), or set it to the etcd the target release deploys.

Source: kubeadm's ` + "`phases/upgrade/staticpods.go`" + ` (performEtcdStaticPodUpgrade).`,
}

var KL619 = &lint.Rule{
	ID:       "KL619",
	Name:     "upgrade-corefile",
	Summary:  "the Corefile has a plugin the target release's CoreDNS lacks or drops",
	Check:    checkUpgrade,
	Severity: lint.SeverityError,
	Doc: `` + "`kubeadm upgrade`" + ` moves CoreDNS to the release the target kubeadm deploys and migrates the
Corefile with github.com/coredns/corefile-migration. Its preflight fails on a plugin the
migration does not know for the new CoreDNS (CoreDNSUnsupportedPlugins) and on a Corefile it
cannot migrate (CoreDNSMigration); a plugin or option removed on the way stops CoreDNS, and a
deprecated one is a warning. kubeadm-lint runs the same library, at the version kubeadm links,
on the ` + "`coredns`" + ` ConfigMap, from the CoreDNS the cluster runs (its Pods' image) to the target's.

Bad: a Corefile that still uses ` + "`proxy`" + ` (replaced by ` + "`forward`" + `).

Good: replace or remove the plugin before the upgrade; for a plugin you know works, run the
upgrade with ` + "`--ignore-preflight-errors=CoreDNSUnsupportedPlugins`" + `.

Source: kubeadm's ` + "`phases/upgrade/preflight.go`" + ` and ` + "`phases/addons/dns/dns.go`" + `.`,
}

// upgradeStep is one 'kubeadm upgrade apply': from the release that runs to the next.
type upgradeStep struct {
	from, to *release.Upgrade
}

func (s upgradeStep) String() string { return fmt.Sprintf("v1.%d to v1.%d", s.from.Minor, s.to.Minor) }

// mirrorPod is what the upgrade keeps of one control-plane mirror Pod.
type mirrorPod struct {
	object, component string
	minor             int // of its image tag; -1 when the tag is not a release
	args              [][2]string
}

// maxMirrorPods bounds the control-plane Pods kept: a control plane has a few nodes of four.
const maxMirrorPods = 200

// controlPlane is what kubeadm deploys as static Pods, by the name of its container, which is
// also its component label.
var controlPlane = []string{release.APIServer, release.ControllerManager, release.Scheduler, release.Etcd}

// upgradeSteps works out the steps from the release that runs: every minor the user named.
func (a *auditor) upgradeSteps(current int) ([]upgradeStep, error) {
	from, err := release.LoadUpgrade(fmt.Sprintf("v1.%d", current))
	if err != nil {
		return nil, fmt.Errorf("the cluster runs v1.%d: %w", current, err)
	}
	var steps []upgradeStep
	for _, name := range a.cfg.Upgrade {
		to, err := release.LoadUpgrade(name)
		if err != nil {
			return nil, err
		}
		steps = append(steps, upgradeStep{from: from, to: to})
		from = to
	}
	return steps, nil
}

// upgrade is the upgrade check: the control plane's mirror Pods, the ConfigMaps, etcd and
// CoreDNS, for each step of the path to the target. The kubelets are judged by the node check.
func (a *auditor) upgrade(ctx context.Context) error {
	if len(a.cfg.Upgrade) == 0 {
		return nil
	}
	pods, err := a.mirrorPods(ctx)
	if err != nil {
		return err
	}
	current, where := a.runningMinor(pods)
	if current < 0 {
		a.reportf(KL616, ref("ConfigMap", metav1.NamespaceSystem, kubeadmconstants.KubeadmConfigConfigMap), "pass --kubernetes-version or set kubernetesVersion in the ClusterConfiguration",
			"neither the control plane's Pods nor the ClusterConfiguration names the release the cluster runs; the upgrade was not checked")
		return nil
	}
	steps, err := a.upgradeSteps(current)
	if err != nil {
		return err
	}
	for _, s := range steps {
		a.rep.Upgrade = append(a.rep.Upgrade, s.String())
	}
	for i, s := range steps {
		objects := []string{ref("ConfigMap", metav1.NamespaceSystem, kubeadmconstants.KubeadmConfigConfigMap)}
		if i == 0 && len(where) > 0 {
			objects = where
		}
		a.checkSkip(s, objects)
	}
	if err := a.upgradeFlags(ctx, steps, pods); err != nil {
		return err
	}
	if err := a.upgradeConfigMaps(ctx, steps); err != nil {
		return err
	}
	a.upgradeEtcd(steps[len(steps)-1].to)
	return a.upgradeCoreDNS(ctx, steps[0].from, steps[len(steps)-1].to)
}

// checkSkip reports a step kubeadm refuses, on each object that runs its start.
func (a *auditor) checkSkip(s upgradeStep, objects []string) {
	hint := fmt.Sprintf("upgrade one minor release at a time: --upgrade-to %s", path(s.from.Minor, s.to.Minor))
	for _, object := range objects {
		switch {
		case s.to.Minor-s.from.Minor > s.to.UpgradeSkew:
			a.reportf(KL616, object, hint, "the upgrade from v1.%d to v1.%d skips %d minor release(s); kubeadm upgrades %d at a time", s.from.Minor, s.to.Minor, s.to.Minor-s.from.Minor-1, s.to.UpgradeSkew)
		case s.to.Minor < s.from.Minor:
			a.reportf(KL616, object, "kubeadm does not downgrade a cluster", "the target v1.%d is older than the v1.%d that runs", s.to.Minor, s.from.Minor)
		}
	}
}

// path spells the steps from one minor to another for --upgrade-to.
func path(from, to int) string {
	var out []string
	for m := from + 1; m <= to; m++ {
		out = append(out, fmt.Sprintf("v1.%d", m))
	}
	if len(out) == 0 {
		return fmt.Sprintf("v1.%d", to)
	}
	return strings.Join(out, ",")
}

// runningMinor is the oldest minor release the control plane runs, read from its API server
// Pods' images, with those Pods; or, when there are none, the ClusterConfiguration's or the
// API server's. -1 when nothing names one.
func (a *auditor) runningMinor(pods []mirrorPod) (int, []string) {
	minor := -1
	var where []string
	for _, p := range pods {
		if p.component != release.APIServer && p.component != release.ControllerManager && p.component != release.Scheduler || p.minor < 0 {
			continue
		}
		switch {
		case minor < 0 || p.minor < minor:
			minor, where = p.minor, []string{p.object}
		case p.minor == minor:
			where = append(where, p.object)
		}
	}
	if minor >= 0 {
		// One finding per control-plane node is enough: its API server's Pod, when it lags.
		var servers []string
		for _, p := range pods {
			if p.component == release.APIServer && p.minor == minor {
				servers = append(servers, p.object)
			}
		}
		if len(servers) > 0 {
			where = servers
		}
		return minor, where
	}
	if v, err := version.ParseGeneric(a.clusterVersion()); err == nil {
		return int(v.Minor()), nil
	}
	return -1, nil
}

// mirrorPods lists the control plane's mirror Pods in kube-system, a page at a time, keeping
// each one's component, release and flags.
func (a *auditor) mirrorPods(ctx context.Context) ([]mirrorPod, error) {
	var out []mirrorPod
	err := a.kubeSystemPods(ctx, "tier=control-plane", func(p *corev1.Pod) {
		a.rep.Checked++
		if _, mirror := p.Annotations[corev1.MirrorPodAnnotationKey]; !mirror || len(out) >= maxMirrorPods {
			return
		}
		component := p.Labels["component"]
		if !slices.Contains(controlPlane, component) {
			return
		}
		for _, c := range p.Spec.Containers {
			if c.Name != component {
				continue
			}
			m := mirrorPod{object: ref("Pod", p.Namespace, p.Name), component: component, minor: -1, args: commandArgs(c.Command, c.Args)}
			if component != release.Etcd {
				if v, err := version.ParseGeneric(tagOf(c.Image)); err == nil && v.Major() == 1 {
					m.minor = int(v.Minor())
				}
			}
			out = append(out, m)
		}
	})
	if a.forbidden(err, "list", "pods", metav1.NamespaceSystem, "the upgrade checks of the control plane") {
		return nil, nil
	}
	return out, err
}

// tagOf is the tag of an image reference, without a digest; "" when it has none.
func tagOf(image string) string {
	image, _, _ = strings.Cut(image, "@")
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		return image[i+1:]
	}
	return ""
}

// commandArgs returns the --name=value flags of a container's command and args, in order.
func commandArgs(command, args []string) [][2]string {
	var out [][2]string
	for _, s := range append(slices.Clone(command), args...) {
		name, ok := strings.CutPrefix(s, "--")
		if !ok {
			continue
		}
		name, value, _ := strings.Cut(name, "=")
		out = append(out, [2]string{name, value})
	}
	return out
}

// argsField is where a component's flags go in a ClusterConfiguration.
var argsField = map[string]string{
	release.APIServer:         "apiServer",
	release.ControllerManager: "controllerManager",
	release.Scheduler:         "scheduler",
	release.Etcd:              "etcd.local",
}

// upgradeFlags lints each mirror Pod's flags for both ends of each step, with the file rules
// (as the extraArgs of a ClusterConfiguration), and reports what the step's target adds. The
// flags kubeadm itself writes are left out: the target's kubeadm writes its own.
func (a *auditor) upgradeFlags(ctx context.Context, steps []upgradeStep, pods []mirrorPod) error {
	for _, p := range pods {
		args := a.userArgs(p, steps[0].from.Minor)
		if len(args) == 0 {
			continue
		}
		err := a.stepped(steps, func(minor int) ([]lint.Finding, error) { return a.lintFlags(ctx, p, args, minor) }, func(f lint.Finding) {
			f.Pos = lint.Position{File: p.object}
			f.Path = podPath(p, args, f.Path)
			a.rep.Findings = append(a.rep.Findings, f)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// stepped lints for the release that runs and for each step's target, and hands on what each
// target adds to what came before it, once.
func (a *auditor) stepped(steps []upgradeStep, lintAt func(minor int) ([]lint.Finding, error), add func(lint.Finding)) error {
	seen, err := lintAt(steps[0].from.Minor)
	if err != nil {
		return err
	}
	for _, s := range steps {
		after, err := lintAt(s.to.Minor)
		if err != nil {
			return err
		}
		added := lint.Added(seen, after)
		for _, f := range added {
			f.Hint = withStep(f.Hint, s)
			add(f)
		}
		seen = append(seen, added...)
	}
	return nil
}

// userArgs drops the flags that kubeadm writes into every static Pod of the release that runs.
func (a *auditor) userArgs(p mirrorPod, minor int) [][2]string {
	var defaults []release.Arg
	if rel, err := release.Load(fmt.Sprintf("v1.%d", minor)); err == nil && rel.StaticPods() != nil {
		defaults = rel.StaticPods().Args(p.component)
	}
	var out [][2]string
	for _, arg := range p.args {
		if !slices.ContainsFunc(defaults, func(d release.Arg) bool { return d.Name == arg[0] }) {
			out = append(out, arg)
		}
	}
	return out
}

// lintFlags lints args as the component's extraArgs for a release, with every file rule the
// settings run; a release without flag tables has nothing to say.
func (a *auditor) lintFlags(ctx context.Context, p mirrorPod, args [][2]string, minor int) ([]lint.Finding, error) {
	name := fmt.Sprintf("v1.%d", minor)
	rel, err := release.Load(name)
	if err != nil || !slices.Contains(release.Supported(), name) {
		return nil, nil
	}
	linter, err := a.linterAt(name)
	if err != nil {
		return nil, err
	}
	text, err := flagsConfig(p.component, args, rel.Kubernetes, a.cluster.etcdImageTag)
	if err != nil {
		return nil, err
	}
	res, err := linter.Lint(ctx, lint.Source{Name: p.object, Data: text})
	var inputErr *lint.InputError
	if errors.As(err, &inputErr) {
		return nil, nil // flags that make no YAML are no flags the rules know
	}
	if err != nil {
		return nil, err
	}
	var out []lint.Finding
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Path, argsField[p.component]+".extraArgs") {
			out = append(out, f)
		}
	}
	return out, nil
}

// flagsConfig is a ClusterConfiguration whose only extraArgs are a component's flags.
func flagsConfig(component string, args [][2]string, kubernetes, etcdImageTag string) ([]byte, error) {
	list := make([]map[string]string, 0, len(args))
	for _, arg := range args {
		list = append(list, map[string]string{"name": arg[0], "value": arg[1]})
	}
	doc := map[string]any{
		"apiVersion":        "kubeadm.k8s.io/v1beta4",
		"kind":              "ClusterConfiguration",
		"kubernetesVersion": kubernetes,
	}
	switch field := argsField[component]; field {
	case "etcd.local":
		local := map[string]any{"extraArgs": list}
		if etcdImageTag != "" {
			local["imageTag"] = etcdImageTag
		}
		doc["etcd"] = map[string]any{"local": local}
	default:
		doc[field] = map[string]any{"extraArgs": list}
	}
	return yaml.Marshal(doc)
}

var argIndex = regexp.MustCompile(`^[a-zA-Z.]+\.extraArgs\[(\d+)\]`)

// podPath turns an extraArgs path of the synthetic configuration into the flag of the Pod's
// command: spec.containers[kube-apiserver].command[--feature-gates].
func podPath(p mirrorPod, args [][2]string, path string) string {
	m := argIndex.FindStringSubmatch(path)
	if m == nil {
		return fmt.Sprintf("spec.containers[%s].command", p.component)
	}
	i, _ := strconv.Atoi(m[1])
	if i >= len(args) {
		return fmt.Sprintf("spec.containers[%s].command", p.component)
	}
	return fmt.Sprintf("spec.containers[%s].command[--%s]", p.component, args[i][0])
}

// linterAt returns the linter for a release, built once per audit.
func (a *auditor) linterAt(name string) (Linter, error) {
	if l, ok := a.linters[name]; ok {
		return l, nil
	}
	l, err := a.cfg.LinterAt(name)
	if err != nil {
		return nil, err
	}
	if a.linters == nil {
		a.linters = map[string]Linter{}
	}
	a.linters[name] = l
	return l, nil
}

// withStep says in a hint which step of the upgrade brings the finding.
func withStep(hint string, s upgradeStep) string {
	if hint == "" {
		return "the upgrade from " + s.String() + " brings this"
	}
	return hint + " (the upgrade from " + s.String() + ")"
}

// upgradeConfigMaps lints the kubeadm ConfigMaps for each step's target and reports the
// findings the release that runs does not have, at their line.
func (a *auditor) upgradeConfigMaps(ctx context.Context, steps []upgradeStep) error {
	for _, src := range a.sources {
		err := a.stepped(steps, func(minor int) ([]lint.Finding, error) { return a.lintAt(ctx, src, minor) }, func(f lint.Finding) {
			a.rep.Findings = append(a.rep.Findings, f)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// lintAt lints a source for a release with flag tables; none for another.
func (a *auditor) lintAt(ctx context.Context, src lint.Source, minor int) ([]lint.Finding, error) {
	name := fmt.Sprintf("v1.%d", minor)
	if !slices.Contains(release.Supported(), name) {
		return nil, nil
	}
	linter, err := a.linterAt(name)
	if err != nil {
		return nil, err
	}
	res, err := linter.Lint(ctx, src)
	var inputErr *lint.InputError
	switch {
	case errors.As(err, &inputErr):
		return nil, nil // the configMaps check reported it
	case err != nil:
		return nil, err
	}
	out := make([]lint.Finding, 0, len(res.Findings))
	for _, f := range res.Findings {
		f.Doc, f.Node = nil, nil
		out = append(out, f)
	}
	return out, nil
}

// upgradeEtcd reports a custom etcd imageTag that keeps etcd from the target's release.
func (a *auditor) upgradeEtcd(to *release.Upgrade) {
	tag := a.cluster.etcdImageTag
	if tag == "" || tag == to.Etcd {
		return
	}
	a.reportAt(KL618, lint.Position{File: a.clusterConfigSource(), Line: a.cluster.etcdImageTagLine, Column: a.cluster.etcdImageTagColumn}, "etcd.local.imageTag",
		fmt.Sprintf("remove etcd.local.imageTag from the kubeadm-config ConfigMap before the upgrade, or set it to %s", to.Etcd),
		fmt.Sprintf("etcd.local.imageTag %q keeps etcd at its tag through the upgrade to v1.%d, whose kubeadm deploys etcd %s", tag, to.Minor, to.Etcd))
}

func (a *auditor) clusterConfigSource() string {
	return ref("ConfigMap", metav1.NamespaceSystem, kubeadmconstants.KubeadmConfigConfigMap) + "[" + kubeadmconstants.ClusterConfigurationConfigMapKey + "]"
}

// upgradeCoreDNS checks the Corefile from the CoreDNS that runs to the target's, as kubeadm's
// upgrade preflight and its migration do.
func (a *auditor) upgradeCoreDNS(ctx context.Context, from, to *release.Upgrade) error {
	object := ref("ConfigMap", metav1.NamespaceSystem, kubeadmconstants.CoreDNSConfigMap)
	cm, ok, err := get(ctx, a, a.cfg.Client.CoreV1().ConfigMaps(metav1.NamespaceSystem).Get, kubeadmconstants.CoreDNSConfigMap, "configmaps", metav1.NamespaceSystem, "the CoreDNS upgrade check", nil)
	if err != nil || !ok {
		return err
	}
	corefile, ok := cm.Data["Corefile"]
	if !ok {
		return nil
	}
	source := object + "[Corefile]"
	running := a.coreDNSVersion
	if running == "" {
		running = from.CoreDNS
	}
	target := to.CoreDNS
	if running == target {
		return nil
	}
	at := func(plugin string) lint.Position {
		line, col := corefileLine(corefile, plugin)
		return lint.Position{File: source, Line: line, Column: col}
	}
	a.rep.Sources[source] = []byte(corefile)
	unsupported, err := migration.Unsupported(running, target, corefile)
	if err != nil {
		a.reportAt(KL619, lint.Position{File: source}, "", "check the Corefile by hand against the new CoreDNS; kubeadm's CoreDNSMigration preflight check fails on it",
			fmt.Sprintf("kubeadm cannot migrate the Corefile from CoreDNS %s to %s: %v", running, target, err))
		return nil
	}
	reported := map[[2]string]bool{} // the library names a plugin once for each version on the way
	for _, n := range unsupported {
		if reported[[2]string{n.Plugin, n.Option}] {
			continue
		}
		reported[[2]string{n.Plugin, n.Option}] = true
		what := fmt.Sprintf("plugin %q", n.Plugin)
		if n.Option != "" {
			what = fmt.Sprintf("option %q of plugin %q", n.Option, n.Plugin)
		}
		a.reportAt(KL619, at(n.Plugin), "", "remove or replace it; if it works with CoreDNS "+target+", upgrade with --ignore-preflight-errors=CoreDNSUnsupportedPlugins",
			fmt.Sprintf("%s is unknown to CoreDNS from %s on, and v1.%d deploys %s; kubeadm's upgrade preflight stops on it", what, n.Version, to.Minor, target))
	}
	notices, err := migration.Deprecated(running, target, corefile)
	if err != nil {
		return nil // Unsupported said why
	}
	for _, n := range notices {
		if reported[[2]string{n.Plugin, n.Option}] {
			continue
		}
		reported[[2]string{n.Plugin, n.Option}] = true
		sev := lint.SeverityError
		switch n.Severity {
		case "removed":
		case "deprecated", "ignored":
			sev = lint.SeverityWarning
		default:
			continue // a new default kubeadm's migration adds
		}
		what := fmt.Sprintf("plugin %q", n.Plugin)
		if n.Option != "" {
			what = fmt.Sprintf("option %q of plugin %q", n.Option, n.Plugin)
		}
		hint := "remove it before the upgrade"
		if n.ReplacedBy != "" {
			hint = fmt.Sprintf("use %q instead", n.ReplacedBy)
		}
		if a.out.Take(KL619, nil) {
			a.out.Add(KL619, lint.Finding{Severity: sev, Pos: at(n.Plugin), Message: fmt.Sprintf("%s is %s in CoreDNS %s, on the way to the %s of v1.%d", what, n.Severity, n.Version, target, to.Minor), Hint: hint})
		}
	}
	return nil
}

// corefileLine is the line and column of the first line of a Corefile that starts with a
// plugin's name; 0 when none does.
func corefileLine(corefile, plugin string) (int, int) {
	for i, line := range strings.Split(corefile, "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if fields := strings.Fields(trimmed); len(fields) > 0 && fields[0] == plugin {
			return i + 1, len(line) - len(trimmed) + 1
		}
	}
	return 0, 0
}
