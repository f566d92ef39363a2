package main

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/server/metrics"
	"github.com/smartap/desktop/sync/serverstore"
)

// Access-token issuer and audience: fixed, not per replica, so a token
// issued by one replica verifies on every other.
const (
	tokenIssuer   = "smartap-sync"
	tokenAudience = "smartap-sync/v1" // #nosec G101 -- an audience name, not a credential
)

type serveOpts struct {
	listen           string
	tlsCert, tlsKey  string
	insecureLoopback bool
	origins          []string
	name             string
}

func (c *cli) serveCommand() *cobra.Command {
	var o serveOpts
	cmd := &cobra.Command{
		Use:   "serve --listen ADDR --store SPEC [--tls-cert C --tls-key K | --insecure-loopback]",
		Short: "run the sync server (TLS 1.3; plain only on loopback with --insecure-loopback)",
		Args:  cobra.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return c.serve(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "", "address to listen on, e.g. :8443 or 127.0.0.1:8080 (required)")
	f.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate chain (PEM)")
	f.StringVar(&o.tlsKey, "tls-key", "", "TLS private key (PEM)")
	f.BoolVar(&o.insecureLoopback, "insecure-loopback", false, "serve plain HTTP/ws; only allowed on a loopback address")
	f.StringArrayVar(&o.origins, "allow-origin", nil, "allowed Origin header for websocket handshakes (repeatable)")
	f.StringVar(&o.name, "name", "", "server name sent to clients (default: the host name)")
	return cmd
}

// check validates the flag combination before anything is opened.
func (o *serveOpts) check() error {
	if o.listen == "" {
		return usagef("--listen is required")
	}
	tlsSet := o.tlsCert != "" || o.tlsKey != ""
	switch {
	case tlsSet && o.insecureLoopback:
		return usagef("use either --tls-cert/--tls-key or --insecure-loopback, not both")
	case tlsSet && (o.tlsCert == "" || o.tlsKey == ""):
		return usagef("--tls-cert and --tls-key go together")
	case !tlsSet && !o.insecureLoopback:
		return usagef("serving needs --tls-cert and --tls-key (or --insecure-loopback on a loopback address)")
	case o.insecureLoopback:
		if err := loopbackOnly(o.listen); err != nil {
			return err
		}
	}
	if o.name == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "smartap-sync"
		}
		o.name = h
	}
	return nil
}

// loopbackOnly refuses any listen address that is not a loopback IP (or
// "localhost"): an empty host or 0.0.0.0 means every interface.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--listen %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return usagef("--insecure-loopback serves without TLS, so it only listens on a loopback address "+
		"(127.0.0.1:PORT or [::1]:PORT), not %q; use --tls-cert and --tls-key to serve on the network", addr)
}

// tlsConfig loads the certificate and allows TLS 1.3 only.
func (o serveOpts) tlsConfig() (*tls.Config, error) {
	if o.insecureLoopback {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate: %w", err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{cert}}, nil
}

func (c *cli) serve(o serveOpts) error {
	if err := o.check(); err != nil {
		return err
	}
	tlsCfg, err := o.tlsConfig()
	if err != nil {
		return err
	}
	st, keys, err := c.openAll()
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(c.stderr, nil))
	h, closeAll, err := buildHandler(st, keys, o, log)
	if err != nil {
		return err
	}
	defer closeAll()
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.listen, err)
	}
	if o.insecureLoopback && !ln.Addr().(*net.TCPAddr).IP.IsLoopback() { // "localhost" resolved elsewhere
		_ = ln.Close()
		return usagef("--insecure-loopback: %s resolved to %s, not a loopback address", o.listen, ln.Addr())
	}
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 10 * time.Second, // slow-header clients are cut off (#37)
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	mode := "TLS 1.3"
	if tlsCfg == nil {
		mode = "plain, loopback only"
	}
	fmt.Fprintf(c.stderr, "smartap-sync: listening on %s (%s)\n", ln.Addr(), mode)
	return serveUntilDone(c.ctx, srv, ln, tlsCfg != nil)
}

// serveUntilDone serves until ctx ends (SIGTERM/SIGINT), then shuts down:
// no new connections, in-flight HTTP requests finish (10 s at most).
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, useTLS bool) error {
	errc := make(chan error, 1)
	go func() {
		if useTLS {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// buildHandler wires store, keys, auth, events, metrics and the websocket
// server into one mux. closeAll stops the websocket server (its sessions
// are hijacked connections that http.Server.Shutdown does not track).
func buildHandler(st serverstore.Store, keys serverKeys, o serveOpts, log *slog.Logger) (http.Handler, func(), error) {
	pw, err := auth.NewPasswords(keys.Pepper)
	if err != nil {
		return nil, nil, err
	}
	ks, err := auth.NewKeySet(auth.SigningKey{ID: keys.JWTKeyID, Key: keys.jwtKey()})
	if err != nil {
		return nil, nil, err
	}
	access, err := auth.NewAccessTokens(auth.AccessConfig{Keys: ks, Issuer: tokenIssuer, Audience: tokenAudience,
		Versions: st.TokenVersion})
	if err != nil {
		return nil, nil, err
	}
	m := metrics.New()
	bus := events.New(st, m.SecurityEvent, nil)
	cpPub, _ := keys.checkpointKey().Public().(ed25519.PublicKey)
	authSvc, err := authapi.New(authapi.Config{Store: st, Passwords: pw, Access: access, Events: bus, Metrics: m, Log: log,
		CheckpointKey: checkpoint.FormatPublicKey(cpPub)})
	if err != nil {
		return nil, nil, err
	}
	syncSrv, err := server.New(server.Config{Store: st, Tokens: access, Events: bus, Metrics: m,
		Detector: events.NewDetector(events.DefaultPolicy, bus),
		Origins:  o.origins, CheckpointKey: keys.checkpointKey(), Name: o.name})
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	syncSrv.Mount(mux) // /v1/sync, /healthz
	authSvc.Mount(mux) // /v1/login, /v1/refresh, /v1/logout
	mux.Handle(httpapi.PathMetrics, m.Handler())
	return mux, func() { _ = syncSrv.Close() }, nil
}
