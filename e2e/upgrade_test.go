package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
)

// TestClusterUpgrade checks 'kubeadm-lint cluster --upgrade-to' through the real API server,
// on a cluster whose objects kubeadm's own code renders at v1.36 (then v1.35): the kubeadm
// ConfigMaps, CoreDNS, and the control plane's static Pods, posted as the kubelet posts their
// mirror Pods. The scenarios run in order, each planting its fault on the one before.
func TestClusterUpgrade(t *testing.T) {
	e := newAuditEnv(t)
	kc := e.writeKubeconfig(t)
	k := e.kubeadmAt(t, "v1.36.3", nil)
	e.phases(t, k, kc)
	e.mirrorPods(t, k, nil)
	e.node(t, "cp-1", "10.0.0.10", "v1.36.3", readyCondition())

	t.Run("clean: a v1.36 cluster has nothing to say about v1.37", func(t *testing.T) {
		code, findings, stderr := e.upgradeTo(t, "v1.37")
		for _, f := range findings {
			// kubeadm's own kubelet-config has KL305's info (serverTLSBootstrap off): the
			// audit's, as on any kubeadm cluster; nothing else may show.
			if isUpgradeFinding(f) || f.Severity != "info" {
				t.Errorf("finding on the clean cluster: %+v", f)
			} else {
				t.Logf("%s %s %s: %s", f.Severity, f.Rule, f.Object, f.Message)
			}
		}
		if code != 0 {
			t.Errorf("exit %d, want 0", code)
		}
		if !strings.Contains(stderr, "checked the upgrade v1.36 to v1.37") {
			t.Errorf("stderr does not name the step checked: %q", stderr)
		}
	})

	t.Run("rbac: the ClusterRole in manifests/audit grants every read the upgrade check makes", func(t *testing.T) {
		e.upgrade = []string{"v1.37"}
		defer func() { e.upgrade = nil }()
		e.auditRole(t)
	})

	t.Run("flags: a flag and a gate removed in v1.37 are errors on their mirror Pods", func(t *testing.T) {
		e.mirrorPods(t, k, map[string][]string{
			"kube-controller-manager": {"--concurrent-service-syncs=5"},
			"kube-apiserver":          {"--feature-gates=SidecarContainers=true"},
		})
		code, findings, _ := e.upgradeTo(t, "v1.37")
		want(t, findings, "KL208", "pod/kube-system/kube-controller-manager-cp-1", "error", "concurrent-service-syncs")
		want(t, findings, "KL211", "pod/kube-system/kube-apiserver-cp-1", "error", "SidecarContainers")
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		// The same flags are fine for v1.36: no upgrade, no finding on the Pods.
		_, findings = e.jsonFindings(t)
		for _, f := range findings {
			if strings.HasPrefix(f.Object, "pod/") {
				t.Errorf("a finding on a Pod without --upgrade-to: %+v", f)
			}
		}
	})

	t.Run("skew: a kubelet four minors behind the target, not three", func(t *testing.T) {
		e.node(t, "worker-1", "10.0.0.21", "v1.33.5", readyCondition())
		e.node(t, "worker-2", "10.0.0.22", "v1.34.4", readyCondition())
		_, findings, _ := e.upgradeTo(t, "v1.37")
		want(t, findings, "KL617", "node/worker-1", "error", "v1.33.5")
		for _, f := range findings {
			if f.Rule == "KL617" && f.Object != "node/worker-1" {
				t.Errorf("skew finding on a kubelet within the policy: %+v", f)
			}
		}
	})

	t.Run("etcd: a custom imageTag", func(t *testing.T) {
		e.upload(t, e.kubeadmAt(t, "v1.36.3", func(c *kubeadmapi.InitConfiguration) { c.Etcd.Local.ImageTag = "3.5.21-0" }), kc)
		_, findings, _ := e.upgradeTo(t, "v1.37")
		f := want(t, findings, "KL618", "configmap/kube-system/kubeadm-config[ClusterConfiguration]", "warning", "3.5.21-0")
		if f != nil && f.Line == 0 {
			t.Errorf("the etcd finding has no line: %+v", f)
		}
		e.upload(t, k, kc)
	})

	t.Run("coredns: a plugin the target's CoreDNS lacks", func(t *testing.T) {
		ctx := context.Background()
		cm, err := e.client.CoreV1().ConfigMaps("kube-system").Get(ctx, "coredns", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cm.Data["Corefile"] = strings.Replace(cm.Data["Corefile"], "    loop\n", "    loop\n    proxy . 8.8.8.8\n", 1)
		if !strings.Contains(cm.Data["Corefile"], "proxy") {
			t.Fatalf("kubeadm's Corefile changed shape:\n%s", cm.Data["Corefile"])
		}
		if _, err := e.client.CoreV1().ConfigMaps("kube-system").Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		_, findings, _ := e.upgradeTo(t, "v1.37")
		f := want(t, findings, "KL619", "configmap/kube-system/coredns[Corefile]", "error", `"proxy"`)
		if f != nil && f.Line == 0 {
			t.Errorf("the Corefile finding has no line: %+v", f)
		}
	})

	t.Run("skip: a v1.35 cluster cannot go to v1.37 in one step", func(t *testing.T) {
		k35 := e.kubeadmAt(t, "v1.35.4", nil)
		e.upload(t, k35, kc)
		e.mirrorPods(t, k35, nil)
		_, findings, _ := e.upgradeTo(t, "v1.37")
		want(t, findings, "KL616", "pod/kube-system/kube-apiserver-cp-1", "error", "v1.35 to v1.37")
		// Named step by step, the path is checked one release after the other.
		_, findings, stderr := e.upgradeTo(t, "v1.36,v1.37")
		for _, f := range findings {
			if f.Rule == "KL616" {
				t.Errorf("a skipped minor on a path that skips none: %+v", f)
			}
		}
		if !strings.Contains(stderr, "v1.35 to v1.36, then v1.36 to v1.37") {
			t.Errorf("stderr does not name both steps: %q", stderr)
		}
	})

	t.Run("unreachable: exit 2 with one line", func(t *testing.T) {
		res := e.run(t, "cluster", "--upgrade-to", "v1.37", "--kubeconfig", e.unreachableKubeconfig(t))
		lines := strings.Split(strings.TrimSpace(res.stderr), "\n")
		if res.code != 2 || len(lines) != 1 || res.stdout != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line", res.code, res.stdout, res.stderr)
		}
		// Not a measure of speed: a margin only a run that ignores its timeout exceeds.
		if res.took > 20*time.Second {
			t.Errorf("took %v", res.took)
		}
	})
}

