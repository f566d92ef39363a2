package core

import (
	"context"
	"crypto/ed25519"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/store"
)

// AuditLog returns this device's audit entries, oldest first. Reading the
// trail is itself audited.
func (s *Session) AuditLog(ctx context.Context) ([]audit.Entry, error) {
	var out []audit.Entry
	err := s.do(ctx, identity.AuditList, "", func(tx *store.Tx, _ *record) error {
		var err error
		out, _, err = tx.AuditLog(s.deviceID)
		return err
	})
	return out, err
}

// VerifyAudit checks this device's chain and signed head. The result is
// the number of entries checked, or an integrity error whose cause is an
// *audit.VerifyError naming the first bad entry. The verification runs
// before the entry that records it is appended.
func (s *Session) VerifyAudit(ctx context.Context) (int, error) {
	s.mu.RLock()
	keys, key := s.keys, s.auditKey
	s.mu.RUnlock()
	if keys == nil {
		return 0, ErrSessionLocked
	}
	if ok, _ := identity.Can(s.user.Role, identity.AuditVerify); !ok {
		return 0, s.do(ctx, identity.AuditVerify, "", nil)
	}
	var n int
	var verr error
	err := s.c.db.View(ctx, keys, func(tx *store.Tx) error {
		entries, head, err := tx.AuditLog(s.deviceID)
		if err != nil {
			verr = err
			return nil
		}
		n = len(entries)
		// The sealed private key is the trust anchor: a public key in clear
		// meta could be swapped together with a forged head.
		verr = audit.Verify(entries, head, key.Public().(ed25519.PublicKey))
		return nil
	})
	if err != nil {
		return 0, err
	}
	result := "verified"
	if verr != nil {
		result = "FAILED: " + verr.Error()
	}
	_ = s.do(ctx, identity.AuditVerify, "", func(_ *store.Tx, rec *record) error {
		rec.Reason = result
		return nil
	})
	if verr != nil {
		return n, apperr.Wrap(verr, apperr.Integrity, "%s", verr.Error())
	}
	return n, nil
}
