package lint

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apimachinery/pkg/util/version"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	kubeproxyv1alpha1 "k8s.io/kube-proxy/config/v1alpha1"
	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
	bootstraptokenv1 "k8s.io/kubernetes/cmd/kubeadm/app/apis/bootstraptoken/v1"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	kubeadmscheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme"
	kubeadmv1beta4 "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/v1beta4"
	"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/validation"
	"k8s.io/kubernetes/cmd/kubeadm/app/constants"
	"k8s.io/kubernetes/cmd/kubeadm/app/features"
	kubeadmutil "k8s.io/kubernetes/cmd/kubeadm/app/util"
	kubeletconfig "k8s.io/kubernetes/pkg/kubelet/apis/config"
	kubeletvalidation "k8s.io/kubernetes/pkg/kubelet/apis/config/validation"
	proxyconfig "k8s.io/kubernetes/pkg/proxy/apis/config"
	proxyscheme "k8s.io/kubernetes/pkg/proxy/apis/config/scheme"
	proxyvalidation "k8s.io/kubernetes/pkg/proxy/apis/config/validation"
	netutils "k8s.io/utils/net"

	"github.com/kubeadm-lint/kubeadm-lint/lint/release"
)

// Placeholders stand in for what kubeadm would read from the host or generate, so that validation
// goes on without touching the machine or the network.
const (
	placeholderToken   = "abcdef.0123456789abcdef"
	placeholderNode    = "node"
	placeholderAddress = "192.0.2.10" // TEST-NET-1
)

// initFields are the InitConfiguration's own top-level fields; validation errors on other fields
// of an InitConfiguration belong to the ClusterConfiguration embedded in it.
var initFields = []string{"nodeRegistration", "bootstrapTokens", "localAPIEndpoint", "certificateKey", "skipPhases", "patches", "timeouts", "dryRun"}

// validateFile does what kubeadm does after decoding: it merges the documents as kubeadm does,
// applies the dynamic defaults that need no host, and runs kubeadm's validation. Unlike kubeadm it
// records every error, each on the document and field it belongs to.
func validateFile(f *File, opts *Options) {
	initDoc, clusterDoc := f.Doc(KindInit), f.Doc(KindCluster)
	if (initDoc != nil || clusterDoc != nil) && decoded(initDoc) && decoded(clusterDoc) {
		validateInit(f, initDoc, clusterDoc, opts)
	}
	if d := f.Doc(KindJoin); d != nil && d.Object != nil {
		cfg := d.Object.(*kubeadmapi.JoinConfiguration).DeepCopy()
		setNodeRegistrationDefaults(d, "nodeRegistration", &cfg.NodeRegistration, cfg.ControlPlane != nil)
		if cfg.ControlPlane != nil {
			setAPIEndpointDefaults(d, "controlPlane.localAPIEndpoint", &cfg.ControlPlane.LocalAPIEndpoint)
		}
		for _, e := range validation.ValidateJoinConfiguration(cfg) {
			d.addFieldError(ProblemValidation, e, "")
		}
	}
	if d := f.Doc(KindReset); d != nil && d.Object != nil {
		cfg := d.Object.(*kubeadmapi.ResetConfiguration).DeepCopy()
		cfg.CRISocket = criSocketDefault(cfg.CRISocket)
		for _, e := range validation.ValidateResetConfiguration(cfg) {
			d.addFieldError(ProblemValidation, e, "")
		}
	}
	if d := f.Doc(KindUpgrade); d != nil && d.Object != nil {
		for _, e := range validation.ValidateUpgradeConfiguration(d.Object.(*kubeadmapi.UpgradeConfiguration)) {
			d.addFieldError(ProblemValidation, e, "")
		}
	}
}

func decoded(d *Document) bool { return d == nil || d.Object != nil }

