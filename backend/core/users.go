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
			out = append(out, UserInfo{ID: u.ID, Name: u.Name, Role: u.Role, CreatedAt: u.CreatedAt})
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
