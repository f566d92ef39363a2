package core

import (
	"context"
	"errors"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
)

// UserInfo is a listed user.
type UserInfo struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Role      identity.Role `json:"role"`
	CreatedAt time.Time     `json:"created_at"`
	Disabled  bool          `json:"disabled"`
}

func userInfo(u store.UserRecord) UserInfo {
	return UserInfo{ID: u.ID, Name: u.Name, Role: u.Role, CreatedAt: u.CreatedAt, Disabled: u.Disabled}
}

// AddUser creates a local user with its own wrapped copy of the data key.
func (s *Session) AddUser(ctx context.Context, name string, role identity.Role, pw secret.Password) (UserInfo, error) {
	var out UserInfo
	err := s.do(ctx, identity.UserAdd, "", func(tx *store.Tx, rec *record) error {
		norm, err := identity.NormalizeName(name)
		if err != nil {
			return apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
		}
		if _, err := identity.ParseRole(string(role)); err != nil {
			return apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
		}
		if err := identity.CheckPassword(pw.Reveal()); err != nil {
			return apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
		}
		device, err := vault.DeviceSecret(s.c.opts.Keychain, s.folderID, false)
		if err != nil {
			return keychainError(err, s.c.opts.Keychain)
		}
		defer device.Wipe()
		out = UserInfo{ID: newID(), Name: norm, Role: role, CreatedAt: s.c.now()}
		wrapped, err := vault.Wrap(s.dek, device, pw, s.folderID, out.ID, s.c.opts.KDF)
		if err != nil {
			return err
		}
		rec.Target, rec.Reason = out.ID, "added user "+norm+" with role "+string(role)
		return tx.InsertUser(store.UserRecord{ID: out.ID, Name: norm, Role: role, WrappedKey: wrapped, CreatedAt: out.CreatedAt})
	})
	return out, err
}

// Users lists the local users.
func (s *Session) Users(ctx context.Context) ([]UserInfo, error) {
	var out []UserInfo
	err := s.do(ctx, identity.UserList, "", func(tx *store.Tx, _ *record) error {
		us, err := tx.Users()
		for _, u := range us {
			out = append(out, userInfo(u))
		}
		return err
	})
	return out, err
}

// Recover sets a new password for name using the recovery key shown at
// set-up. It works without the old password; when the keychain lost the
// device secret, a new one is made and only this user's copy is rewrapped.
func (c *Core) Recover(ctx context.Context, name, recoveryKey string, newPW secret.Password) (*Session, error) {
	norm, err := identity.NormalizeName(name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	if err := identity.CheckPassword(newPW.Reveal()); err != nil {
		return nil, apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	rk, err := vault.ParseRecoveryKey(recoveryKey)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.InvalidInput, "the recovery key has a typo: check each group")
	}
	defer rk.Wipe()
	folderID, deviceID, err := c.folderInfo(ctx)
	if err != nil {
		return nil, err
	}
	var u store.UserRecord
	var env []byte
	err = c.db.View(ctx, nil, func(tx *store.Tx) error {
		if env, err = tx.Meta(store.MetaRecoveryKey); err != nil {
			return err
		}
		u, err = tx.UserByName(norm)
		return err
	})
	if err != nil {
		return nil, err
	}
	dek, err := vault.UnwrapRecovery(env, rk, folderID)
	if errors.Is(err, vault.ErrWrongKey) {
		return nil, apperr.Wrap(err, apperr.Forbidden, "this recovery key does not belong to this data folder")
	} else if err != nil {
		return nil, apperr.Wrap(err, apperr.Integrity, "the stored recovery envelope cannot be read")
	}
	if u.Disabled {
		// Told only to a holder of the recovery key: a reset must not
		// reopen an account an administrator closed.
		dek.Wipe()
		c.pending(ctx, norm, audit.Denied, "password reset refused: the user is disabled")
		return nil, ErrUserDisabled
	}
	device, err := vault.DeviceSecret(c.opts.Keychain, folderID, true)
	if err != nil {
		return nil, keychainError(err, c.opts.Keychain)
	}
	defer device.Wipe()
	wrapped, err := vault.Wrap(dek, device, newPW, folderID, u.ID, c.opts.KDF)
	if err != nil {
		return nil, err
	}
	if err := c.db.Update(ctx, nil, func(tx *store.Tx) error { return tx.SetWrappedKey(u.ID, wrapped) }); err != nil {
		return nil, err
	}
	c.pending(ctx, norm, audit.Allowed, "password reset with the recovery key")
	return c.startSession(ctx, u, folderID, deviceID, dek, 0)
}

