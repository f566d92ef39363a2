package authapi

import (
	"context"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

// AdminStore is what the admin actions need.
type AdminStore interface {
	GetUser(ctx context.Context, name string) (serverstore.User, error)
	Disable(ctx context.Context, name string) (int64, error)
	SetRole(ctx context.Context, name string, role identity.Role) (int64, error)
	RevokeUser(ctx context.Context, userID string, at time.Time, reason string) (int, error)
}

// DisableUser disables name and kills every session at once: the token
// version bump invalidates live access tokens (the sync server closes
// their connections on its next check) and every refresh family is
// revoked, so no refresh can mint a new one (checklist #17, #21). It
// returns how many refresh families were revoked. by names the admin,
// for the event.
func DisableUser(ctx context.Context, st AdminStore, pub Publisher, name, by string, now time.Time) (int, error) {
	u, err := st.GetUser(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("disable %q: %w", name, err)
	}
	if _, err := st.Disable(ctx, name); err != nil {
		return 0, fmt.Errorf("disable %q: %w", name, err)
	}
	n, err := st.RevokeUser(ctx, name, now, "user disabled")
	if err != nil {
		return 0, fmt.Errorf("disable %q: revoke sessions: %w", name, err)
	}
	err = pub.Publish(ctx, events.Event{Kind: events.UserDisabled, Team: u.Team, User: name, At: now.UTC(),
		Detail: fmt.Sprintf("disabled by %s; %d sessions revoked", by, n)})
	if err != nil {
		return n, fmt.Errorf("disable %q: record event: %w", name, err)
	}
	return n, nil
}

// SetRole changes name's role. The token version bump makes every access
// token issued under the old role invalid at once (#21); refresh tokens
// stay valid and the next refresh carries the new role.
func SetRole(ctx context.Context, st AdminStore, pub Publisher, name string, role identity.Role, by string, now time.Time) error {
	u, err := st.GetUser(ctx, name)
	if err != nil {
		return fmt.Errorf("set role of %q: %w", name, err)
	}
	if _, err := st.SetRole(ctx, name, role); err != nil {
		return fmt.Errorf("set role of %q: %w", name, err)
	}
	err = pub.Publish(ctx, events.Event{Kind: events.RoleChanged, Team: u.Team, User: name, At: now.UTC(),
		Detail: fmt.Sprintf("role %s → %s by %s", u.Role, role, by)})
	if err != nil {
		return fmt.Errorf("set role of %q: record event: %w", name, err)
	}
	return nil
}
