package core

import (
	"context"
	"crypto/ed25519"
	"errors"
	"sync"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
)

// ErrSessionLocked is returned by a session used after Lock.
var ErrSessionLocked = &apperr.Error{Code: apperr.Locked, Message: "the session is locked: unlock to continue"}

// Session is one unlocked user. Its methods are the commands and reads a
// user can run; each checks the role, runs in one transaction and records
// the decision in the audit trail.
type Session struct {
	c        *Core
	user     identity.User
	folderID string
	deviceID string

	mu       sync.RWMutex
	dek      secret.Bytes
	keys     *store.Keys
	auditKey ed25519.PrivateKey

	list listCache // the invoice list's opened summaries (summaries.go)
}

func newSession(c *Core, u identity.User, folderID, deviceID string, dek secret.Bytes, auditKey ed25519.PrivateKey) *Session {
	keys, err := sessionKeys(dek)
	if err != nil {
		panic(err) // a 32-byte data key always gives valid subkeys
	}
	return &Session{c: c, user: u, folderID: folderID, deviceID: deviceID, dek: dek, keys: keys, auditKey: auditKey}
}

// User is the unlocked user.
func (s *Session) User() identity.User { return s.user }

// Lock wipes the session's keys from memory; every later call fails with
// ErrSessionLocked.
func (s *Session) Lock() {
	defer s.list.wipe() // after the keys are gone, so no search can refill it
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		return
	}
	s.keys.Sealer.Wipe()
	s.keys.Index.Wipe()
	clear(s.auditKey)
	s.dek.Wipe()
	s.keys, s.auditKey = nil, nil
}

// Locked reports whether Lock was called.
func (s *Session) Locked() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys == nil
}

// record is what a command tells the audit entry about itself.
type record struct {
	Target string
	Reason string
	Rule   string // an object-level rule that decided, when one did
	Before string
	After  string
}

// do authorizes action for the session's user and runs fn in one write
// transaction together with the audit entry of the allowed decision. A
// denial is audited on its own and returned as forbidden; a command that
// fails after being allowed rolls back and is audited as not done.
func (s *Session) do(ctx context.Context, action identity.Action, target string, fn func(*store.Tx, *record) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.keys == nil {
		return ErrSessionLocked
	}
	ok, rule := identity.Can(s.user.Role, action)
	if !ok {
		s.auditAlone(ctx, audit.Entry{Action: string(action), Target: target, Decision: audit.Denied, Rule: rule,
			Reason: "role " + string(s.user.Role) + " may not do this"})
		return apperr.New(apperr.Forbidden, "your role (%s) may not do this (%s)", s.user.Role, action)
	}
	rec := &record{Target: target}
	err := s.update(ctx, func(tx *store.Tx) error {
		if err := fn(tx, rec); err != nil {
			return err
		}
		if rec.Rule != "" {
			rule += "; " + rec.Rule
		}
		return s.appendAudit(tx, audit.Entry{Action: string(action), Target: rec.Target, Decision: audit.Allowed,
			Rule: rule, Reason: rec.Reason, Before: rec.Before, After: rec.After})
	})
	if re, ok := asRuleError(err); ok {
		s.auditAlone(ctx, audit.Entry{Action: string(action), Target: rec.Target, Decision: audit.Denied, Rule: re.rule,
			Reason: re.Error()})
		return err
	}
	if err != nil {
		code, _, _ := apperr.Public(err)
		s.auditAlone(ctx, audit.Entry{Action: string(action), Target: rec.Target, Decision: audit.Allowed, Rule: rule,
			Reason: "not done: " + string(code)})
		s.c.opts.Logger.Warn("command failed", "action", string(action), "user", s.user.Name, "code", string(code), "err", err)
	}
	return err
}

// outside authorizes action and runs fn outside any transaction, for slow
// preparation (reading a file, a PDF engine, a model) that must not hold
// SQLite's write lock. Denials and failures are audited like do()'s.
func (s *Session) outside(ctx context.Context, action identity.Action, fn func() error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.keys == nil {
		return ErrSessionLocked
	}
	ok, rule := identity.Can(s.user.Role, action)
	if !ok {
		s.auditAlone(ctx, audit.Entry{Action: string(action), Decision: audit.Denied, Rule: rule,
			Reason: "role " + string(s.user.Role) + " may not do this"})
		return apperr.New(apperr.Forbidden, "your role (%s) may not do this (%s)", s.user.Role, action)
	}
	if err := fn(); err != nil {
		code, _, _ := apperr.Public(err)
		s.auditAlone(ctx, audit.Entry{Action: string(action), Decision: audit.Allowed, Rule: rule, Reason: "not done: " + string(code)})
		return err
	}
	return nil
}

// appendAudit adds an entry for this session's user inside tx. Callers hold s.mu.
func (s *Session) appendAudit(tx *store.Tx, e audit.Entry) error {
	e.Device, e.Actor, e.Time = s.deviceID, s.user.Name, s.c.now()
	_, err := tx.AppendAudit(s.auditKey, e)
	return err
}

// auditAlone appends an entry in its own transaction (denials and failures,
// whose command transaction did not commit). Callers hold s.mu.
func (s *Session) auditAlone(ctx context.Context, e audit.Entry) {
	err := s.update(ctx, func(tx *store.Tx) error { return s.appendAudit(tx, e) })
	if err != nil && !errors.Is(err, context.Canceled) {
		s.c.opts.Logger.Error("audit append failed", "action", e.Action, "err", err)
	}
}
