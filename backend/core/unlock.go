package core

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
)

// Lockout policy: after MaxFailures consecutive failures a name is locked
// for LockoutBase, doubling with every further failure up to LockoutMax.
const (
	MaxFailures = 5
	LockoutBase = 30 * time.Second
	LockoutMax  = time.Hour
)

// ErrBadCredentials is the one answer for an unknown user and a wrong
// password (security checklist #11).
var ErrBadCredentials = &apperr.Error{Code: apperr.Forbidden, Message: "wrong user name or password"}

func lockoutFor(failures int) time.Duration {
	if failures < MaxFailures {
		return 0
	}
	d := LockoutBase
	for i := MaxFailures; i < failures && d < LockoutMax; i++ {
		d *= 2
	}
	return min(d, LockoutMax)
}

// Unlock opens the data folder for name with pw.
func (c *Core) Unlock(ctx context.Context, name string, pw secret.Password) (*Session, error) {
	norm, err := identity.NormalizeName(name)
	if err != nil {
		c.dummyUnwrap(pw)
		return nil, ErrBadCredentials
	}
	now := c.now()
	state, err := c.loginState(ctx, norm)
	if err != nil {
		return nil, err
	}
	if wait := state.LockedUntil.Sub(now); wait > 0 {
		c.pending(ctx, norm, audit.Denied, "locked out after repeated failures")
		return nil, lockedError(wait)
	}
	folderID, deviceID, err := c.folderInfo(ctx)
	if err != nil {
		return nil, err
	}
	dek, user, err := c.openUserKey(ctx, folderID, norm, pw)
	if errors.Is(err, ErrBadCredentials) {
		return nil, c.failed(ctx, norm, state, now)
	}
	if err != nil {
		return nil, err
	}
	return c.startSession(ctx, user, folderID, deviceID, dek, state.Failures)
}

func lockedError(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	return &apperr.Error{Code: apperr.Locked, RetryAfter: wait,
		Message: fmt.Sprintf("too many failed attempts: try again in %d s", secs)}
}

func (c *Core) loginState(ctx context.Context, name string) (store.LoginState, error) {
	var s store.LoginState
	err := c.db.View(ctx, nil, func(tx *store.Tx) error {
		var err error
		s, err = tx.LoginState(name)
		return err
	})
	return s, err
}

// openUserKey unwraps the data key with the user's password. Unknown users
// cost the same work and give the same error as a wrong password.
func (c *Core) openUserKey(ctx context.Context, folderID, name string, pw secret.Password) (secret.Bytes, store.UserRecord, error) {
	var u store.UserRecord
	err := c.db.View(ctx, nil, func(tx *store.Tx) error {
		var err error
		u, err = tx.UserByName(name)
		return err
	})
	if errors.Is(err, apperr.ErrNotFound) || (err == nil && u.Disabled) {
		c.dummyUnwrap(pw)
		return secret.Bytes{}, u, ErrBadCredentials
	}
	if err != nil {
		return secret.Bytes{}, u, err
	}
	device, err := vault.DeviceSecret(c.opts.Keychain, folderID, false)
	if err != nil {
		return secret.Bytes{}, u, keychainError(err, c.opts.Keychain)
	}
	defer device.Wipe()
	dek, err := vault.Unwrap(u.WrappedKey, device, pw, folderID, u.ID)
	if errors.Is(err, vault.ErrWrongKey) {
		return secret.Bytes{}, u, ErrBadCredentials
	}
	if err != nil {
		return secret.Bytes{}, u, apperr.Wrap(err, apperr.Integrity, "the stored key of user %s cannot be read", name)
	}
	return dek, u, nil
}

