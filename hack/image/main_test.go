package main

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "kubeadm-lint-webhook")
	if err := os.WriteFile(bin, []byte("#!/bin/true\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "image.oci.tar")
	if err := build(bin, bin, out, "example.test/webhook:v1"); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := map[string]bool{}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names[hdr.Name] = true
		if hdr.Name == "index.json" {
			data, _ := io.ReadAll(tr)
			if !strings.Contains(string(data), "example.test/webhook:v1") {
				t.Errorf("index.json lacks the reference: %s", data)
			}
		}
	}
	for _, want := range []string{"oci-layout", "index.json", "blobs/sha256/"} {
		if !names[want] {
			t.Errorf("archive lacks %s", want)
		}
	}

	img, err := Image([]byte("x"), []byte("y"), "amd64")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Config.User != "65532:65532" || cfg.Config.Entrypoint[0] != "/kubeadm-lint-webhook" || cfg.OS != "linux" {
		t.Errorf("config: user %q, entrypoint %v, os %s", cfg.Config.User, cfg.Config.Entrypoint, cfg.OS)
	}
	// The cluster audit's CronJob runs the CLI from the same image.
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers: %v, %d", err, len(layers))
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string]string{}
	for lr := tar.NewReader(rc); ; {
		hdr, err := lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(lr)
		files[hdr.Name] = string(data)
	}
	if files["kubeadm-lint-webhook"] != "x" || files["kubeadm-lint"] != "y" {
		t.Errorf("the image lacks a binary: %v", files)
	}
}
