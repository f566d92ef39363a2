package server

import (
	"context"
	"fmt"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/authority"
	"github.com/smartap/desktop/sync/wire"
)

// hello handles the first frame: it must be a Hello whose token is valid
// and for the handshake's user (anything else: close 1008). The session
// then joins its team and is welcomed with the team's head.
func (c *conn) hello(m wire.Message) bool {
	h, ok := m.Body.(wire.Hello)
	if !ok {
		c.closeWith(websocket.ClosePolicyViolation, "the first frame must be a hello")
		return false
	}
	ctx, cancel := c.deadline(c.s.ctx)
	defer cancel()
	claims, err := c.s.verifyHello(ctx, c.id, string(h.Token))
	if err != nil {
		c.closeWith(websocket.ClosePolicyViolation, "hello token refused: "+err.Error())
		return false
	}
	t, exs, err := c.s.team(ctx, c.id.user.Team)
	if err != nil {
		c.closeWith(websocket.CloseInternalServerErr, "team unavailable")
		return false
	}
	c.setClaims(claims)
	c.device, c.team = h.Device, t
	c.joined.Store(true)
	head := t.join(c)
	c.reply(m.ID, wire.Welcome{Server: c.s.cfg.Name, Team: t.id, User: c.user(), Head: head})
	t.announce(exs)
	return true
}

// rehello accepts a refreshed token mid-session (same user and device).
func (c *conn) rehello(ctx context.Context, id string, h wire.Hello) {
	claims, err := c.s.verifyHello(ctx, c.id, string(h.Token))
	if err != nil || h.Device != c.device {
		c.closeWith(websocket.ClosePolicyViolation, "a hello may refresh the token, not change user or device")
		return
	}
	c.setClaims(claims)
	c.reply(id, wire.Welcome{Server: c.s.cfg.Name, Team: c.team.id, User: c.user(), Head: c.team.cursor()})
}

func (c *conn) setClaims(cl auth.Claims) {
	c.claimsMu.Lock()
	c.claims = cl
	c.claimsMu.Unlock()
}

// recheck re-reads the user: a changed token version (role change,
// disable), a disabled account or an expired token ends the session with
// 4001 so the client refreshes and reconnects. It returns the close code
// and reason, or 0.
func (c *conn) recheck(ctx context.Context) (int, string) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	u, err := c.s.cfg.Store.GetUser(ctx, c.user())
	if err != nil {
		return CloseRevoked, "user no longer exists"
	}
	c.claimsMu.Lock()
	cl := c.claims
	c.claimsMu.Unlock()
	switch {
	case u.Disabled:
		return CloseRevoked, "account disabled"
	case u.TokenVersion != cl.TokenVersion:
		return CloseRevoked, "token revoked or role changed; refresh and reconnect"
	case c.s.cfg.Now().After(time.Unix(cl.ExpiresAt, 0).Add(auth.DefaultLeeway)):
		return CloseRevoked, "access token expired; refresh and reconnect"
	}
	c.role.Store(u.Role)
	return 0, ""
}

// principal is the pushing user as the store describes them now: role,
// cost centres and approval limit (serverstore.Accounts.Profile).
func (c *conn) principal(ctx context.Context) (authority.Principal, error) {
	p := authority.Principal{User: c.user(), Role: c.currentRole()}
	prof, err := c.s.cfg.Store.Profile(ctx, c.user())
	if err != nil {
		return p, fmt.Errorf("server: profile of %s: %w", c.user(), err)
	}
	p.CostCentres, p.ApprovalLimit = prof.CostCentres, prof.ApprovalLimit
	return p, nil
}
