package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/client"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/wire"
)

// Replica is the sync side of an unlocked session: the outbox, the cursor
// and the merged state in the sealed store. It works only while the
// session is unlocked (the store's keys exist only then); after Lock every
// method fails with ErrSessionLocked.
type Replica struct{ s *Session }

var (
	_ client.Replica  = (*Replica)(nil)
	_ client.Uploader = (*Replica)(nil)
)

// Sentinel errors of the replica.
var (
	// ErrNotBound: this session's user has no server identity yet.
	ErrNotBound = errors.New("core: not logged in to a sync server")
	// ErrIndexChanged: the server's log is another one than the cursor's;
	// bootstrap again from a snapshot.
	ErrIndexChanged = errors.New("core: the server's log index changed")
	// ErrSnapshotOrder: a snapshot page came out of order; restart at page 0.
	ErrSnapshotOrder = errors.New("core: snapshot page out of order")
	// ErrAttachmentHash: downloaded content does not match its hash.
	ErrAttachmentHash = errors.New("core: attachment content does not match its hash")
)

// Replica returns the session's replica.
func (s *Session) Replica() *Replica { return &Replica{s: s} }

// InitFromServer sets up the data folder on first login to a sync server:
// its keys and a first local user with the server's name and role. device
// is the device id the login was made with (a UUID), so the server's record
// of devices names this folder and not a throwaway id; "" makes a new one.
func (c *Core) InitFromServer(ctx context.Context, name string, pw secret.Password, role identity.Role, device string) (*Session, string, error) {
	if _, err := identity.ParseRole(string(role)); err != nil {
		return nil, "", apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	if device != "" {
		u, err := uuid.Parse(device)
		if err != nil {
			return nil, "", apperr.New(apperr.InvalidInput, "device id %q is not a UUID", device)
		}
		device = u.String()
	}
	return c.initFolder(ctx, name, pw, role, device)
}

// Device is this data folder's device id.
func (r *Replica) Device() string { return r.s.deviceID }

// write runs fn in a write transaction WITHOUT the outbox hooks: applying
// what the server sent must not queue it again.
func (r *Replica) write(ctx context.Context, fn func(*store.Tx) error) error {
	r.s.mu.RLock()
	defer r.s.mu.RUnlock()
	if r.s.keys == nil {
		return ErrSessionLocked
	}
	return r.s.c.db.Update(ctx, r.s.keys, fn)
}

func (r *Replica) read(ctx context.Context, fn func(*store.Tx) error) error {
	r.s.mu.RLock()
	defer r.s.mu.RUnlock()
	if r.s.keys == nil {
		return ErrSessionLocked
	}
	return r.s.c.db.View(ctx, r.s.keys, fn)
}

// Bind records the server's user id for this session's user: ops this
// user made go out under it.
func (r *Replica) Bind(ctx context.Context, serverUser string) error {
	if serverUser == "" {
		return apperr.New(apperr.InvalidInput, "no server user to bind")
	}
	return r.write(ctx, func(tx *store.Tx) error {
		return tx.SetMeta(store.MetaSyncUser(r.s.user.ID), []byte(serverUser))
	})
}

// Pending returns up to n ops not yet acknowledged, oldest first, each
// under its maker's server identity.
func (r *Replica) Pending(ctx context.Context, n int) ([]wire.Op, error) {
	var out []wire.Op
	err := r.write(ctx, func(tx *store.Tx) error {
		bound := map[string]string{}
		me, err := serverUser(tx, r.s.user.ID)
		if err != nil {
			return err
		}
		if me == "" {
			return apperr.Wrap(ErrNotBound, apperr.Unavailable, "log in to the sync server first (smartap login)")
		}
		bound[r.s.user.ID] = me
		rows, err := tx.OutboxPending(n)
		if err != nil {
			return err
		}
		for _, row := range rows {
			w, err := decodeWireOp(row.Op)
			if err != nil {
				return err
			}
			if _, ok := bound[w.User]; !ok {
				if bound[w.User], err = serverUser(tx, w.User); err != nil {
					return err
				}
			}
			if u := bound[w.User]; u != "" {
				w.User = u
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

func serverUser(tx *store.Tx, localID string) (string, error) {
	b, err := tx.Meta(store.MetaSyncUser(localID))
	if errors.Is(err, store.ErrNoMeta) {
		return "", nil
	}
	return string(b), err
}

// PendingCount counts ops not yet acknowledged.
func (r *Replica) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := r.write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.OutboxCount()
		return err
	})
	return n, err
}

// Acked records server sequences. An op the cursor has already passed
// came in through a snapshot: it leaves the outbox at once.
func (r *Replica) Acked(ctx context.Context, index string, acks []wire.Acked) error {
	return r.write(ctx, func(tx *store.Tx) error {
		cur, err := readCursor(tx)
		if err != nil {
			return err
		}
		for _, a := range acks {
			row, ok, err := tx.OutboxOp(a.Op)
			if err != nil {
				return err
			}
			if !ok { // confirmed already, or never ours
				continue
			}
			if _, err := tx.OutboxAck(a.Op, index, a.Seq); err != nil {
				return err
			}
			if cur.Index != index || a.Seq > cur.Seq {
				continue
			}
			if err := tx.OutboxDelete(a.Op); err != nil {
				return err
			}
			if row.EntityType == merge.EntityInvoice {
				if err := r.s.refresh(tx, row.EntityID, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// rejection is a stored rejection's sealed body.
type rejection struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Rule    string  `json:"rule,omitempty"`
	Op      wire.Op `json:"op"`
}

// Rejected drops a refused op, undoes it in the local view and keeps a
// record of it.
func (r *Replica) Rejected(ctx context.Context, rj wire.Reject) error {
	return r.write(ctx, func(tx *store.Tx) error {
		row, ok, err := tx.OutboxOp(rj.Op)
		if err != nil || !ok {
			return err
		}
		w, err := decodeWireOp(row.Op)
		if err != nil {
			return err
		}
		body, _ := json.Marshal(rejection{Code: rj.Code, Message: rj.Message, Rule: rj.Rule, Op: w})
		if _, err := tx.PutSyncRejection(store.SyncRecord{ID: rj.Op, EntityID: row.EntityID, Body: body, At: r.s.c.now()}); err != nil {
			return err
		}
		if err := tx.OutboxDelete(rj.Op); err != nil {
			return err
		}
		if row.EntityType != merge.EntityInvoice {
			return nil
		}
		return r.s.refresh(tx, row.EntityID, nil)
	})
}

// Cursor is the last applied server position (zero if never synced).
func (r *Replica) Cursor(ctx context.Context) (wire.Cursor, error) {
	var c wire.Cursor
	err := r.read(ctx, func(tx *store.Tx) error {
		var err error
		c, err = readCursor(tx)
		return err
	})
	return c, err
}

func readCursor(tx *store.Tx) (wire.Cursor, error) {
	b, err := tx.Meta(store.MetaSyncCursor)
	if errors.Is(err, store.ErrNoMeta) {
		return wire.Cursor{}, nil
	}
	if err != nil {
		return wire.Cursor{}, err
	}
	c, err := wire.ParseCursor(string(b))
	if err != nil {
		return c, apperr.Wrap(err, apperr.Integrity, "the stored sync cursor is unreadable")
	}
	return c, nil
}

func writeCursor(tx *store.Tx, c wire.Cursor) error {
	return tx.SetMeta(store.MetaSyncCursor, []byte(c.String()))
}

// Exception records a server-sent exception once. Its key is derived from
// the kind and the two ops, so one computed here while applying the same
// log is the same record.
func (r *Replica) Exception(ctx context.Context, e wire.Exception) error {
	ex := merge.Exception{ID: merge.ExceptionID(merge.ExceptionKind(e.Kind), e.Winner, e.Loser),
		Entity: merge.Entity{Type: e.Entity.Type, ID: e.Entity.ID}, Kind: merge.ExceptionKind(e.Kind),
		Winner: e.Winner, Loser: e.Loser, Message: e.Message}
	return r.write(ctx, func(tx *store.Tx) error { return r.s.putException(tx, ex, e.Seq) })
}

func (s *Session) putException(tx *store.Tx, ex merge.Exception, seq uint64) error {
	body, err := json.Marshal(ex)
	if err != nil {
		return err
	}
	_, err = tx.PutSyncException(store.SyncRecord{ID: ex.ID, EntityID: ex.Entity.ID, Seq: seq, Body: body, At: s.c.now()})
	return err
}

// Exceptions lists exceptions, newest first.
func (r *Replica) Exceptions(ctx context.Context) ([]client.ExceptionView, error) {
	out := []client.ExceptionView{}
	err := r.read(ctx, func(tx *store.Tx) error {
		recs, err := tx.SyncExceptions()
		for _, rec := range recs {
			var ex merge.Exception
			if err := json.Unmarshal(rec.Body, &ex); err != nil {
				return fmt.Errorf("core: exception %s: %w", rec.ID, err)
			}
			out = append(out, client.ExceptionView{ID: rec.ID, Invoice: rec.EntityID, Kind: string(ex.Kind),
				Message: ex.Message, Winner: ex.Winner, Loser: ex.Loser, Seq: rec.Seq, At: rec.At})
		}
		return err
	})
	return out, err
}

// Rejections lists this device's refused ops, newest first.
func (r *Replica) Rejections(ctx context.Context) ([]client.RejectionView, error) {
	out := []client.RejectionView{}
	err := r.read(ctx, func(tx *store.Tx) error {
		recs, err := tx.SyncRejections()
		for _, rec := range recs {
			var rj rejection
			if err := json.Unmarshal(rec.Body, &rj); err != nil {
				return fmt.Errorf("core: rejection %s: %w", rec.ID, err)
			}
			out = append(out, client.RejectionView{Op: rec.ID, Invoice: rec.EntityID, Code: rj.Code,
				Message: rj.Message, Rule: rj.Rule, At: rec.At})
		}
		return err
	})
	return out, err
}