// The account rules. Each is a sentinel so callers can branch on it.
var (
	// ErrLastAdmin refuses taking the admin role or the account away from
	// the last enabled administrator: nobody could manage users after it.
	ErrLastAdmin = &apperr.Error{Code: apperr.Conflict,
		Message: "this is the last enabled administrator: make another user an administrator first"}
	// ErrDisableSelf refuses an administrator disabling their own account.
	ErrDisableSelf = &apperr.Error{Code: apperr.Forbidden,
		Message: "you cannot disable your own account: ask another administrator"}
	// ErrUserDisabled refuses a password reset for a disabled account.
	ErrUserDisabled = &apperr.Error{Code: apperr.Forbidden,
		Message: "this user is disabled: an administrator must enable it first"}
)

// SetUserRole gives a user another role. A session changing its own role
// is locked afterwards, so no session keeps a role its user lost.
func (s *Session) SetUserRole(ctx context.Context, name string, role identity.Role) (UserInfo, error) {
	var out UserInfo
	self := false
	err := s.do(ctx, identity.UserSetRole, "", func(tx *store.Tx, rec *record) error {
		r, err := identity.ParseRole(string(role))
		if err != nil {
			return apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
		}
		u, err := userNamed(tx, name)
		if err != nil {
			return err
		}
		rec.Target, out = u.ID, userInfo(u)
		if u.Role == r {
			rec.Reason = "role of " + u.Name + " unchanged (" + string(r) + ")"
			return nil
		}
		if u.Role == identity.Admin && !u.Disabled {
			if err := keepAnAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		rec.Reason, rec.Before, rec.After = "role of "+u.Name+" changed", string(u.Role), string(r)
		if err := tx.SetUserRole(u.ID, r); err != nil {
			return err
		}
		out.Role, self = r, u.ID == s.user.ID
		return nil
	})
	if err == nil && self {
		s.Lock() // after do: it holds the read lock Lock waits for
	}
	return out, err
}

// SetUserDisabled disables (or re-enables) a user. A disabled user cannot
// unlock and is not offered at the unlock screen; their data and audit
// entries stay.
func (s *Session) SetUserDisabled(ctx context.Context, name string, disabled bool) (UserInfo, error) {
	action := identity.UserEnable
	if disabled {
		action = identity.UserDisable
	}
	var out UserInfo
	err := s.do(ctx, action, "", func(tx *store.Tx, rec *record) error {
		u, err := userNamed(tx, name)
		if err != nil {
			return err
		}
		rec.Target, out = u.ID, userInfo(u)
		switch {
		case u.Disabled == disabled:
			rec.Reason = "user " + u.Name + " already " + enabledText(!disabled)
			return nil
		case disabled && u.ID == s.user.ID:
			return &ruleError{rule: "users:not-self", err: ErrDisableSelf}
		case disabled && u.Role == identity.Admin:
			if err := keepAnAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		rec.Reason = "user " + u.Name + " " + enabledText(!disabled)
		out.Disabled = disabled
		return tx.SetUserDisabled(u.ID, disabled)
	})
	return out, err
}

func enabledText(enabled bool) string {
	if enabled {
		return "enabled"
	}
	return "disabled"
}

// userNamed loads a user (with its role) by a name as typed.
func userNamed(tx *store.Tx, name string) (store.UserRecord, error) {
	norm, err := identity.NormalizeName(name)
	if err != nil {
		return store.UserRecord{}, apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	u, err := tx.UserByName(norm)
	if errors.Is(err, apperr.ErrNotFound) {
		return u, apperr.Wrap(err, apperr.NotFound, "there is no user named %q", norm)
	}
	return u, err
}

// keepAnAdmin refuses when no enabled administrator but except would remain.
func keepAnAdmin(tx *store.Tx, except string) error {
	us, err := tx.Users()
	if err != nil {
		return err
	}
	for _, u := range us {
		if u.ID != except && u.Role == identity.Admin && !u.Disabled {
			return nil
		}
	}
	return &ruleError{rule: "users:keep-an-admin", err: ErrLastAdmin}
}
