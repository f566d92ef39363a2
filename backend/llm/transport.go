package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/smartap/desktop/backend/secret"
)

var (
	// errBodyTooLarge: the service's response is over MaxResponseBytes.
	errBodyTooLarge = errors.New("llm: response body over the size limit")
	// errRedirect: the service answered with a redirect, which is not
	// followed (it would send the page text, and the key, somewhere else).
	errRedirect = errors.New("llm: redirect not followed")
	// errOtherHost: a request was about to go to a host other than the
	// configured one. go-openai builds every URL from BaseURL, so this
	// cannot happen; it is checked anyway before the key is attached.
	errOtherHost = errors.New("llm: request to an unexpected host refused")
)

// transport attaches the API key and caps response bodies. The key is
// attached here rather than handed to go-openai, so it is added only for the
// configured host and lives in a secret.Bytes that does not print itself.
type transport struct {
	base         http.RoundTripper
	scheme, host string
	azure        bool // api-key header instead of Authorization: Bearer
	key          secret.Bytes
	maxBody      int64
}

var _ http.RoundTripper = (*transport)(nil)

// metaKey carries a *respMeta in a request's context: how Extract learns
// the status and Retry-After of the response go-openai turned into an error.
type metaKey struct{}

type respMeta struct {
	status     int
	retryAfter time.Duration
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != t.scheme || req.URL.Host != t.host {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, errOtherHost
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	r.Header.Del("Authorization")
	r.Header.Del("Api-Key")
	if !t.key.IsZero() {
		if t.azure {
			r.Header.Set("Api-Key", string(t.key.Reveal()))
		} else {
			r.Header.Set("Authorization", "Bearer "+string(t.key.Reveal()))
		}
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if m, ok := req.Context().Value(metaKey{}).(*respMeta); ok {
		m.status = resp.StatusCode
		m.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if resp.ContentLength > t.maxBody {
		_ = resp.Body.Close()
		return nil, errBodyTooLarge
	}
	resp.Body = &cappedBody{rc: resp.Body, left: t.maxBody}
	return resp, nil
}

// cappedBody fails with errBodyTooLarge once more than its limit has been
// read, so a body without (or with a lying) Content-Length is capped too.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more than allowed tells "over" from "exactly at"
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, errBodyTooLarge
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }

// refuseRedirect is the http.Client's CheckRedirect.
func refuseRedirect(*http.Request, []*http.Request) error { return errRedirect }

// maxRetryAfter bounds what a server may ask the user to wait.
const maxRetryAfter = time.Hour

// parseRetryAfter reads delay-seconds or an HTTP date; 0 when absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.Atoi(v); err == nil {
		d = time.Duration(min(max(s, 0), int(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now).Round(time.Second)
	}
	return min(max(d, 0), maxRetryAfter)
}

// withMeta returns ctx carrying a fresh respMeta.
func withMeta(ctx context.Context) (context.Context, *respMeta) {
	m := &respMeta{}
	return context.WithValue(ctx, metaKey{}, m), m
}
