// Command kube-scheduler prints the flags and feature gates of the kube-scheduler of the
// release it is built against. It imports what k8s.io/kubernetes/cmd/kube-scheduler
// imports, so that the same packages register their flags and gates.
//
// It also prints, per extension point, the in-tree plugins that implement it, as the release's
// own framework finds them.
package main

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/events"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	v1 "k8s.io/kube-scheduler/config/v1"
	"k8s.io/kubernetes/cmd/kube-scheduler/app"
	"k8s.io/kubernetes/pkg/scheduler"
	"k8s.io/kubernetes/pkg/scheduler/apis/config"
	"k8s.io/kubernetes/pkg/scheduler/apis/config/scheme"
	"k8s.io/kubernetes/pkg/scheduler/framework/plugins"
	"k8s.io/kubernetes/pkg/scheduler/profile"

	"flagdump/kube"
	"flagdump/table"
)

func main() {
	points, err := extensionPoints()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kube-scheduler:", err)
		os.Exit(1)
	}
	kube.DumpCommand("kube-scheduler", app.NewSchedulerCommand(), utilfeature.DefaultMutableFeatureGate, nil, append(kube.TLSSets(), points...)...)
}

// extensionPoints returns, for each extension point of a profile's plugins (named as in
// KubeSchedulerConfiguration: "preFilter"), the in-tree plugins that implement it. The framework
// refuses a plugin enabled at a point whose interface it does not implement ("plugin %q does not
// extend %s plugin"), and expands a multiPoint plugin to the points it implements. So a profile
// that enables the whole registry at multiPoint, built by scheduler.New as kube-scheduler builds
// it, lists each plugin at exactly its points; no interface is named here, so the points are
// those of the release built against.
func extensionPoints() ([]table.Set, error) {
	var enabled []v1.Plugin
	for name := range plugins.NewInTreeRegistry() {
		enabled = append(enabled, v1.Plugin{Name: name})
	}
	// Defaulting adds each plugin's default arguments, which its factory needs.
	versioned := v1.KubeSchedulerConfiguration{Profiles: []v1.KubeSchedulerProfile{{
		Plugins: &v1.Plugins{MultiPoint: v1.PluginSet{Enabled: enabled}},
	}}}
	scheme.Scheme.Default(&versioned)
	var cfg config.KubeSchedulerConfiguration
	if err := scheme.Scheme.Convert(&versioned, &cfg, nil); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := fake.NewClientset()
	sched, err := scheduler.New(ctx, client, informers.NewSharedInformerFactory(client, 0), nil,
		profile.NewRecorderFactory(events.NewBroadcaster(&events.EventSinkImpl{Interface: client.EventsV1()})),
		scheduler.WithProfiles(cfg.Profiles...))
	if err != nil {
		return nil, fmt.Errorf("building a profile of every in-tree plugin: %w", err)
	}
	var fw interface{ ListPlugins() *config.Plugins }
	for _, f := range sched.Profiles {
		fw = f
	}
	listed := reflect.ValueOf(fw.ListPlugins()).Elem()
	const source = "k8s.io/kubernetes/pkg/scheduler/framework/runtime.NewFramework, expanding every plugin of NewInTreeRegistry at multiPoint"
	all := table.Set{Name: "extension-points", Source: "the fields of k8s.io/kubernetes/pkg/scheduler/apis/config.Plugins"}
	var sets []table.Set
	for i := range listed.NumField() {
		field := listed.Type().Field(i)
		if field.Name == "MultiPoint" {
			continue
		}
		point := strings.ToLower(field.Name[:1]) + field.Name[1:] // as KubeSchedulerConfiguration names it
		all.Values = append(all.Values, point)
		var names []string
		for _, p := range listed.Field(i).Interface().(config.PluginSet).Enabled {
			names = append(names, p.Name)
		}
		sets = append(sets, table.Set{Name: "extension-point/" + point, Values: names, Source: source})
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("no extension points in %T", fw.ListPlugins())
	}
	return append(sets, all), nil
}
