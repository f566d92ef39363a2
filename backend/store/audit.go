package store

import (
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/seal"
)

func auditAD(device string, seq uint64) seal.AD {
	return seal.AD{Table: "audit_entries", Row: device + "/" + strconv.FormatUint(seq, 10), Column: "body"}
}

// AppendAudit links e after the device's last entry, stores it sealed and
// re-signs the head, all inside the caller's transaction: the entry commits
// with the change it records or not at all.
func (tx *Tx) AppendAudit(priv ed25519.PrivateKey, e audit.Entry) (audit.Entry, error) {
	if tx.keys == nil {
		return audit.Entry{}, ErrLockedKeys
	}
	var prev *audit.Entry
	var seq int64
	var hash []byte
	err := tx.tx.QueryRow("SELECT seq, hash FROM audit_heads WHERE device = ?", e.Device).Scan(&seq, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// No head: only right for a device with no entries at all. Entries
		// without a head mean the head row was removed; appending would
		// restart the chain and hide that.
		var n int
		if err := tx.tx.QueryRow("SELECT count(*) FROM audit_entries WHERE device = ?", e.Device).Scan(&n); err != nil {
			return audit.Entry{}, fmt.Errorf("store: audit count: %w", err)
		}
		if n > 0 {
			return audit.Entry{}, apperr.New(apperr.Integrity, "the audit trail's signed head is missing: run audit verify")
		}
	case err != nil:
		return audit.Entry{}, fmt.Errorf("store: audit head: %w", err)
	default:
		p := audit.Entry{Seq: uint64(seq)} // #nosec G115 -- seq is never negative
		copy(p.Hash[:], hash)
		prev = &p
	}
	e = audit.Next(prev, e)
	body, err := tx.keys.Sealer.Seal(e.Encode(), auditAD(e.Device, e.Seq))
	if err != nil {
		return audit.Entry{}, err
	}
	if _, err := tx.tx.Exec("INSERT INTO audit_entries(device, seq, body, hash) VALUES(?,?,?,?)",
		e.Device, e.Seq, body, e.Hash[:]); err != nil {
		return audit.Entry{}, fmt.Errorf("store: append audit: %w", err)
	}
	h := audit.SignHead(priv, e.Device, e)
	if _, err := tx.tx.Exec(`INSERT INTO audit_heads(device, seq, hash, sig) VALUES(?,?,?,?)
		ON CONFLICT(device) DO UPDATE SET seq=excluded.seq, hash=excluded.hash, sig=excluded.sig`,
		h.Device, h.Seq, h.Hash[:], h.Sig); err != nil {
		return audit.Entry{}, fmt.Errorf("store: audit head: %w", err)
	}
	return e, tx.auditAppended(e)
}

// AuditLog reads a device's entries in seq order and its signed head. An
// entry whose sealed body does not open (edited bytes, or a body moved to
// another row) is reported as a *audit.VerifyError at that entry.
func (tx *Tx) AuditLog(device string) ([]audit.Entry, *audit.Head, error) {
	if tx.keys == nil {
		return nil, nil, ErrLockedKeys
	}
	rows, err := tx.tx.Query("SELECT seq, body, hash FROM audit_entries WHERE device = ? ORDER BY seq", device)
	if err != nil {
		return nil, nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var seq uint64
		var body, hash []byte
		if err := rows.Scan(&seq, &body, &hash); err != nil {
			return nil, nil, fmt.Errorf("store: scan audit: %w", err)
		}
		e, err := tx.openAudit(device, seq, body, hash)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	head, err := tx.auditHead(device)
	return out, head, err
}

func (tx *Tx) openAudit(device string, seq uint64, body, hash []byte) (audit.Entry, error) {
	plain, err := tx.keys.Sealer.Open(body, auditAD(device, seq))
	if err != nil {
		return audit.Entry{}, &audit.VerifyError{Index: seq, Reason: "sealed entry does not authenticate (edited or moved)"}
	}
	e, err := audit.Decode(plain)
	if err != nil {
		return audit.Entry{}, &audit.VerifyError{Index: seq, Reason: "entry is unreadable: " + err.Error()}
	}
	if len(hash) != len(e.Hash) {
		return audit.Entry{}, &audit.VerifyError{Index: seq, Reason: "stored hash has the wrong length"}
	}
	copy(e.Hash[:], hash)
	return e, nil
}

func (tx *Tx) auditHead(device string) (*audit.Head, error) {
	h := audit.Head{Device: device}
	var hash []byte
	err := tx.tx.QueryRow("SELECT seq, hash, sig FROM audit_heads WHERE device = ?", device).Scan(&h.Seq, &hash, &h.Sig)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: audit head: %w", err)
	}
	copy(h.Hash[:], hash)
	return &h, nil
}
