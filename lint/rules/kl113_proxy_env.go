package rules

import (
	"fmt"
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL113 = &lint.Rule{
	ID:       "KL113",
	Name:     "proxy-env-no-proxy",
	Summary:  "a component gets HTTP(S)_PROXY without a NO_PROXY that covers the cluster's own addresses",
	Severity: lint.SeverityWarning,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		type envList struct {
			path string
			env  []kubeadmapi.EnvVar
		}
		envs := []envList{
			{"apiServer.extraEnvs", c.APIServer.ExtraEnvs},
			{"controllerManager.extraEnvs", c.ControllerManager.ExtraEnvs},
			{"scheduler.extraEnvs", c.Scheduler.ExtraEnvs},
		}
		if c.Etcd.Local != nil {
			envs = append(envs, envList{"etcd.local.extraEnvs", c.Etcd.Local.ExtraEnvs})
		}
		need := []string{c.Networking.ServiceSubnet, c.Networking.PodSubnet, ".svc", c.Networking.DNSDomain}
		for _, e := range envs {
			proxy, noProxy, noProxyAt := -1, "", -1
			for i, v := range e.env {
				switch strings.ToUpper(v.Name) {
				case "HTTP_PROXY", "HTTPS_PROXY":
					proxy = i
				case "NO_PROXY":
					noProxy, noProxyAt = v.Value, i
				}
			}
			if proxy < 0 {
				continue
			}
			var missing []string
			for _, n := range need {
				for _, part := range strings.Split(n, ",") {
					if part != "" && !strings.Contains(noProxy, strings.TrimSpace(part)) {
						missing = append(missing, part)
					}
				}
			}
			if len(missing) == 0 {
				continue
			}
			at := lint.PathIndex(e.path, proxy)
			if noProxyAt >= 0 {
				at = lint.PathIndex(e.path, noProxyAt)
			}
			p.Report(p.Doc, lint.Finding{Path: at,
				Message: fmt.Sprintf("%s sets %s but NO_PROXY lacks %s", e.path, e.env[proxy].Name, strings.Join(missing, ", ")),
				Hint:    "add them to NO_PROXY, or calls to Services, Pods and webhooks go to the proxy and time out"})
		}
	},
	Doc: doc(`
Control-plane components honour HTTP_PROXY and HTTPS_PROXY. Without a NO_PROXY that covers the
serviceSubnet, the podSubnet, ".svc" and the cluster domain, the API server sends admission
webhook calls, aggregated API calls and etcd traffic to the proxy, which cannot reach them:
'kubeadm upgrade plan' reports "context deadline exceeded" and webhooks time out.`, `
apiServer:
  extraEnvs:
  - name: HTTPS_PROXY
    value: http://proxy.example.com:3128`, `
apiServer:
  extraEnvs:
  - name: HTTPS_PROXY
    value: http://proxy.example.com:3128
  - name: NO_PROXY
    value: 10.96.0.0/12,10.244.0.0/16,.svc,cluster.local,192.168.10.0/24`, `the kubeadm troubleshooting guide ("kubeadm upgrade plan prints out context deadline exceeded"); kubernetes/kubeadm#324.`),
}