// failed counts a failure, locking the name when the policy says so.
func (c *Core) failed(ctx context.Context, name string, s store.LoginState, now time.Time) error {
	s.Failures++
	s.LastFailure = now
	lock := lockoutFor(s.Failures)
	if lock > 0 {
		s.LockedUntil = now.Add(lock)
	}
	err := c.db.Update(ctx, nil, func(tx *store.Tx) error {
		if err := tx.SetLoginState(name, s); err != nil {
			return err
		}
		return tx.AddPendingAuthEvent(store.PendingAuthEvent{At: now, Name: name, Action: "session.unlock",
			Decision: string(audit.Denied), Reason: fmt.Sprintf("wrong user name or password (failure %d)", s.Failures)})
	})
	if err != nil {
		return err
	}
	c.opts.Logger.Warn("unlock failed", "user", name, "failures", s.Failures)
	if lock > 0 {
		return lockedError(lock)
	}
	return ErrBadCredentials
}

// pending records an authentication event for the next unlock's audit.
func (c *Core) pending(ctx context.Context, name string, d audit.Decision, reason string) {
	err := c.db.Update(ctx, nil, func(tx *store.Tx) error {
		return tx.AddPendingAuthEvent(store.PendingAuthEvent{At: c.now(), Name: name, Action: "session.unlock",
			Decision: string(d), Reason: reason})
	})
	if err != nil {
		c.opts.Logger.Error("recording auth event failed", "err", err)
	}
}

// startSession opens the sealed role and audit key, clears the lockout and
// folds pending authentication events into the audit chain.
func (c *Core) startSession(ctx context.Context, u store.UserRecord, folderID, deviceID string, dek secret.Bytes, failures int) (*Session, error) {
	keys, err := sessionKeys(dek)
	if err != nil {
		return nil, err
	}
	var auditKey ed25519.PrivateKey
	err = c.db.View(ctx, keys, func(tx *store.Tx) error {
		if u, err = tx.UserByName(u.Name); err != nil {
			return err
		}
		k, err := tx.SealedMeta(store.MetaAuditSecretKey)
		auditKey = ed25519.PrivateKey(k)
		return err
	})
	if err != nil || len(auditKey) != ed25519.PrivateKeySize {
		return nil, apperr.Wrap(err, apperr.Integrity, "the data folder's keys do not authenticate")
	}
	s := newSession(c, identity.User{ID: u.ID, Name: u.Name, Role: u.Role}, folderID, deviceID, dek, auditKey)
	err = c.db.Update(ctx, s.keys, func(tx *store.Tx) error {
		if err := tx.SetLoginState(u.Name, store.LoginState{}); err != nil {
			return err
		}
		return tx.SetMeta(store.MetaLastUser, []byte(u.Name))
	})
	if err != nil {
		s.Lock()
		return nil, err
	}
	err = s.update(ctx, func(tx *store.Tx) error {
		if err := s.foldPending(tx); err != nil {
			return err
		}
		return s.appendAudit(tx, audit.Entry{Action: "session.unlock", Target: u.ID, Decision: audit.Allowed,
			Rule: "password", Reason: fmt.Sprintf("unlocked after %d failed attempts", failures)})
	})
	switch {
	case apperr.CodeOf(err) == apperr.Integrity:
		// A damaged trail must not lock everyone out: the session opens so
		// an auditor or admin can run verify, while every command that
		// would extend the trail keeps failing.
		c.opts.Logger.Error("audit trail damaged at unlock", "user", u.Name, "err", err)
	case err != nil:
		s.Lock()
		return nil, err
	}
	c.opts.Logger.Info("unlocked", "user", u.Name, "role", string(u.Role))
	return s, nil
}

func (s *Session) foldPending(tx *store.Tx) error {
	events, err := tx.TakePendingAuthEvents()
	if err != nil {
		return err
	}
	for _, p := range events {
		e := audit.Entry{Device: s.deviceID, Actor: p.Name, Time: p.At, Action: p.Action,
			Decision: audit.Decision(p.Decision), Reason: p.Reason, Rule: "lockout-policy"}
		if _, err := tx.AppendAudit(s.auditKey, e); err != nil {
			return err
		}
	}
	return nil
}
