// Command image builds the webhook's container image as an OCI archive without a Docker
// daemon: one layer on an empty base holding the static binary and a passwd file for the
// nonroot user, as distroless/static:nonroot would. Load it with 'podman load', 'skopeo copy
// oci-archive:...' or 'ctr images import'.
//
//	go run ./hack/image -binary bin/image/kubeadm-lint-webhook -out bin/kubeadm-lint-webhook.oci.tar
package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// nonroot is distroless's unprivileged user; manifests/base runs as it.
const nonroot = 65532

func main() {
	binary := flag.String("binary", "", "static kubeadm-lint-webhook binary (CGO_ENABLED=0)")
	cli := flag.String("cli", "", "static kubeadm-lint binary, for the cluster audit's CronJob (CGO_ENABLED=0)")
	out := flag.String("out", "bin/kubeadm-lint-webhook.oci.tar", "OCI archive to write")
	ref := flag.String("ref", "ghcr.io/kubeadm-lint/kubeadm-lint-webhook:dev", "image reference recorded in the archive")
	flag.Parse()
	if err := build(*binary, *cli, *out, *ref); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
	fmt.Println(*out)
}

func build(binary, cli, out, ref string) error {
	if binary == "" || cli == "" {
		return errors.New("-binary and -cli are required")
	}
	bin, err := os.ReadFile(binary)
	if err != nil {
		return err
	}
	cliBin, err := os.ReadFile(cli)
	if err != nil {
		return err
	}
	img, err := Image(bin, cliBin, runtime.GOARCH)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), ".oci-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": ref})); err != nil {
		return err
	}
	return tarDir(dir, out)
}

// Image returns the image for a webhook binary and the CLI, which the cluster audit's CronJob
// runs as /kubeadm-lint.
func Image(binary, cli []byte, arch string) (v1.Image, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	// A fixed time keeps the digest reproducible.
	epoch := time.Unix(0, 0)
	files := []struct {
		name string
		mode int64
		data []byte
	}{
		{"etc/passwd", 0o644, fmt.Appendf(nil, "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/home/nonroot:/sbin/nologin\n", nonroot, nonroot)},
		{"etc/group", 0o644, fmt.Appendf(nil, "root:x:0:\nnonroot:x:%d:\n", nonroot)},
		{"kubeadm-lint-webhook", 0o755, binary},
		{"kubeadm-lint", 0o755, cli},
	}
	for _, d := range []string{"etc/", "home/", "home/nonroot/"} {
		hdr := &tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: epoch}
		if d == "home/nonroot/" {
			hdr.Uid, hdr.Gid = nonroot, nonroot
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: epoch, Typeflag: tar.TypeReg}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", arch
	cfg.Created = v1.Time{Time: epoch}
	cfg.Config.Entrypoint = []string{"/kubeadm-lint-webhook"}
	cfg.Config.User = fmt.Sprintf("%d:%d", nonroot, nonroot)
	cfg.Config.WorkingDir = "/home/nonroot"
	cfg.Config.ExposedPorts = map[string]struct{}{"8443/tcp": {}, "8080/tcp": {}}
	return mutate.ConfigFile(img, cfg)
}

// tarDir archives an OCI layout directory; the archive is what oci-archive: transports read.
func tarDir(dir, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
