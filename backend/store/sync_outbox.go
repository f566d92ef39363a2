package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/seal"
)

// OutboxRow is one op this device made, sealed at rest. Op is the encoded
// wire op (the store does not interpret it).
type OutboxRow struct {
	ID         int64
	OpID       string
	EntityType string
	EntityID   string
	Op         []byte
	AckedIndex string
	AckedSeq   uint64 // 0: not yet acknowledged
}

// sealBytes seals raw bytes for their place.
func (tx *Tx) sealBytes(table, row, column string, b []byte) ([]byte, error) {
	if tx.keys == nil {
		return nil, ErrLockedKeys
	}
	return tx.keys.Sealer.Seal(b, seal.AD{Table: table, Row: row, Column: column})
}

// openBytes opens sealed bytes; failure to authenticate is an integrity error.
func (tx *Tx) openBytes(table, row, column string, env []byte) ([]byte, error) {
	if tx.keys == nil {
		return nil, ErrLockedKeys
	}
	b, err := tx.keys.Sealer.Open(env, seal.AD{Table: table, Row: row, Column: column})
	if err != nil {
		return nil, integrity(err, table, row)
	}
	return b, nil
}

// OutboxAdd queues an op. The same op id twice is a caller bug and fails.
func (tx *Tx) OutboxAdd(opID, entityType, entityID string, op []byte, at time.Time) error {
	body, err := tx.sealBytes("sync_outbox", opID, "body", op)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO sync_outbox(op_id, entity_type, entity_id, body, created_at) VALUES(?,?,?,?,?)",
		opID, entityType, entityID, body, fmtTime(at))
	if err != nil {
		return fmt.Errorf("store: queue op: %w", err)
	}
	return nil
}

const outboxCols = "id, op_id, entity_type, entity_id, body, acked_index, acked_seq"

func (tx *Tx) scanOutbox(s scanner) (OutboxRow, error) {
	var r OutboxRow
	var body []byte
	if err := s.Scan(&r.ID, &r.OpID, &r.EntityType, &r.EntityID, &body, &r.AckedIndex, &r.AckedSeq); err != nil {
		return r, fmt.Errorf("store: scan outbox: %w", err)
	}
	var err error
	r.Op, err = tx.openBytes("sync_outbox", r.OpID, "body", body)
	return r, err
}

// OutboxPending lists up to n ops not yet acknowledged, oldest first.
func (tx *Tx) OutboxPending(n int) ([]OutboxRow, error) {
	return queryAll(tx, "pending ops", tx.scanOutbox,
		"SELECT "+outboxCols+" FROM sync_outbox WHERE acked_seq = 0 ORDER BY id LIMIT ?", n)
}

// OutboxCount counts ops not yet acknowledged.
func (tx *Tx) OutboxCount() (int, error) {
	var n int
	if err := tx.tx.QueryRow("SELECT count(*) FROM sync_outbox WHERE acked_seq = 0").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count pending ops: %w", err)
	}
	return n, nil
}

// OutboxForEntity lists every op of an entity still in the outbox, acked
// or not (both are on top of the confirmed state), oldest first.
func (tx *Tx) OutboxForEntity(entityID string) ([]OutboxRow, error) {
	return queryAll(tx, "entity ops", tx.scanOutbox,
		"SELECT "+outboxCols+" FROM sync_outbox WHERE entity_id = ? ORDER BY id", entityID)
}

// OutboxEntities lists the entities of a type with ops in the outbox.
func (tx *Tx) OutboxEntities(entityType string) ([]string, error) {
	return queryAll(tx, "outbox entities", scanString,
		"SELECT DISTINCT entity_id FROM sync_outbox WHERE entity_type = ? ORDER BY entity_id", entityType)
}

// OutboxOp finds one op by id.
func (tx *Tx) OutboxOp(opID string) (OutboxRow, bool, error) {
	r, err := tx.scanOutbox(tx.tx.QueryRow("SELECT "+outboxCols+" FROM sync_outbox WHERE op_id = ?", opID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// OutboxAck records the server sequence of an op; false if the op is not
// (or no longer) in the outbox.
func (tx *Tx) OutboxAck(opID, index string, seq uint64) (bool, error) {
	res, err := tx.tx.Exec("UPDATE sync_outbox SET acked_index = ?, acked_seq = ? WHERE op_id = ?", index, seq, opID)
	if err != nil {
		return false, fmt.Errorf("store: ack op: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// OutboxDelete removes an op (confirmed in server order, or refused).
func (tx *Tx) OutboxDelete(opID string) error {
	if _, err := tx.tx.Exec("DELETE FROM sync_outbox WHERE op_id = ?", opID); err != nil {
		return fmt.Errorf("store: delete op: %w", err)
	}
	return nil
}

// OutboxDeleteConfirmed removes ops acknowledged at or below seq in index:
// a snapshot taken at that position already contains them.
func (tx *Tx) OutboxDeleteConfirmed(index string, seq uint64) error {
	_, err := tx.tx.Exec("DELETE FROM sync_outbox WHERE acked_seq > 0 AND acked_index = ? AND acked_seq <= ?", index, seq)
	if err != nil {
		return fmt.Errorf("store: drop confirmed ops: %w", err)
	}
	return nil
}

func scanString(s scanner) (string, error) {
	var v string
	err := s.Scan(&v)
	return v, err
}

func integrity(err error, table, row string) error {
	return apperr.Wrap(err, apperr.Integrity, "stored %s data for %s does not authenticate", table, row)
}