func validateInit(f *File, initDoc, clusterDoc *Document, opts *Options) {
	var cfg *kubeadmapi.InitConfiguration
	if initDoc != nil {
		cfg = initDoc.Object.(*kubeadmapi.InitConfiguration)
	} else {
		cfg = &kubeadmapi.InitConfiguration{}
		ext := &kubeadmv1beta4.InitConfiguration{}
		kubeadmscheme.Scheme.Default(ext)
		_ = kubeadmscheme.Scheme.Convert(ext, cfg, nil)
	}
	if clusterDoc != nil {
		cfg.ClusterConfiguration = *clusterDoc.Object.(*kubeadmapi.ClusterConfiguration)
	} else {
		ext := &kubeadmv1beta4.ClusterConfiguration{}
		kubeadmscheme.Scheme.Default(ext)
		_ = kubeadmscheme.Scheme.Convert(ext, &cfg.ClusterConfiguration, nil)
	}
	// Route each error to the document that holds the field; fall back to the other one.
	route := func(path string) *Document {
		own, other := clusterDoc, initDoc
		for _, p := range initFields {
			if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
				own, other = initDoc, clusterDoc
			}
		}
		if own != nil {
			return own
		}
		return other
	}

	c := cfg.DeepCopy()
	for i, bt := range c.BootstrapTokens {
		if bt.Token == nil || bt.Token.String() == "" {
			c.BootstrapTokens[i].Token, _ = bootstraptokenv1.NewBootstrapTokenString(placeholderToken)
		}
	}
	setNodeRegistrationDefaults(route("nodeRegistration"), "nodeRegistration", &c.NodeRegistration, true)
	setAPIEndpointDefaults(route("localAPIEndpoint"), "localAPIEndpoint", &c.LocalAPIEndpoint)
	if msg := checkKubernetesVersion(c.KubernetesVersion, opts.Target()); msg != "" {
		route("kubernetesVersion").addProblem(ProblemVersion, "kubernetesVersion", msg)
	}
	if c.ControlPlaneEndpoint != "" {
		if _, _, err := kubeadmutil.ParseHostPort(c.ControlPlaneEndpoint); err != nil {
			route("controlPlaneEndpoint").addProblem(ProblemValidation, "controlPlaneEndpoint", err.Error())
			c.ControlPlaneEndpoint = ""
		}
	}
	targetGates(route("featureGates"), &c.ClusterConfiguration, cfg.FeatureGates, opts.Release())
	for i, san := range c.APIServer.CertSANs {
		c.APIServer.CertSANs[i] = strings.ToLower(san)
	}
	// kubeadm checks every certSANs list; splitCertSANs checks the costly names of each first.
	var errs, sanErrs field.ErrorList
	c.APIServer.CertSANs, sanErrs = splitCertSANs(c.APIServer.CertSANs, field.NewPath("apiServer", "certSANs"))
	errs = append(errs, sanErrs...)
	// kubeadm checks etcd.local's SANs only when etcd.external is not set beside it.
	if local := c.Etcd.Local; local != nil && c.Etcd.External == nil {
		local.ServerCertSANs, sanErrs = splitCertSANs(local.ServerCertSANs, field.NewPath("etcd", "local", "serverCertSANs"))
		errs = append(errs, sanErrs...)
		local.PeerCertSANs, sanErrs = splitCertSANs(local.PeerCertSANs, field.NewPath("etcd", "local", "peerCertSANs"))
		errs = append(errs, sanErrs...)
	}
	for _, e := range append(validation.ValidateInitConfiguration(c), errs...) {
		route(e.Field).addFieldError(ProblemValidation, e, "")
	}
	if initDoc != nil {
		// Rules see the InitConfiguration with the file's ClusterConfiguration, as kubeadm does.
		initDoc.Object = cfg
	}
}

// targetGates makes the validation of kubeadm's feature gates, which is the linked release's,
// the target's: a gate only the target has is taken out before validation, and one only the
// linked release has gets the error the target's kubeadm gives.
func targetGates(d *Document, c *kubeadmapi.ClusterConfiguration, written map[string]bool, target *release.Release) {
	gates := target.Component(release.Kubeadm)
	for _, name := range slices.Sorted(maps.Keys(c.FeatureGates)) {
		_, linked := features.InitFeatureGates[name]
		switch own := gates.Gate(name) != nil; {
		case own && !linked:
			delete(c.FeatureGates, name)
		case !own && linked:
			delete(c.FeatureGates, name)
			e := field.Invalid(field.NewPath("featureGates"), written, fmt.Sprintf("%s is not a valid feature name.", name))
			d.addFieldError(ProblemValidation, e, "")
		}
	}
}

