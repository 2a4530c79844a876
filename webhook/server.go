package webhook

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server serves the reviews over TLS and health and metrics over plain HTTP.
type Server struct {
	cfg     Config
	logger  *slog.Logger
	certs   *CertReloader
	webhook *Webhook
	reg     *prometheus.Registry

	tlsLn, healthLn net.Listener
	ready           atomic.Bool
}

// NewServer loads the certificate and binds both listeners, so that a missing certificate or a
// port in use fails here, before anything is served.
func NewServer(cfg Config, logger *slog.Logger) (*Server, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	wh, err := New(cfg, logger, reg) // validates cfg before anything else
	if err != nil {
		return nil, err
	}
	certs, err := NewCertReloader(cfg.TLS.CertFile, cfg.TLS.KeyFile, logger)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, logger: logger, certs: certs, webhook: wh, reg: reg}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "kubeadm_lint_webhook_serving_certificate_expiry_timestamp_seconds",
		Help: "When the serving certificate expires, in seconds since the Unix epoch.",
	}, func() float64 { return float64(certs.NotAfter().Unix()) }))
	if s.tlsLn, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("listening for reviews: %w", err)
	}
	if s.healthLn, err = net.Listen("tcp", cfg.HealthListen); err != nil {
		s.tlsLn.Close()
		return nil, fmt.Errorf("listening for health checks: %w", err)
	}
	return s, nil
}

// Addr is the address reviews are served on; useful when Listen asked for port 0.
func (s *Server) Addr() net.Addr { return s.tlsLn.Addr() }

// HealthAddr is the address of /healthz, /readyz and /metrics.
func (s *Server) HealthAddr() net.Addr { return s.healthLn.Addr() }

// Run serves until ctx is cancelled. Then /readyz turns false at once, so that the Service stops
// sending new reviews, and in-flight reviews get up to ShutdownGrace to finish.
func (s *Server) Run(ctx context.Context) error {
	tlsSrv := reviewServer(s.webhook.Handler(), s.certs.GetCertificate, s.cfg.timeouts.orDefault(), s.logger)
	healthSrv := &http.Server{Handler: s.healthHandler(), ReadHeaderTimeout: 5 * time.Second}

	go s.certs.Watch(ctx, s.cfg.TLS.ReloadInterval.Duration)
	errc := make(chan error, 2)
	go func() { errc <- tlsSrv.ServeTLS(s.tlsLn, "", "") }()
	go func() { errc <- healthSrv.Serve(s.healthLn) }()
	s.ready.Store(true)
	s.logger.Info("serving", "reviews", s.tlsLn.Addr().String(), "health", s.healthLn.Addr().String())

	select {
	case err := <-errc:
		tlsSrv.Close()
		healthSrv.Close()
		return err
	case <-ctx.Done():
	}
	s.ready.Store(false)
	s.logger.Info("shutting down", "grace", s.cfg.ShutdownGrace.Duration)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace.Duration)
	defer cancel()
	err := tlsSrv.Shutdown(shutdownCtx)
	healthSrv.Close()
	if err != nil {
		return fmt.Errorf("draining reviews: %w", err)
	}
	return nil
}

// ReviewServer is the HTTPS server reviews are served with, for a benchmark's yardstick to be
// served the same way (hack/noopwebhook).
func ReviewServer(h http.Handler, getCert func(*tls.ClientHelloInfo) (*tls.Certificate, error), logger *slog.Logger) *http.Server {
	return reviewServer(h, getCert, timeouts{}.orDefault(), logger)
}

func reviewServer(h http.Handler, getCert func(*tls.ClientHelloInfo) (*tls.Certificate, error), to timeouts, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler: h,
		TLSConfig: &tls.Config{
			MinVersion:     tls.VersionTLS12,
			GetCertificate: getCert,
		},
		// The shortest of these also bounds the TLS handshake: a client that connects and
		// says nothing, or dribbles its headers or body, is cut off.
		ReadHeaderTimeout: to.readHeader,
		ReadTimeout:       to.read,
		WriteTimeout:      to.write,
		IdleTimeout:       to.idle,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// HandleProfiles serves net/http/pprof's handlers on mux, under /debug/pprof/.
func HandleProfiles(mux *http.ServeMux) {
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
}

func (s *Server) healthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.ready.Load() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		// An expired certificate fails every handshake: not ready, so that the Service routes
		// around this replica and the probe says why.
		expiry := s.certs.NotAfter().UTC().Format(time.RFC3339)
		if time.Now().After(s.certs.NotAfter()) {
			http.Error(w, "serving certificate expired at "+expiry, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok; serving certificate expires at "+expiry)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg}))
	if s.cfg.Profiling {
		HandleProfiles(mux)
	}
	return mux
}
