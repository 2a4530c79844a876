package e2e

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/kubeadm-lint/kubeadm-lint/internal/cert"
	"github.com/kubeadm-lint/kubeadm-lint/webhook"
)

// Webhook is the webhook server running in this process.
type Webhook struct {
	*webhook.Server
	CA                *cert.CA
	CertFile, KeyFile string
	cancel            context.CancelFunc
	done              chan error
}

// StartWebhook runs the webhook on a free loopback port with a serving certificate from a new CA.
func StartWebhook(dir string, logger *slog.Logger, edit func(*webhook.Config)) (*Webhook, error) {
	ca, err := cert.NewCA(24 * time.Hour)
	if err != nil {
		return nil, err
	}
	w := &Webhook{CA: ca, CertFile: filepath.Join(dir, "tls.crt"), KeyFile: filepath.Join(dir, "tls.key"), done: make(chan error, 1)}
	if err := w.Rotate(); err != nil {
		return nil, err
	}
	cfg := webhook.DefaultConfig()
	cfg.Listen, cfg.HealthListen = "127.0.0.1:0", "127.0.0.1:0"
	cfg.TLS = webhook.TLS{CertFile: w.CertFile, KeyFile: w.KeyFile, ReloadInterval: webhook.Duration{Duration: 50 * time.Millisecond}}
	if edit != nil {
		edit(&cfg)
	}
	if w.Server, err = webhook.NewServer(cfg, logger); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	go func() { w.done <- w.Run(ctx) }()
	return w, nil
}

// Rotate writes a new serving pair signed by the same CA, the way a Secret volume update lands.
func (w *Webhook) Rotate() error {
	certPEM, keyPEM, err := w.CA.Issue(nil, []net.IP{net.IPv4(127, 0, 0, 1)}, time.Hour)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{w.CertFile, certPEM}, {w.KeyFile, keyPEM}} {
		tmp := f.path + ".tmp"
		if err := os.WriteFile(tmp, f.data, 0o600); err != nil {
			return err
		}
		if err := os.Rename(tmp, f.path); err != nil {
			return err
		}
	}
	return nil
}

// Stop shuts the webhook down and waits for it.
func (w *Webhook) Stop() error {
	w.cancel()
	return <-w.done
}