// setNodeRegistrationDefaults mirrors kubeadm's SetNodeRegistrationDynamicDefaults without
// reading the hostname or probing for a container runtime.
func setNodeRegistrationDefaults(d *Document, path string, nro *kubeadmapi.NodeRegistrationOptions, controlPlaneTaint bool) {
	name := strings.ToLower(strings.TrimSpace(nro.Name))
	if name == "" {
		name = placeholderNode
	}
	nro.Name = name
	if controlPlaneTaint && nro.Taints == nil {
		nro.Taints = append(nro.Taints, constants.ControlPlaneTaint)
	}
	nro.CRISocket = criSocketDefault(nro.CRISocket)
}

func criSocketDefault(socket string) string {
	switch {
	case socket == "":
		return constants.DefaultCRISocket
	case !strings.HasPrefix(socket, kubeadmv1beta4.DefaultContainerRuntimeURLScheme):
		return kubeadmv1beta4.DefaultContainerRuntimeURLScheme + "://" + socket
	}
	return socket
}

// setAPIEndpointDefaults mirrors kubeadm's SetAPIEndpointDynamicDefaults. An address kubeadm would
// pick from the host's interfaces becomes a placeholder.
func setAPIEndpointDefaults(d *Document, path string, ep *kubeadmapi.APIEndpoint) {
	ip := netutils.ParseIPSloppy(ep.AdvertiseAddress)
	switch {
	case ip == nil && ep.AdvertiseAddress != "":
		d.addProblem(ProblemValidation, path+".advertiseAddress", fmt.Sprintf(
			"couldn't use %q as \"apiserver-advertise-address\", must be ipv4 or ipv6 address", ep.AdvertiseAddress))
		ep.AdvertiseAddress = placeholderAddress
	case ip == nil, ip.IsUnspecified(), ip.IsLoopback():
		ep.AdvertiseAddress = placeholderAddress
	}
}

