package authapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/serverstore"
)

// tokenRefused reports the Refresher errors that mean "this token does
// not get you in" (as opposed to a storage failure).
func tokenRefused(err error) bool {
	for _, e := range []error{auth.ErrInvalidToken, auth.ErrTokenType, auth.ErrExpired, auth.ErrRevoked, auth.ErrReuse} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// readRefresh decodes a RefreshRequest and applies the per-address limit.
func (s *Service) readRefresh(w http.ResponseWriter, r *http.Request) (string, *apiError) {
	var req httpapi.RefreshRequest
	if e := decode(w, r, &req); e != nil {
		return "", e
	}
	if req.RefreshToken == "" {
		return "", badInput("refresh_token is required")
	}
	if err := s.refreshIP.Allow(clientIP(r)); err != nil {
		e, _ := retry(err)
		return "", e
	}
	return req.RefreshToken, nil
}

// refused answers a Refresher error: 401 for any refused token (and the
// address's limit tightens), 500 for anything else.
func (s *Service) refused(r *http.Request, endpoint string, err error) *apiError {
	if tokenRefused(err) {
		s.refreshIP.Failure(clientIP(r))
		return errUnauthorized
	}
	s.log.Error(endpoint, "err", err)
	return errInternal
}

func (s *Service) handleRefresh(w http.ResponseWriter, r *http.Request) {
	token, e := s.readRefresh(w, r)
	if e != nil {
		s.answerError(w, "refresh", e)
		return
	}
	ctx := r.Context()
	rt, err := s.refresher.Refresh(ctx, token)
	if err != nil {
		s.answerError(w, "refresh", s.refused(r, "refresh", err))
		return
	}
	// The token was fine; the account must still be. Role and token
	// version come from the store, so a refresh after a role change
	// carries the new role.
	u, err := s.cfg.Store.GetUser(ctx, rt.UserID)
	if (err == nil && u.Disabled) || errors.Is(err, serverstore.ErrNotFound) {
		s.revokeFamily(ctx, rt.FamilyID, "user disabled")
		s.answerError(w, "refresh", errUnauthorized)
		return
	}
	if err != nil {
		s.log.Error("refresh: load user", "user", rt.UserID, "err", err)
		s.answerError(w, "refresh", errInternal)
		return
	}
	tokens, err := s.tokens(account(u), rt)
	if err != nil {
		s.log.Error("refresh", "user", rt.UserID, "err", err)
		s.answerError(w, "refresh", errInternal)
		return
	}
	s.count("refresh", "ok")
	writeJSON(w, http.StatusOK, tokens)
}

func (s *Service) revokeFamily(ctx context.Context, id, reason string) {
	if err := s.cfg.Store.RevokeFamily(ctx, id, s.now(), reason); err != nil {
		s.log.Error("revoke refresh family", "family", id, "err", err)
	}
}

func (s *Service) handleLogout(w http.ResponseWriter, r *http.Request) {
	token, e := s.readRefresh(w, r)
	if e != nil {
		s.answerError(w, "logout", e)
		return
	}
	if err := s.refresher.Logout(r.Context(), token); err != nil {
		s.answerError(w, "logout", s.refused(r, "logout", err))
		return
	}
	s.count("logout", "ok")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
