package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/audit"
)

// Clear meta keys of sync: positions and clocks, no content.
const (
	MetaSyncCursor = "sync_cursor" // "<index>:<seq>" of the last applied server op
	MetaSyncClock  = "sync_clock"  // this device's hybrid logical clock
	MetaSyncSeeded = "sync_seeded" // invoices older than sync were queued
)

// MetaSyncUser is the meta key of the server user id bound to a local user.
func MetaSyncUser(localUserID string) string { return "sync_user:" + localUserID }

// SyncState is one invoice's confirmed merge state and local view, as
// encoded by the caller.
type SyncState struct {
	EntityID  string
	Confirmed []byte
	View      []byte
}

// SyncStateOf loads an invoice's states; ok is false if it has none yet.
func (tx *Tx) SyncStateOf(id string) (SyncState, bool, error) {
	st := SyncState{EntityID: id}
	var c, v []byte
	err := tx.tx.QueryRow("SELECT confirmed, view FROM sync_states WHERE entity_id = ?", id).Scan(&c, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("store: sync state: %w", err)
	}
	if st.Confirmed, err = tx.openBytes("sync_states", id, "confirmed", c); err != nil {
		return st, false, err
	}
	st.View, err = tx.openBytes("sync_states", id, "view", v)
	return st, err == nil, err
}

// PutSyncState stores an invoice's states.
func (tx *Tx) PutSyncState(st SyncState) error {
	c, err := tx.sealBytes("sync_states", st.EntityID, "confirmed", st.Confirmed)
	if err != nil {
		return err
	}
	v, err := tx.sealBytes("sync_states", st.EntityID, "view", st.View)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec(`INSERT INTO sync_states(entity_id, confirmed, view) VALUES(?,?,?)
		ON CONFLICT(entity_id) DO UPDATE SET confirmed = excluded.confirmed, view = excluded.view`, st.EntityID, c, v)
	if err != nil {
		return fmt.Errorf("store: put sync state: %w", err)
	}
	return nil
}

// SyncStateIDs lists the invoices that have sync state.
func (tx *Tx) SyncStateIDs() ([]string, error) {
	return queryAll(tx, "sync states", scanString, "SELECT entity_id FROM sync_states ORDER BY entity_id")
}

// SyncRecord is a stored exception or rejection: ids in clear, Body sealed.
type SyncRecord struct {
	ID       string
	EntityID string
	Seq      uint64
	Body     []byte
	At       time.Time
}

// PutSyncException stores an exception once; false if its id is known.
func (tx *Tx) PutSyncException(r SyncRecord) (bool, error) {
	return tx.putRecord("sync_exceptions", "INSERT INTO sync_exceptions(id, entity_id, seq, body, created_at) VALUES(?,?,?,?,?) ON CONFLICT(id) DO NOTHING", r, true)
}

// PutSyncRejection stores a rejection once; false if the op is known.
func (tx *Tx) PutSyncRejection(r SyncRecord) (bool, error) {
	return tx.putRecord("sync_rejections", "INSERT INTO sync_rejections(op_id, entity_id, body, created_at) VALUES(?,?,?,?) ON CONFLICT(op_id) DO NOTHING", r, false)
}