var (
	releaseVersion = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)([-\w.+]*)?$`)
	releaseLabel   = regexp.MustCompile(`^((release|ci)/)?((latest|stable)+(-[1-9](\.[1-9](\d)?)?)?)$`)
	ciVersion      = regexp.MustCompile(`^ci/`)
)

// checkKubernetesVersion mirrors kubeadm's NormalizeKubernetesVersion against the target release:
// kubeadm v1.N deploys control planes of v1.(N-1) and later. Labels such as "stable" would be
// resolved over the network, so they count as the target release.
func checkKubernetesVersion(v string, target *version.Version) string {
	if v == "" || releaseLabel.MatchString(v) || ciVersion.MatchString(v) {
		return ""
	}
	if !releaseVersion.MatchString(v) {
		return fmt.Sprintf("version %q doesn't match patterns for neither semantic version nor labels (stable, latest, ...)", v)
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	parsed, err := version.ParseSemantic(v)
	if err != nil {
		return fmt.Sprintf("couldn't parse Kubernetes version %q: %v", v, err)
	}
	minimum := version.MajorMinor(target.Major(), target.Minor()-1)
	if parsed.LessThan(minimum) {
		return fmt.Sprintf("this version of kubeadm only supports deploying clusters with the control plane version >= %d.%d.0. Current version: %s", minimum.Major(), minimum.Minor(), v)
	}
	return ""
}

// validateKubelet runs the kubelet's own validation on the defaulted configuration. kubeadm does
// not validate component configs, but the kubelet refuses to start with these errors.
func validateKubelet(d *Document, ext *kubeletv1beta1.KubeletConfiguration, scheme *runtime.Scheme) {
	defaulted := ext.DeepCopy()
	// The kubelet's defaulting panics on gates its registry refuses. KL211 reports them, against
	// the target release's gates rather than the linked one's.
	defaulted.FeatureGates = linkedGates(release.Kubelet, defaulted.FeatureGates)
	scheme.Default(defaulted)
	internal := &kubeletconfig.KubeletConfiguration{}
	if err := scheme.Convert(defaulted, internal, nil); err != nil {
		d.addProblem(ProblemComponentConfig, "", err.Error())
		return
	}
	// kubeadm fills these before the kubelet sees the file.
	if len(internal.ClusterDNS) == 0 {
		internal.ClusterDNS = []string{"10.96.0.10"}
	}
	// These two checks read the cgroup version of the machine the linter runs on, which says
	// nothing about the node the file is for.
	internal.FailCgroupV1 = false
	internal.SingleProcessOOMKill = nil
	err := kubeletvalidation.ValidateKubeletConfiguration(internal, utilfeature.DefaultFeatureGate)
	for _, e := range flattenErrors(err) {
		d.addProblem(ProblemComponentConfig, kubeletErrorPath(e.Error()), e.Error())
	}
}

// linkedGates returns gates when the linked release's component accepts them, and nil when it
// would refuse them, so that its defaulting and validation see a configuration they accept.
func linkedGates(component string, gates map[string]bool) map[string]bool {
	if len(gates) == 0 {
		return gates
	}
	linked, err := release.Load(release.Linked)
	if err != nil {
		return nil
	}
	var settings []release.GateSetting
	for name, v := range gates {
		settings = append(settings, release.GateSetting{Name: name, Value: v})
	}
	for _, pr := range linked.Component(component).CheckGates(settings) {
		if pr.Kind != release.GateDeprecated {
			return nil
		}
	}
	return gates
}

// kubeletErrorPath takes the field name out of the kubelet's "invalid configuration: field (--flag)
// ..." messages, which carry no field path.
func kubeletErrorPath(msg string) string {
	rest, ok := strings.CutPrefix(msg, "invalid configuration: ")
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, " :")
	if end < 0 {
		return ""
	}
	return strings.TrimSuffix(rest[:end], ",")
}

func flattenErrors(err error) []error {
	if err == nil {
		return nil
	}
	if agg, ok := err.(interface{ Errors() []error }); ok {
		var out []error
		for _, e := range agg.Errors() {
			out = append(out, flattenErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// validateKubeProxy runs kube-proxy's own validation on the defaulted configuration.
func validateKubeProxy(d *Document, ext *kubeproxyv1alpha1.KubeProxyConfiguration) {
	defaulted := ext.DeepCopy()
	defaulted.FeatureGates = linkedGates(release.KubeProxy, defaulted.FeatureGates)
	proxyscheme.Scheme.Default(defaulted)
	internal := &proxyconfig.KubeProxyConfiguration{}
	if err := proxyscheme.Scheme.Convert(defaulted, internal, nil); err != nil {
		d.addProblem(ProblemComponentConfig, "", err.Error())
		return
	}
	for _, e := range proxyvalidation.Validate(internal) {
		e.Field = proxyFieldPath(strings.TrimPrefix(e.Field, "KubeProxyConfiguration."))
		d.addFieldError(ProblemComponentConfig, e, "")
	}
}

// proxyGoNames maps the Go names that kube-proxy's validation puts in its field paths to the
// document's field names.
var proxyGoNames = map[string]string{
	"KubeProxyIPTablesConfiguration":  "iptables",
	"KubeProxyIPVSConfiguration":      "ipvs",
	"KubeProxyNFTablesConfiguration":  "nftables",
	"KubeProxyConntrackConfiguration": "conntrack",
	"KubeProxyWinkernelConfiguration": "winkernel",
}

func proxyFieldPath(p string) string {
	parts := strings.Split(p, ".")
	for i, s := range parts {
		if n, ok := proxyGoNames[s]; ok {
			parts[i] = n
		} else if s != "" {
			parts[i] = strings.ToLower(s[:1]) + s[1:]
		}
	}
	return strings.Join(parts, ".")
}
