package webhook

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/config"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
	"github.com/kubeadm-lint/kubeadm-lint/lint/kubeadm"
)

// Mode says what the ConfigMap validator does with errors.
type Mode string

const (
	// ModeWarn returns every finding as an admission warning and never denies.
	ModeWarn Mode = "warn"
	// ModeEnforce denies a ConfigMap with an error-severity finding.
	ModeEnforce Mode = "enforce"
)

// Config configures the webhook and its server. Its YAML form is the --config file; flags
// override it field by field.
type Config struct {
	// Listen is the HTTPS address the API server calls.
	Listen string `json:"listen"`
	// HealthListen is the plain-HTTP address of /healthz, /readyz and /metrics.
	HealthListen string `json:"healthListen"`
	TLS          TLS    `json:"tls"`
	// ShutdownGrace bounds how long in-flight reviews may take to finish after SIGTERM.
	ShutdownGrace Duration `json:"shutdownGrace"`
	// Profiling serves Go's profiles (net/http/pprof) under /debug/pprof/ on HealthListen, as
	// the control-plane components' --profiling does. Off by default: the port is plain HTTP.
	Profiling bool `json:"profiling,omitempty"`

	KubeProxy  KubeProxy  `json:"kubeProxy"`
	CoreDNS    CoreDNS    `json:"coreDNS"`
	ConfigMaps ConfigMaps `json:"configMaps"`
	ClusterAPI ClusterAPI `json:"clusterAPI"`

	// timeouts is left zero (the defaults) outside tests, which shorten it to see slow clients
	// cut off without waiting seconds.
	timeouts timeouts
}

// timeouts bound how long a client may hold a review connection: the handshake and the request
// headers, the whole request, the response, and an idle keep-alive connection.
type timeouts struct {
	readHeader, read, write, idle time.Duration
}

// orDefault fills the zero value with what the API server needs: it sends a review in well
// under a second and gives up after the webhook's timeoutSeconds (at most 30).
func (t timeouts) orDefault() timeouts {
	if t == (timeouts{}) {
		return timeouts{readHeader: 5 * time.Second, read: 10 * time.Second, write: 10 * time.Second, idle: 90 * time.Second}
	}
	return t
}

// TLS names the serving certificate files. They are reloaded when they change on disk.
type TLS struct {
	CertFile string `json:"certFile"`
	KeyFile  string `json:"keyFile"`
	// ReloadInterval is how often the files are checked for changes.
	ReloadInterval Duration `json:"reloadInterval"`
}

// KubeProxy configures the kube-proxy DaemonSet mutator.
type KubeProxy struct {
	// Tolerations replace the DaemonSet's pod tolerations. Empty means kubeadm.DefaultTolerations.
	Tolerations []corev1.Toleration `json:"tolerations"`
	// KeepUninitialized adds a toleration of node.cloudprovider.kubernetes.io/uninitialized. A
	// cloud-controller-manager that reaches the API server through the kubernetes Service IP
	// needs kube-proxy before it can initialise the node; without this, neither starts.
	KeepUninitialized bool `json:"keepUninitialized"`
}

// CoreDNS configures the opt-in CoreDNS mutator.
type CoreDNS struct {
	// AllowPrivilegeEscalation sets allowPrivilegeEscalation: true on the coredns container, the
	// guide's fix for SELinux hosts with Docker older than 1.13. It weakens the pod's security.
	AllowPrivilegeEscalation bool `json:"allowPrivilegeEscalation"`
}

// ConfigMaps configures the validator of the ConfigMaps kubeadm stores.
type ConfigMaps struct {
	Mode Mode `json:"mode"`
	// KubernetesVersion is the release the stored configs are linted for, as "v1.37".
	KubernetesVersion string `json:"kubernetesVersion"`
	// Rules are the settings file's rules, read by the same code: a rule ID to off, or to the
	// severity its findings are reported with.
	Rules map[string]string `json:"rules"`
}

// ClusterAPI configures the validator of Cluster API's KubeadmControlPlane,
// KubeadmControlPlaneTemplate and KubeadmConfigTemplate objects in a management cluster. The
// route is always served; the API server calls it only where the webhook configuration
// registers it (the chart's clusterAPI.enabled, the kustomize component cluster-api).
type ClusterAPI struct {
	// Mode says what errors do. In enforce mode an UPDATE is denied only for errors it
	// introduces: one the stored object already has is a warning, so that a write that fixes
	// something else, or scales the control plane, is never held back by an old mistake.
	Mode Mode `json:"mode"`
	// KubernetesVersion is the release an object that names none is linted for: a
	// KubeadmConfigTemplate or a KubeadmControlPlaneTemplate, whose version comes from the
	// MachineDeployment or the Cluster's topology, which a review does not see. A
	// KubeadmControlPlane is linted for its spec.version.
	KubernetesVersion string `json:"kubernetesVersion"`
	// Rules are as ConfigMaps.Rules.
	Rules map[string]string `json:"rules"`
}