func (tx *Tx) putRecord(table, q string, r SyncRecord, withSeq bool) (bool, error) {
	body, err := tx.sealBytes(table, r.ID, "body", r.Body)
	if err != nil {
		return false, err
	}
	args := []any{r.ID, r.EntityID, body, fmtTime(r.At)}
	if withSeq {
		args = []any{r.ID, r.EntityID, r.Seq, body, fmtTime(r.At)}
	}
	res, err := tx.tx.Exec(q, args...)
	if err != nil {
		return false, fmt.Errorf("store: put %s: %w", table, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SyncExceptions lists exceptions, newest first.
func (tx *Tx) SyncExceptions() ([]SyncRecord, error) {
	return queryAll(tx, "sync exceptions", tx.recordScanner("sync_exceptions"),
		"SELECT id, entity_id, seq, body, created_at FROM sync_exceptions ORDER BY created_at DESC, rowid DESC")
}

// SyncRejections lists rejections, newest first.
func (tx *Tx) SyncRejections() ([]SyncRecord, error) {
	return queryAll(tx, "sync rejections", tx.recordScanner("sync_rejections"),
		"SELECT op_id, entity_id, 0, body, created_at FROM sync_rejections ORDER BY created_at DESC, rowid DESC")
}

func (tx *Tx) recordScanner(table string) func(scanner) (SyncRecord, error) {
	return func(s scanner) (SyncRecord, error) {
		var r SyncRecord
		var body []byte
		var at string
		if err := s.Scan(&r.ID, &r.EntityID, &r.Seq, &body, &at); err != nil {
			return r, fmt.Errorf("store: scan %s: %w", table, err)
		}
		var err error
		if r.Body, err = tx.openBytes(table, r.ID, "body", body); err != nil {
			return r, err
		}
		r.At, err = parseTime(at)
		return r, err
	}
}

// RemoteAuditLast is the last stored entry of another device's chain
// (ok false if none).
func (tx *Tx) RemoteAuditLast(device string) (seq uint64, hash [32]byte, ok bool, err error) {
	var h []byte
	err = tx.tx.QueryRow("SELECT seq, hash FROM sync_remote_audit WHERE device = ? ORDER BY seq DESC LIMIT 1", device).Scan(&seq, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, hash, false, nil
	}
	if err != nil {
		return 0, hash, false, fmt.Errorf("store: remote audit: %w", err)
	}
	copy(hash[:], h)
	return seq, hash, true, nil
}

// RemoteAuditHash is the stored hash of one entry (ok false if absent).
func (tx *Tx) RemoteAuditHash(device string, seq uint64) ([32]byte, bool, error) {
	var hash [32]byte
	var h []byte
	err := tx.tx.QueryRow("SELECT hash FROM sync_remote_audit WHERE device = ? AND seq = ?", device, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return hash, false, nil
	}
	if err != nil {
		return hash, false, fmt.Errorf("store: remote audit: %w", err)
	}
	copy(hash[:], h)
	return hash, true, nil
}

// PutRemoteAudit stores another device's entry, sealed like local ones.
func (tx *Tx) PutRemoteAudit(e audit.Entry) error {
	body, err := tx.sealBytes("sync_remote_audit", fmt.Sprintf("%s/%d", e.Device, e.Seq), "body", e.Encode())
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO sync_remote_audit(device, seq, body, hash) VALUES(?,?,?,?)", e.Device, e.Seq, body, e.Hash[:])
	if err != nil {
		return fmt.Errorf("store: put remote audit: %w", err)
	}
	return nil
}

// RemoteAuditLog reads another device's stored entries in seq order.
func (tx *Tx) RemoteAuditLog(device string) ([]audit.Entry, error) {
	return queryAll(tx, "remote audit", func(s scanner) (audit.Entry, error) {
		var seq uint64
		var body, hash []byte
		if err := s.Scan(&seq, &body, &hash); err != nil {
			return audit.Entry{}, err
		}
		plain, err := tx.openBytes("sync_remote_audit", fmt.Sprintf("%s/%d", device, seq), "body", body)
		if err != nil {
			return audit.Entry{}, err
		}
		e, err := audit.Decode(plain)
		if err != nil {
			return audit.Entry{}, integrity(err, "sync_remote_audit", device)
		}
		copy(e.Hash[:], hash)
		return e, nil
	}, "SELECT seq, body, hash FROM sync_remote_audit WHERE device = ? ORDER BY seq", device)
}

// PutSnapshotPage stages what a bootstrap in progress carries to its next
// page (replacing what was staged).
func (tx *Tx) PutSnapshotPage(page uint32, at string, body []byte) error {
	if err := tx.ClearSnapshotPages(); err != nil {
		return err
	}
	env, err := tx.sealBytes("sync_snapshot_pages", fmt.Sprint(page), "body", body)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO sync_snapshot_pages(page, at, body) VALUES(?,?,?)", page, at, env)
	if err != nil {
		return fmt.Errorf("store: stage snapshot page: %w", err)
	}
	return nil
}

// SnapshotPages reads the staged pages in order, with the "at" each had.
func (tx *Tx) SnapshotPages() (bodies [][]byte, ats []string, err error) {
	type row struct {
		body []byte
		at   string
	}
	rows, err := queryAll(tx, "snapshot pages", func(s scanner) (row, error) {
		var page uint32
		var r row
		var env []byte
		if err := s.Scan(&page, &r.at, &env); err != nil {
			return r, err
		}
		r.body, err = tx.openBytes("sync_snapshot_pages", fmt.Sprint(page), "body", env)
		return r, err
	}, "SELECT page, at, body FROM sync_snapshot_pages ORDER BY page")
	for _, r := range rows {
		bodies, ats = append(bodies, r.body), append(ats, r.at)
	}
	return bodies, ats, err
}

// SnapshotPageNumber reads the number of the staged page (the next page a
// bootstrap in progress expects).
func (tx *Tx) SnapshotPageNumber(page *uint32) error {
	if err := tx.tx.QueryRow("SELECT page FROM sync_snapshot_pages ORDER BY page LIMIT 1").Scan(page); err != nil {
		return fmt.Errorf("store: snapshot page: %w", err)
	}
	return nil
}

// ClearSnapshotPages drops a staged bootstrap.
func (tx *Tx) ClearSnapshotPages() error {
	if _, err := tx.tx.Exec("DELETE FROM sync_snapshot_pages"); err != nil {
		return fmt.Errorf("store: clear snapshot: %w", err)
	}
	return nil
}

// SetInvoiceSource rewrites an invoice's source (an original downloaded
// after the invoice arrived) and its duplicate-file index.
func (tx *Tx) SetInvoiceSource(id string, src InvoiceSource) error {
	env, err := tx.sealJSON("invoices", id, "source", src)
	if err != nil {
		return err
	}
	sha, err := tx.index("invoice.sha256", src.SHA256)
	if err != nil {
		return err
	}
	if _, err := tx.tx.Exec("UPDATE invoices SET source = ?, sha_index = ? WHERE id = ?", env, sha, id); err != nil {
		return fmt.Errorf("store: set invoice source: %w", err)
	}
	return nil
}
