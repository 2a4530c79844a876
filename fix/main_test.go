package fix_test

import (
	"flag"
	"io"
	"os"
	"testing"

	"k8s.io/klog/v2"
)

var update = flag.Bool("update", false, "rewrite the goldens in testdata/fix")

func TestMain(m *testing.M) {
	// A child process of TestReplaceSurvivesKill does one write and is killed in it.
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(runChild(spec))
	}
	// kubeadm's code logs feature-gate notes through klog; the tests check what matters.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	os.Exit(m.Run())
}
