package llm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	openai "github.com/sashabaranov/go-openai"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/logging"
)

// cause is the Err of the apperr errors this package returns: a text made
// safe to log (see scrub) plus, for errors.Is, only a sentinel such as
// context.DeadlineExceeded or ErrBadAnswer, never the raw error, whose text
// may hold the response body.
type cause struct {
	msg string
	is  error
}

func (c *cause) Error() string { return c.msg }
func (c *cause) Unwrap() error { return c.is }

// scrub makes text from the service or the HTTP stack safe to log: the key
// removed even if a server echoes it, other secrets and bank data redacted
// (backend/logging), control characters dropped, at most 200 characters.
func (c *Client) scrub(s string) string {
	if !c.tr.key.IsZero() {
		s = strings.ReplaceAll(s, string(c.tr.key.Reveal()), logging.Redacted)
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return truncateRunes(logging.RedactString(s), 200)
}

func (c *Client) fail(code apperr.Code, is error, detail, format string, args ...any) error {
	return apperr.Wrap(&cause{msg: c.scrub(detail), is: is}, code, format, args...)
}

// classify turns an error of CreateChatCompletion into an apperr error with
// a message a user can act on.
func (c *Client) classify(err error, meta *respMeta) error {
	host := c.ep.host
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	var urlErr *url.Error
	switch {
	case errors.Is(err, errBodyTooLarge):
		return c.fail(apperr.TooLarge, errBodyTooLarge, "response body over the limit",
			"The answer from %s is larger than %d MB and was not read.", host, MaxResponseBytes>>20)
	case errors.Is(err, errRedirect):
		return c.fail(apperr.Unavailable, errRedirect, fmt.Sprintf("HTTP %d redirect", meta.status),
			"%s answered with a redirect, which SmartAP does not follow. Check the base URL in Settings.", host)
	case errors.Is(err, errOtherHost):
		return c.fail(apperr.Internal, errOtherHost, "request to another host refused",
			"A request to a host other than %s was refused.", host)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return c.fail(apperr.Unavailable, context.DeadlineExceeded, "timeout",
			"%s did not answer in time. Try again later.", host)
	case errors.Is(err, context.Canceled):
		return c.fail(apperr.Unavailable, context.Canceled, "cancelled", "The request to %s was cancelled.", host)
	case errors.As(err, &apiErr):
		return c.byStatus(apiErr.HTTPStatusCode, apiDetail(apiErr), fmt.Sprint(apiErr.Code), meta)
	case errors.As(err, &reqErr):
		return c.byStatus(reqErr.HTTPStatusCode, fmt.Sprintf("HTTP %d", reqErr.HTTPStatusCode), "", meta)
	case isCertError(err):
		return c.fail(apperr.Unavailable, nil, "TLS certificate not trusted",
			"The certificate of %s is not trusted; nothing was sent.", host)
	case errors.As(err, &urlErr):
		return c.fail(apperr.Unavailable, nil, urlErr.Err.Error(),
			"Could not reach %s. Check the network and the base URL in Settings.", host)
	}
	// go-openai decodes the 2xx body itself: an error here means it was not
	// a chat completion.
	return c.fail(apperr.Unavailable, ErrBadAnswer, "response is not a chat completion",
		"%s did not answer in the OpenAI chat-completions format.", host)
}

func (c *Client) byStatus(status int, detail, code string, meta *respMeta) error {
	host := c.ep.host
	switch {
	case status == http.StatusUnauthorized:
		return c.fail(apperr.Forbidden, nil, detail,
			"%s did not accept the API key (HTTP 401). Enter the key again in Settings.", host)
	case status == http.StatusForbidden:
		return c.fail(apperr.Forbidden, nil, detail,
			"%s refused access (HTTP 403): the key may not be allowed to use model %q.", host, c.ep.model)
	case status == http.StatusNotFound:
		return c.fail(apperr.Unavailable, nil, detail,
			"%s does not know model or deployment %q (HTTP 404). Check the model name and base URL in Settings.", host, c.ep.model)
	case status == http.StatusRequestEntityTooLarge:
		return c.fail(apperr.TooLarge, nil, detail, "The page text is too large for %s (HTTP 413).", host)
	case status == http.StatusTooManyRequests:
		var e error
		if code == "insufficient_quota" {
			e = c.fail(apperr.Unavailable, nil, detail,
				"The account at %s has no quota left (HTTP 429). Check billing, or try again later.", host)
		} else {
			e = c.fail(apperr.Unavailable, nil, detail,
				"%s is limiting requests (HTTP 429). Try again in a minute.", host)
		}
		var ae *apperr.Error
		if errors.As(e, &ae) {
			ae.RetryAfter = meta.retryAfter
		}
		return e
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return c.fail(apperr.Unavailable, nil, detail,
			"%s rejected the request (HTTP %d). The model may not support structured output (json_schema, strict), or the page is too long for it.",
			host, status)
	case status >= 500:
		return c.fail(apperr.Unavailable, nil, detail,
			"%s had a server error (HTTP %d). Try again later.", host, status)
	}
	return c.fail(apperr.Unavailable, nil, detail, "%s answered with HTTP status %d.", host, status)
}

// apiDetail is the service's error type, code and message for the log.
func apiDetail(e *openai.APIError) string {
	parts := []string{fmt.Sprintf("HTTP %d", e.HTTPStatusCode)}
	if e.Type != "" {
		parts = append(parts, "type "+e.Type)
	}
	// go-openai reads "code": null as the number 0.
	if code := fmt.Sprint(e.Code); e.Code != nil && code != "0" && code != "" {
		parts = append(parts, "code "+code)
	}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	return strings.Join(parts, ", ")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isCertError(err error) bool {
	var v *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var h x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &v) || errors.As(err, &ua) || errors.As(err, &h) || errors.As(err, &ci)
}