// rulesPolicy reads a section's rules as .kubeadm-lint.yaml's rules section, against the
// catalog.
func rulesPolicy(section string, rules map[string]string) (lint.Policy, error) {
	if len(rules) == 0 {
		return lint.Policy{}, nil
	}
	data, err := yaml.Marshal(map[string]any{"rules": rules})
	if err != nil {
		return lint.Policy{}, err
	}
	settings, err := config.Parse(section, data, catalog.All())
	if err != nil {
		return lint.Policy{}, err
	}
	return settings.Policy(nil), nil
}

func (c ConfigMaps) policy() (lint.Policy, error) { return rulesPolicy("configMaps", c.Rules) }
func (c ClusterAPI) policy() (lint.Policy, error) { return rulesPolicy("clusterAPI", c.Rules) }

// Duration is a time.Duration written as "5s" in YAML.
type Duration struct{ time.Duration }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("invalid duration %s: want a value such as \"10s\"", b)
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

const defaultReloadPeriod = 10 * time.Second

// DefaultConfig returns the configuration used when no file or flag says otherwise.
func DefaultConfig() Config {
	return Config{
		Listen:        ":8443",
		HealthListen:  ":8080",
		TLS:           TLS{CertFile: "/etc/kubeadm-lint-webhook/tls/tls.crt", KeyFile: "/etc/kubeadm-lint-webhook/tls/tls.key", ReloadInterval: Duration{defaultReloadPeriod}},
		ShutdownGrace: Duration{20 * time.Second},
		ConfigMaps:    ConfigMaps{Mode: ModeWarn, KubernetesVersion: lint.DefaultKubernetesVersion},
		ClusterAPI:    ClusterAPI{Mode: ModeWarn, KubernetesVersion: lint.DefaultKubernetesVersion},
	}
}

// LoadConfig reads a YAML config file over DefaultConfig. Unknown fields are errors.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("reading config: %w", err)
	}
	if err := yaml.UnmarshalStrict(data, &cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Validate reports every problem with the configuration at once.
func (c *Config) Validate() error {
	var errs []error
	for name, addr := range map[string]string{"listen": c.Listen, "healthListen": c.HealthListen} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s: invalid address %q", name, addr))
		}
	}
	if c.Listen == c.HealthListen && !strings.HasSuffix(c.Listen, ":0") {
		errs = append(errs, fmt.Errorf("listen and healthListen must differ, both are %q", c.Listen))
	}
	if c.TLS.CertFile == "" || c.TLS.KeyFile == "" {
		errs = append(errs, errors.New("tls: certFile and keyFile are required"))
	}
	if c.TLS.ReloadInterval.Duration <= 0 {
		errs = append(errs, errors.New("tls.reloadInterval must be positive"))
	}
	if c.ShutdownGrace.Duration <= 0 {
		errs = append(errs, errors.New("shutdownGrace must be positive"))
	}
	for i, t := range c.KubeProxy.Tolerations {
		if err := kubeadm.CheckToleration(t); err != nil {
			errs = append(errs, fmt.Errorf("kubeProxy.tolerations[%d]: %w", i, err))
		}
	}
	for _, s := range []struct {
		name, version string
		mode          Mode
		policy        func() (lint.Policy, error)
	}{
		{"configMaps", c.ConfigMaps.KubernetesVersion, c.ConfigMaps.Mode, c.ConfigMaps.policy},
		{"clusterAPI", c.ClusterAPI.KubernetesVersion, c.ClusterAPI.Mode, c.ClusterAPI.policy},
	} {
		if s.mode != ModeWarn && s.mode != ModeEnforce {
			errs = append(errs, fmt.Errorf("%s.mode: %q is neither %q nor %q", s.name, s.mode, ModeWarn, ModeEnforce))
		}
		if _, err := s.policy(); err != nil {
			errs = append(errs, err)
		}
		// "" is lint.Options' default release.
		if s.version != "" {
			if _, err := lint.ParseTarget(s.version); err != nil {
				errs = append(errs, fmt.Errorf("%s.kubernetesVersion: %w", s.name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// tolerations returns the list the kube-proxy mutator enforces.
func (k KubeProxy) tolerations() []corev1.Toleration {
	return kubeadm.Tolerations(k.Tolerations, k.KeepUninitialized)
}
