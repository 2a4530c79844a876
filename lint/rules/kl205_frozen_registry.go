package rules

import (
	"strings"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"

	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

var KL205 = &lint.Rule{
	ID:       "KL205",
	Name:     "frozen-image-registry",
	Summary:  "imageRepository points at k8s.gcr.io, which is frozen and has no current images",
	Severity: lint.SeverityError,
	Kinds:    []string{lint.KindCluster},
	Run: func(p *lint.Pass) {
		c, ok := object[*kubeadmapi.ClusterConfiguration](p)
		if !ok {
			return
		}
		repos := map[string]string{"imageRepository": c.ImageRepository, "dns.imageRepository": c.DNS.ImageRepository}
		if c.Etcd.Local != nil {
			repos["etcd.local.imageRepository"] = c.Etcd.Local.ImageRepository
		}
		for _, path := range []string{"imageRepository", "dns.imageRepository", "etcd.local.imageRepository"} {
			repo := repos[path]
			if repo != "k8s.gcr.io" && !strings.HasPrefix(repo, "k8s.gcr.io/") {
				continue
			}
			fixed := "registry.k8s.io" + strings.TrimPrefix(repo, "k8s.gcr.io")
			p.Report(p.Doc, lint.Finding{
				Path:    path,
				Message: "image repository " + quote(repo) + " is frozen since April 2023",
				Hint:    "use " + quote(fixed) + ", as k8s.gcr.io holds no image of a supported release",
				Fixes:   []lint.Fix{{Message: "use registry.k8s.io", Edits: []lint.Edit{{Path: path, Value: fixed}}}},
			})
		}
	},
	Doc: doc(`
The k8s.gcr.io registry was frozen in April 2023 and redirects to registry.k8s.io only for the
images it already had. It has no image of any release kubeadm can deploy today, so 'kubeadm init'
fails pulling them. Old guides and air-gap scripts still carry it.`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
imageRepository: k8s.gcr.io`, `
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
imageRepository: registry.k8s.io`, `Kubernetes blog, "k8s.gcr.io Image Registry Will Be Frozen From the 3rd of April 2023".`),
}
