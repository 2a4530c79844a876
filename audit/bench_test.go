package audit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/kubeadm-lint/kubeadm-lint/audit"
	"github.com/kubeadm-lint/kubeadm-lint/catalog"
	"github.com/kubeadm-lint/kubeadm-lint/lint"
)

// BenchmarkNodes audits clusters of generated nodes, the size kubelets report (conditions,
// addresses, twenty images), served a page at a time as the API server serves them. It reports
// the peak of the live heap during the audit: with pages, it stays near one page's worth
// whatever the number of nodes; "one-list" asks for all nodes at once, for comparison. The heap
// is the process's, so it includes the server's own page.
func BenchmarkNodes(b *testing.B) {
	for _, c := range []struct {
		nodes    int
		pageSize int64
	}{{500, 0}, {5000, 0}, {5000, 1 << 20}} {
		name := fmt.Sprintf("nodes=%d", c.nodes)
		if c.pageSize != 0 {
			name += "/one-list"
		}
		b.Run(name, func(b *testing.B) {
			srv := httptest.NewServer(nodeServer(c.nodes))
			defer srv.Close()
			cfg := &rest.Config{Host: srv.URL, QPS: -1}
			client, err := kubernetes.NewForConfig(cfg)
			if err != nil {
				b.Fatal(err)
			}
			linter := func(release string) (audit.Linter, error) {
				return lint.New(lint.Config{Rules: catalog.All(), Options: lint.Options{KubernetesVersion: release}})
			}
			var peak uint64
			for b.Loop() {
				stop := sampleHeap(&peak)
				rep, err := audit.Run(context.Background(), audit.Config{Client: client, REST: cfg, Rules: catalog.All(), Linter: linter, PageSize: c.pageSize})
				stop()
				if err != nil {
					b.Fatal(err)
				}
				if rep.Checked < c.nodes {
					b.Fatalf("read %d objects, want the %d nodes at least", rep.Checked, c.nodes)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap records the largest live heap until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// nodeServer serves /version and pages of n generated nodes; everything else is not found.
func nodeServer(n int) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/version", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"major": "1", "minor": "37", "gitVersion": "v1.37.2"})
	})
	mux.HandleFunc("/api/v1/nodes", func(w http.ResponseWriter, r *http.Request) {
		from, _ := strconv.Atoi(r.URL.Query().Get("continue"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = n
		}
		to := min(from+limit, n)
		list := corev1.NodeList{TypeMeta: metav1.TypeMeta{Kind: "NodeList", APIVersion: "v1"}}
		for i := from; i < to; i++ {
			list.Items = append(list.Items, generatedNode(i))
		}
		if to < n {
			list.Continue = strconv.Itoa(to)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(&list)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		status := apierrors.NewNotFound(schema.GroupResource{Resource: r.URL.Path}, "x").ErrStatus
		status.Kind, status.APIVersion = "Status", "v1"
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(&status)
	})
	return mux
}

func generatedNode(i int) corev1.Node {
	name := fmt.Sprintf("worker-%05d", i)
	n := corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
			"topology.kubernetes.io/zone": fmt.Sprintf("zone-%d", i%3),
		}},
		Status: corev1.NodeStatus{
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)},
				{Type: corev1.NodeHostName, Address: name},
			},
			Capacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("8"), corev1.ResourceMemory: resource.MustParse("32Gi"), corev1.ResourcePods: resource.MustParse("110")},
			NodeInfo: corev1.NodeSystemInfo{KubeletVersion: "v1.37.2", ContainerRuntimeVersion: "containerd://2.1.0", OSImage: "Debian GNU/Linux 13", KernelVersion: "6.12.0"},
		},
	}
	for _, t := range []corev1.NodeConditionType{corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure, corev1.NodeReady} {
		status := corev1.ConditionFalse
		if t == corev1.NodeReady {
			status = corev1.ConditionTrue
		}
		n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: t, Status: status, Reason: "Kubelet" + string(t), Message: "kubelet reports " + string(t)})
	}
	for j := range 20 {
		n.Status.Images = append(n.Status.Images, corev1.ContainerImage{
			Names:     []string{fmt.Sprintf("registry.example.com/team-%d/app-%d@sha256:%064d", j%5, j, j), fmt.Sprintf("registry.example.com/team-%d/app-%d:v%d", j%5, j, j)},
			SizeBytes: int64(j+1) << 24,
		})
	}
	return n
}
