package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"
)

// CertReloader serves a certificate pair from disk and picks up a new pair when the files change,
// as cert-manager and kubelet secret volumes rotate them. A handshake always gets a complete
// pair: the new one replaces the old in one atomic store, and a half-written pair is ignored
// until the next check.
type CertReloader struct {
	certFile, keyFile string
	logger            *slog.Logger

	cert            atomic.Pointer[tls.Certificate]
	certPEM, keyPEM []byte // what cert was loaded from
}

// NewCertReloader loads the pair once; a missing or bad pair is an error.
func NewCertReloader(certFile, keyFile string, logger *slog.Logger) (*CertReloader, error) {
	r := &CertReloader{certFile: certFile, keyFile: keyFile, logger: logger}
	if _, err := r.reload(); err != nil {
		return nil, err
	}
	return r, nil
}

// NotAfter is when the certificate being served expires.
func (r *CertReloader) NotAfter() time.Time { return r.cert.Load().Leaf.NotAfter }

// GetCertificate is a tls.Config.GetCertificate.
func (r *CertReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return r.cert.Load(), nil
}

// Watch checks the files every interval until ctx is done. Reading is cheap next to a review and
// needs no inotify, which misses the symlink swaps of Secret volumes.
func (r *CertReloader) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed, err := r.reload()
			switch {
			case err != nil:
				r.logger.Warn("keeping the current serving certificate", "error", err.Error())
			case changed:
				r.logger.Info("reloaded the serving certificate", "cert", r.certFile)
			}
		}
	}
}

// reload loads the pair if either file differs from what is served.
func (r *CertReloader) reload() (changed bool, err error) {
	certPEM, err := os.ReadFile(r.certFile)
	if err != nil {
		return false, fmt.Errorf("reading serving certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(r.keyFile)
	if err != nil {
		return false, fmt.Errorf("reading serving key: %w", err)
	}
	if bytes.Equal(certPEM, r.certPEM) && bytes.Equal(keyPEM, r.keyPEM) {
		return false, nil
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return false, fmt.Errorf("loading serving certificate %s: %w", r.certFile, err)
	}
	// A pair outside its validity would fail every handshake; the one served is better.
	if now := time.Now(); now.Before(cert.Leaf.NotBefore) || now.After(cert.Leaf.NotAfter) {
		return false, fmt.Errorf("serving certificate %s is not valid now: valid from %s to %s",
			r.certFile, cert.Leaf.NotBefore.UTC().Format(time.RFC3339), cert.Leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	r.certPEM, r.keyPEM = certPEM, keyPEM
	r.cert.Store(&cert)
	return true, nil
}
