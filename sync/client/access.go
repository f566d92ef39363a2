package client

import (
	"context"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/sync/httpapi"
)

// expirySlack renews an access token this long before it expires, so a
// token does not run out between the check and the handshake.
const expirySlack = 30 * time.Second

// accessToken returns a usable access token, refreshing with the stored
// refresh token when there is none or it is about to expire.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	if c.access != "" && c.cfg.Now().Before(c.expiry.Add(-expirySlack)) {
		return c.access, nil
	}
	// Read the keychain each time, under the folder's lock: another
	// SmartAP process on this folder (the window and the CLI) may have
	// rotated the token meanwhile.
	if c.cfg.DataDir != "" {
		unlock, err := lockRefresh(c.cfg.DataDir)
		if err != nil {
			return "", err
		}
		defer unlock()
	}
	refresh, err := c.cfg.Creds.Load()
	if err != nil {
		return "", err
	}
	t, err := c.auth.Refresh(ctx, refresh)
	if err != nil {
		return "", err
	}
	// The old refresh token is spent now: store the new one before using
	// the access token, or the next start would find only a dead token.
	if err := c.cfg.Creds.Save(t.RefreshToken); err != nil {
		return "", err
	}
	c.setTokens(t)
	return c.access, nil
}

// UseTokens installs tokens from a fresh login (the caller stored the
// refresh token), so the first sync needs no refresh.
func (c *Client) UseTokens(t httpapi.Tokens) {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	c.setTokens(t)
}

func (c *Client) setTokens(t httpapi.Tokens) {
	c.access = t.AccessToken
	c.expiry = c.cfg.Now().Add(time.Duration(t.ExpiresIn) * time.Second)
	if t.Team != "" {
		c.mu.Lock()
		c.status.Team = t.Team
		c.mu.Unlock()
	}
}

func (c *Client) dropAccess() {
	c.tokMu.Lock()
	defer c.tokMu.Unlock()
	c.access, c.expiry = "", time.Time{}
}

// Login signs in with the server password, stores the refresh token in
// the keychain and returns the tokens' identity (user, team, role).
func Login(ctx context.Context, a *Auth, creds Credentials, user string, pw secret.Password, device string) (httpapi.Tokens, error) {
	t, err := a.Login(ctx, user, pw, device)
	if err != nil {
		return httpapi.Tokens{}, err
	}
	if err := creds.Save(t.RefreshToken); err != nil {
		return httpapi.Tokens{}, err
	}
	return t, nil
}

// Logout revokes the stored sign-in on the server and deletes it from the
// keychain. The keychain item is removed even when the server cannot be
// reached (the error is returned), so a lost laptop's token is at least
// gone locally; an administrator can revoke it server-side.
func Logout(ctx context.Context, a *Auth, creds Credentials) error {
	refresh, err := creds.Load()
	if err != nil {
		return err
	}
	srvErr := a.Logout(ctx, refresh)
	if err := creds.Delete(); err != nil {
		return err
	}
	if srvErr != nil {
		return fmt.Errorf("signed out locally, but the server did not confirm: %w", srvErr)
	}
	return nil
}
