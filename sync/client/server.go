package client

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ServerURL checks and normalises a server address. https is required;
// plain http only for a server on this machine (127.0.0.1, ::1, localhost),
// which is what `smartap-sync serve --insecure-loopback` offers.
func ServerURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w %q: %w", ErrBadServer, raw, err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%w %q: want https://HOST[:PORT]", ErrBadServer, raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "https":
	case "http":
		if !loopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("%w %q: plain http only to a server on this machine; use https", ErrBadServer, raw)
		}
	default:
		return nil, fmt.Errorf("%w %q: the scheme must be https", ErrBadServer, raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func loopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// endpoint joins the server's base URL and an API path.
func endpoint(base *url.URL, path string) string {
	u := *base
	u.Path = base.Path + path
	return u.String()
}

// wsEndpoint is the websocket URL of path: wss for https, ws for the
// loopback-only http.
func wsEndpoint(base *url.URL, path string) string {
	u := *base
	u.Scheme = "wss"
	if base.Scheme == "http" {
		u.Scheme = "ws"
	}
	u.Path = base.Path + path
	return u.String()
}
