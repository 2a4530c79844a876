// Command noopwebhook is the benchmarks' no-op admission webhook as a process: kubewebhook
// reviews that do nothing (hack/internal/noopwebhook) on kubeadm-lint-webhook's paths, served as
// kubeadm-lint-webhook serves them. It takes the same listening and TLS flags, so that
// hack/apilatency starts either binary the same way behind the same webhook configurations,
// and always serves /readyz and Go's profiles on the health port.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/kubeadm-lint/kubeadm-lint/hack/internal/noopwebhook"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8443", "HTTPS address for admission reviews")
	health := flag.String("health-listen", "127.0.0.1:8080", "plain-HTTP address for /readyz and /debug/pprof/")
	certFile := flag.String("tls-cert-file", "tls.crt", "serving certificate")
	keyFile := flag.String("tls-key-file", "tls.key", "serving key")
	flag.Parse()
	if err := run(*listen, *health, *certFile, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "noopwebhook:", err)
		os.Exit(1)
	}
}

func run(listen, health, certFile, keyFile string) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	srv := webhook.ReviewServer(noopwebhook.Handler(), func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &cert, nil }, logger)
	srv.Addr = listen
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	webhook.HandleProfiles(mux)
	go func() {
		hs := &http.Server{Addr: health, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		logger.Error("health server stopped", "error", hs.ListenAndServe())
	}()
	return srv.ListenAndServeTLS("", "")
}
