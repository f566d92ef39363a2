package authapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
)

// MaxBody bounds a request body; real ones are a few hundred bytes.
const MaxBody = 8 << 10

// bodyTimeout bounds reading the body, so a client trickling bytes cannot
// hold a connection (checklist #37; headers are bounded by the server's
// ReadHeaderTimeout).
const bodyTimeout = 10 * time.Second

// apiError is an answer to send: status, stable code, generic message and
// for locked / rate_limited the wait.
type apiError struct {
	status     int
	code       string
	msg        string
	retryAfter time.Duration
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

var (
	errUnauthorized = &apiError{status: http.StatusUnauthorized, code: httpapi.CodeUnauthorized, msg: "invalid credentials"}
	errInternal     = &apiError{status: http.StatusInternalServerError, code: httpapi.CodeInternal, msg: "internal error"}
)

func badInput(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: httpapi.CodeInvalidInput, msg: fmt.Sprintf(format, args...)}
}

// retry maps an auth.RetryError (locked or rate limited) to its answer;
// both are 429 with Retry-After, told apart by the code.
func retry(err error) (*apiError, bool) {
	wait, ok := auth.RetryAfter(err)
	if !ok {
		return nil, false
	}
	code, msg := httpapi.CodeRateLimited, "too many requests"
	if errors.Is(err, auth.ErrLocked) {
		code, msg = httpapi.CodeLocked, "account temporarily locked"
	}
	return &apiError{status: http.StatusTooManyRequests, code: code, msg: msg, retryAfter: wait}, true
}

// retrySeconds rounds a wait up to whole seconds, at least 1, so a client
// that waits exactly Retry-After is never early.
func retrySeconds(d time.Duration) string {
	s := math.Ceil(d.Seconds())
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(int64(s), 10)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store") // bodies carry tokens
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away: nothing to do
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", retrySeconds(e.retryAfter))
	}
	writeJSON(w, e.status, httpapi.Error{Code: e.code, Message: e.msg})
}

// decode checks method, content type and size, then reads one JSON value
// into v. Unknown fields are tolerated (newer clients), trailing data is not.
func decode(w http.ResponseWriter, r *http.Request, v any) *apiError {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return &apiError{status: http.StatusMethodNotAllowed, code: httpapi.CodeInvalidInput, msg: "use POST"}
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &apiError{status: http.StatusUnsupportedMediaType, code: httpapi.CodeInvalidInput,
			msg: "the body must be application/json"}
	}
	// Not supported by test recorders; a real server connection supports it.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge, code: httpapi.CodeInvalidInput,
			msg: fmt.Sprintf("the body is larger than %d bytes", MaxBody)}
	}
	if err != nil {
		return badInput("cannot read the body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return badInput("the body is not valid JSON for this endpoint")
	}
	if dec.More() {
		return badInput("the body has data after the JSON value")
	}
	return nil
}

// clientIP is the peer address. Forwarded headers are ignored on purpose:
// the server terminates TLS itself, and trusting them would let anyone
// pick their own rate-limit key.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