// isUpgradeFinding says whether a finding comes from the upgrade check.
func isUpgradeFinding(f jsonFinding) bool {
	switch f.Rule {
	case "KL616", "KL617", "KL618", "KL619":
		return true
	}
	return strings.HasPrefix(f.Object, "pod/") || strings.Contains(f.Hint, "the upgrade from v1.")
}

// want returns the finding of rule on object with severity whose message contains substr, and
// fails the test when there is none.
func want(t *testing.T, findings []jsonFinding, rule, object, severity, substr string) *jsonFinding {
	t.Helper()
	for i, f := range findings {
		if f.Rule == rule && f.Object == object && f.Severity == severity && strings.Contains(f.Message, substr) {
			t.Logf("%s %s %s:%d: %s (%s)", f.Severity, f.Rule, f.Object, f.Line, f.Message, f.Hint)
			return &findings[i]
		}
	}
	t.Errorf("no %s %s on %s quoting %q; have:", severity, rule, object, substr)
	for _, f := range findings {
		t.Logf("  %s %s %s:%d: %s", f.Severity, f.Rule, f.Object, f.Line, f.Message)
	}
	return nil
}

// upgradeTo runs 'kubeadm-lint cluster --upgrade-to' with --format json.
func (e *auditEnv) upgradeTo(t *testing.T, to string) (int, []jsonFinding, string) {
	t.Helper()
	res := e.run(t, "cluster", "--format", "json", "--upgrade-to", to)
	var out struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("exit %d, stderr %q: %v\n%s", res.code, res.stderr, err, res.stdout)
	}
	return res.code, out.Findings, res.stderr
}

func (e *auditEnv) kubeadmAt(t *testing.T, version string, edit func(*kubeadmapi.InitConfiguration)) *Kubeadm {
	t.Helper()
	k, err := NewKubeadmAt(version, edit)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// upload is the upload-config phase again, as 'kubeadm init phase upload-config' runs it.
func (e *auditEnv) upload(t *testing.T, k *Kubeadm, _ *clientcmdapi.Config) {
	t.Helper()
	if err := k.UploadConfig(e.client); err != nil {
		t.Fatal(err)
	}
}

// mirrorPods posts kubeadm's static Pods for node cp-1 as the kubelet posts their mirror Pods,
// replacing those there are, with extra flags added to the named components' commands.
func (e *auditEnv) mirrorPods(t *testing.T, k *Kubeadm, extra map[string][]string) {
	t.Helper()
	ctx := context.Background()
	pods := e.client.CoreV1().Pods("kube-system")
	for component, pod := range k.StaticPods() {
		name := component + "-cp-1"
		err := pods.Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: new(int64)})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		for {
			_, err := pods.Get(ctx, name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		pod.Name, pod.Namespace = name, "kube-system"
		if pod.Annotations == nil {
			pod.Annotations = map[string]string{}
		}
		// What the kubelet adds to a static Pod it mirrors.
		pod.Annotations[corev1.MirrorPodAnnotationKey] = fmt.Sprintf("%x", len(name))
		pod.Annotations["kubernetes.io/config.source"] = "file"
		pod.Spec.NodeName = "cp-1"
		pod.Spec.Containers[0].Command = append(pod.Spec.Containers[0].Command, extra[component]...)
		if _, err := pods.Create(ctx, &pod, metav1.CreateOptions{}); err != nil {
			t.Fatalf("posting the mirror Pod %s: %v", name, err)
		}
	}
}

// unreachableKubeconfig points at a port where nothing listens.
func (e *auditEnv) unreachableKubeconfig(t *testing.T) string {
	t.Helper()
	kc := clientcmdapi.NewConfig()
	kc.Clusters["down"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1", InsecureSkipTLSVerify: true}
	kc.AuthInfos["down"] = &clientcmdapi.AuthInfo{Token: "x"}
	kc.Contexts["down"] = &clientcmdapi.Context{Cluster: "down", AuthInfo: "down"}
	kc.CurrentContext = "down"
	path := filepath.Join(e.dir, "down.conf")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatal(err)
	}
	return path
}
