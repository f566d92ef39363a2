package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// ServeHTTP upgrades an authenticated request to a sync session. Every
// check happens before the upgrade, so a refused client gets a plain HTTP
// answer with an httpapi.Error body: 403 for an Origin not on the
// allowlist, 401 for a missing, invalid, expired or revoked token or a
// disabled user, 400 without the smartap.v1 subprotocol.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, httpapi.CodeInvalidInput, "use GET with a websocket upgrade")
		return
	}
	if !s.originAllowed(r.Header.Get("Origin")) {
		writeError(w, http.StatusForbidden, httpapi.CodeForbidden, "origin not allowed")
		return
	}
	id, status, msg := s.authenticate(r)
	if status != 0 {
		writeError(w, status, httpapi.CodeUnauthorized, msg)
		return
	}
	if !slices.Contains(websocket.Subprotocols(r), httpapi.Subprotocol) {
		writeError(w, http.StatusBadRequest, httpapi.CodeInvalidInput, "offer the websocket subprotocol "+httpapi.Subprotocol)
		return
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		writeError(w, http.StatusServiceUnavailable, httpapi.CodeUnavailable, "server shutting down")
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	ws.SetReadLimit(wire.MaxFrame)
	c := newConn(s, ws, id)
	if !s.register(c) {
		c.closeWith(websocket.CloseGoingAway, "server shutting down")
		_ = ws.Close()
		close(c.finished)
		return
	}
	s.metrics.Connections(1)
	defer s.metrics.Connections(-1)
	c.run()
}

// session is who a session authenticated as.
type session struct {
	claims auth.Claims
	user   serverstore.User
}

// authenticate checks the bearer token and the user's record. It returns
// a non-zero HTTP status and a message on refusal. The messages say what
// to do without saying which check of a forged token failed.
func (s *Server) authenticate(r *http.Request) (session, int, string) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return session{}, http.StatusUnauthorized, "send Authorization: Bearer <access token>"
	}
	claims, err := s.cfg.Tokens.Verify(r.Context(), tok)
	switch {
	case errors.Is(err, auth.ErrExpired):
		return session{}, http.StatusUnauthorized, "access token expired; refresh it"
	case errors.Is(err, auth.ErrRevoked):
		return session{}, http.StatusUnauthorized, "access token revoked; refresh it or log in again"
	case err != nil:
		return session{}, http.StatusUnauthorized, "invalid access token"
	}
	u, err := s.cfg.Store.GetUser(r.Context(), claims.Subject)
	switch {
	case err != nil:
		return session{}, http.StatusUnauthorized, "invalid access token"
	case u.Disabled:
		return session{}, http.StatusUnauthorized, "account disabled"
	case u.Team != claims.Team || u.TokenVersion != claims.TokenVersion:
		return session{}, http.StatusUnauthorized, "access token revoked; refresh it or log in again"
	}
	return session{claims: claims, user: u}, 0, ""
}

// verifyHello checks a hello's token: valid, and for the session's user.
func (s *Server) verifyHello(ctx context.Context, id session, tok string) (auth.Claims, error) {
	claims, err := s.cfg.Tokens.Verify(ctx, tok)
	if err != nil {
		return auth.Claims{}, err
	}
	if claims.Subject != id.claims.Subject || claims.Team != id.claims.Team {
		return auth.Claims{}, errors.New("hello token is for another user than the handshake")
	}
	return claims, nil
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(httpapi.Error{Code: code, Message: msg})
}

func (s *Server) register(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}
