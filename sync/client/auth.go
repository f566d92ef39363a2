package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/sync/httpapi"
)

// Auth talks to the server's login, refresh and logout endpoints.
type Auth struct {
	base *url.URL
	http *http.Client
}

// maxAnswer bounds what is read of an HTTP answer: tokens are small.
const maxAnswer = 64 << 10

// NewAuth returns an Auth for server (see ServerURL). tlsConf nil means the
// system roots; certificates are always verified.
func NewAuth(server string, tlsConf *tls.Config) (*Auth, error) {
	base, err := ServerURL(server)
	if err != nil {
		return nil, err
	}
	return &Auth{base: base, http: httpClient(tlsConf)}, nil
}

func httpClient(tlsConf *tls.Config) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = clientTLS(tlsConf)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		// A redirect could carry the password to another host.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// clientTLS clones c (or starts empty) and requires TLS 1.3 as the server
// does; verification is never switched off here.
func clientTLS(c *tls.Config) *tls.Config {
	out := &tls.Config{MinVersion: tls.VersionTLS13}
	if c != nil {
		out = c.Clone()
		out.MinVersion = max(out.MinVersion, tls.VersionTLS13)
	}
	return out
}

// Server is the normalised server URL.
func (a *Auth) Server() string { return a.base.String() }

// Login signs user in with the server password; device is this data
// folder's device id.
func (a *Auth) Login(ctx context.Context, user string, pw secret.Password, device string) (httpapi.Tokens, error) {
	req := httpapi.LoginRequest{User: user, Password: string(pw.Reveal()), Device: device}
	var t httpapi.Tokens
	if err := a.post(ctx, httpapi.PathLogin, req, &t); err != nil {
		return httpapi.Tokens{}, fmt.Errorf("log in to %s as %s: %w", a.base.Host, user, err)
	}
	if t.AccessToken == "" || t.RefreshToken == "" {
		return httpapi.Tokens{}, fmt.Errorf("log in to %s: %w: answer without tokens", a.base.Host, ErrProtocol)
	}
	return t, nil
}

// Refresh spends refresh and returns new tokens (the refresh token rotates).
func (a *Auth) Refresh(ctx context.Context, refresh string) (httpapi.Tokens, error) {
	var t httpapi.Tokens
	if err := a.post(ctx, httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: refresh}, &t); err != nil {
		return httpapi.Tokens{}, fmt.Errorf("refresh the sign-in at %s: %w", a.base.Host, err)
	}
	if t.AccessToken == "" || t.RefreshToken == "" {
		return httpapi.Tokens{}, fmt.Errorf("refresh at %s: %w: answer without tokens", a.base.Host, ErrProtocol)
	}
	return t, nil
}

// Logout revokes the refresh token's family on the server.
func (a *Auth) Logout(ctx context.Context, refresh string) error {
	if err := a.post(ctx, httpapi.PathLogout, httpapi.RefreshRequest{RefreshToken: refresh}, nil); err != nil {
		return fmt.Errorf("log out at %s: %w", a.base.Host, err)
	}
	return nil
}

func (a *Auth) post(ctx context.Context, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	defer clear(b)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint(a.base, path), bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadServer, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("%w: reading the answer: %w", ErrUnavailable, err)
	}
	if resp.StatusCode/100 != 2 {
		return answerError(resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: answer is not JSON: %w", ErrProtocol, err)
	}
	return nil
}

// answerError turns a non-2xx answer into a *ServerError; a body that is
// not an httpapi.Error (a proxy's page) still gets a code from the status.
func answerError(resp *http.Response, data []byte) error {
	var e httpapi.Error
	if json.Unmarshal(data, &e) != nil || e.Code == "" {
		e = httpapi.Error{Code: codeForStatus(resp.StatusCode), Message: http.StatusText(resp.StatusCode)}
	}
	se := &ServerError{Status: resp.StatusCode, Code: e.Code, Message: e.Message}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		se.RetryAfter = time.Duration(s) * time.Second
	}
	return se
}

func codeForStatus(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return httpapi.CodeUnauthorized
	case http.StatusForbidden:
		return httpapi.CodeForbidden
	case http.StatusTooManyRequests:
		return httpapi.CodeRateLimited
	case http.StatusLocked:
		return httpapi.CodeLocked
	case http.StatusBadRequest:
		return httpapi.CodeInvalidInput
	default:
		return httpapi.CodeUnavailable
	}
}

// RetryAfter returns the server's Retry-After hint carried by err, if any.
func RetryAfter(err error) time.Duration {
	var se *ServerError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// Health asks the server's health endpoint; nil when it answers 200.
func (a *Auth) Health(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint(a.base, httpapi.PathHealth), nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadServer, err)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: health check answered %d", ErrUnavailable, resp.StatusCode)
	}
	return nil
}
