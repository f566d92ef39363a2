package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// ApplyPage applies server-ordered ops and moves the cursor, in one
// transaction. Ops at or below the cursor are skipped, so a page applied
// twice (a crash before the cursor was written is impossible, but a
// resent page is not) changes nothing the second time.
func (r *Replica) ApplyPage(ctx context.Context, ops []wire.Sequenced, next wire.Cursor) error {
	return r.write(ctx, func(tx *store.Tx) error {
		cur, err := readCursor(tx)
		if err != nil {
			return err
		}
		if cur != (wire.Cursor{}) && !cur.SameIndex(next) {
			return fmt.Errorf("%w: the cursor is in %q, the page in %q: bootstrap again", ErrIndexChanged, cur.Index, next.Index)
		}
		remote := map[string][]merge.Op{}
		for _, sq := range ops {
			if cur.Index == next.Index && sq.Seq <= cur.Seq {
				continue
			}
			if err := r.s.applyRemote(tx, next.Index, sq, remote); err != nil {
				return err
			}
		}
		for _, id := range slices.Sorted(maps.Keys(remote)) {
			if err := r.s.refresh(tx, id, remote[id]); err != nil {
				return err
			}
		}
		if next.Seq < cur.Seq && cur.SameIndex(next) {
			return nil
		}
		return writeCursor(tx, next)
	})
}

// applyRemote applies one op to the confirmed state; remote collects the
// invoices touched (with the other devices' ops, for their history).
func (s *Session) applyRemote(tx *store.Tx, index string, sq wire.Sequenced, remote map[string][]merge.Op) error {
	if err := s.seen(tx, sq.Op.Clock); err != nil {
		return err
	}
	switch sq.Op.Entity.Type {
	case opcodec.EntityAudit:
		return s.applyRemoteAudit(tx, sq)
	case merge.EntityInvoice:
	default:
		return nil // entities this version does not sync
	}
	op, err := opcodec.FromWire(sq.Op)
	if err != nil {
		return s.integrityException(tx, sq, "invalid_op", fmt.Sprintf("op %s from device %s could not be read and was skipped: %v", sq.Op.ID, sq.Op.Device, err))
	}
	st, err := loadStates(tx, op.Entity.ID)
	if err != nil {
		return err
	}
	if st.floor.Index == index && sq.Seq <= st.floor.Seq {
		return nil // already in the snapshot this state came from
	}
	next, out := merge.Apply(st.confirmed, op)
	st.confirmed = next
	for _, ex := range out.Exceptions {
		if err := s.putException(tx, ex, sq.Seq); err != nil {
			return err
		}
	}
	if err := st.save(tx); err != nil {
		return err
	}
	ops := remote[op.Entity.ID]
	if op.Device == s.deviceID {
		if err := tx.OutboxDelete(op.ID); err != nil {
			return err
		}
	} else if out.Result == merge.Applied {
		ops = append(ops, op)
	}
	remote[op.Entity.ID] = ops
	return nil
}

// refresh rebuilds an invoice's view and writes it into the invoice row.
func (s *Session) refresh(tx *store.Tx, id string, remote []merge.Op) error {
	st, err := loadStates(tx, id)
	if err != nil {
		return err
	}
	if err := rebuildView(tx, &st); err != nil {
		return err
	}
	if err := st.save(tx); err != nil {
		return err
	}
	return s.project(tx, st.view, remote)
}

// project writes a view into the sealed invoice row: fields, status, cost
// centre and source, then re-runs the checks. An invoice not held here
// is created; its original arrives later as an attachment.
func (s *Session) project(tx *store.Tx, view merge.State, remote []merge.Op) error {
	fields := map[string]string{}
	for p, f := range view.Fields {
		fields[p] = f.Value
	}
	r, err := tx.Invoice(view.Entity.ID)
	exists := err == nil
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	if len(fields) == 0 || view.Status.Status == invoice.StatusReceived {
		// Nothing of it is confirmed or pending: a local invoice whose
		// creation the server refused stays as it is (the rejection says
		// why; its next change offers it again), a remote one waits.
		return nil
	}
	inv, dropped := invoiceFromFields(fields)
	inv.Confidence = r.Invoice.Confidence
	r.ID, r.Invoice, r.State = view.Entity.ID, inv, view.Status
	r.Workflow.CostCentre = fields[fieldCostCentre]
	if exists {
		annotate(&r, remote)
	} else if err := s.newFromRemote(tx, &r, fields); err != nil {
		return err
	}
	r.UpdatedAt = s.c.now()
	if err := s.check(tx, &r); err != nil {
		return err
	}
	if len(dropped) > 0 {
		r.Findings = append(r.Findings, store.Finding{Code: "sync_field_invalid", Severity: "warning",
			Message: "values synced from another device were not valid and were left out", Fields: dropped})
	}
	if exists {
		return tx.UpdateInvoice(r)
	}
	return tx.InsertInvoice(r)
}

// newFromRemote fills what a remote invoice needs to be stored here; its
// original is recorded as missing until downloaded.
func (s *Session) newFromRemote(tx *store.Tx, r *store.InvoiceRecord, fields map[string]string) error {
	r.Source = sourceFromFields(fields, store.InvoiceSource{})
	r.SHA256, r.CreatedAt = r.Source.SHA256, s.c.now()
	if r.SHA256 == "" {
		return nil
	}
	a, ok, err := tx.SyncAttachmentOf(r.SHA256)
	switch {
	case err != nil:
		return err
	case ok && a.Have:
		r.Source.Attachment = a.Name
		return nil
	case ok:
		return nil
	}
	return tx.PutSyncAttachment(store.SyncAttachment{Hash: r.SHA256, Size: r.Source.Size, Uploaded: true})
}

// annotate adds other devices' decisions to the invoice's history, as the
// local commands do. Corrections void approvals given before them.
func annotate(r *store.InvoiceRecord, ops []merge.Op) {
	for _, op := range ops {
		at := time.UnixMilli(op.Clock.Wall).UTC().Format(time.RFC3339)
		if op.Kind == merge.KindSet {
			r.Workflow.Approvals, r.Workflow.Override = nil, nil
			for _, p := range slices.Sorted(maps.Keys(op.Fields)) {
				r.Workflow.Corrections = append(r.Workflow.Corrections, store.Correction{Field: p, New: op.Fields[p].Value, By: op.User, At: at})
			}
			continue
		}
		switch op.Command.Kind {
		case invoice.Extract:
		case invoice.Submit:
			r.Workflow.SubmittedAt, r.Workflow.SubmittedBy = at, op.User
		case invoice.Approve:
			r.Workflow.Approvals = append(r.Workflow.Approvals, store.Approval{By: op.User, At: at, Level: len(r.Workflow.Approvals) + 1, Rule: "sync:" + op.Device})
		default:
			r.Workflow.Decisions = append(r.Workflow.Decisions, store.Decision{Action: string(op.Command.Kind), By: op.User, At: at, Reason: op.Command.Reason})
		}
	}
}

// applyRemoteAudit stores another device's audit entry if it chains onto
// what is held for that device. A break is an integrity exception for
// people to see, never a silently stored entry. The first entry seen of a
// device anchors its chain (a bootstrapped replica has no older ones).
func (s *Session) applyRemoteAudit(tx *store.Tx, sq wire.Sequenced) error {
	e, err := opcodec.AuditEntry(sq.Op)
	if err != nil {
		return s.integrityException(tx, sq, "audit_chain_broken", fmt.Sprintf("an audit entry of device %s is unreadable: %v", sq.Op.Device, err))
	}
	if e.Device == s.deviceID {
		return nil
	}
	last, lastHash, ok, err := tx.RemoteAuditLast(e.Device)
	if err != nil {
		return err
	}
	broken := func(why string) error {
		return s.integrityException(tx, sq, "audit_chain_broken", fmt.Sprintf("audit entry %d of device %s %s", e.Seq, e.Device, why))
	}
	switch {
	case ok && e.Seq <= last:
		h, have, err := tx.RemoteAuditHash(e.Device, e.Seq)
		if err != nil || (have && h == e.Hash) {
			return err
		}
		return broken("differs from the one held for that position")
	case ok && e.Seq != last+1:
		return broken(fmt.Sprintf("does not follow entry %d: entries are missing", last))
	case ok && e.Prev != lastHash:
		return broken("does not link to the previous entry's hash")
	case !ok && e.Seq == 1 && e.Prev != [32]byte{}:
		return broken("is the first but links to a previous one")
	}
	return tx.PutRemoteAudit(e)
}

// integrityException records a sync integrity problem as an exception.
func (s *Session) integrityException(tx *store.Tx, sq wire.Sequenced, kind, msg string) error {
	s.c.opts.Logger.Error("sync integrity", "kind", kind, "op", sq.Op.ID, "device", sq.Op.Device)
	ex := merge.Exception{ID: merge.ExceptionID(merge.ExceptionKind(kind), sq.Op.Device, sq.Op.ID),
		Entity: merge.Entity{Type: sq.Op.Entity.Type, ID: sq.Op.Entity.ID}, Kind: merge.ExceptionKind(kind),
		Loser: sq.Op.ID, Message: msg}
	return s.putException(tx, ex, sq.Seq)
}

// ApplySnapshot installs a snapshot page by page, each page in its own
// transaction so a large bootstrap neither holds the write lock for long
// nor needs all of it in memory. Page 0 starts a fresh bootstrap; pages
// must follow in order. An entity whose records may continue on the next
// page is carried over (staged, sealed). The last page sets the cursor to
// the snapshot's position. Each installed state remembers that position,
// so ops at or below it are never applied on top of it again, even if the
// bootstrap is abandoned and the client pulls from an older cursor.
func (r *Replica) ApplySnapshot(ctx context.Context, snap wire.Snapshot) error {
	return r.write(ctx, func(tx *store.Tx) error {
		carry, err := snapshotCarry(tx, snap)
		if err != nil {
			return err
		}
		recs := append(carry, snap.Records...)
		if !snap.Last && len(recs) > 0 {
			cut := len(recs)
			for cut > 0 && recs[cut-1].Entity == recs[len(recs)-1].Entity {
				cut--
			}
			recs, carry = recs[:cut], recs[cut:]
		}
		got, err := opcodec.StatesFromRecords(recs)
		if err != nil {
			return err
		}
		for _, e := range slices.SortedFunc(maps.Keys(got), func(a, b merge.Entity) int { return strings.Compare(a.ID, b.ID) }) {
			if e.Type == merge.EntityInvoice {
				if err := r.s.install(tx, snap.At, got[e]); err != nil {
					return err
				}
			}
		}
		if !snap.Last {
			body, err := json.Marshal(carry)
			if err != nil {
				return err
			}
			return tx.PutSnapshotPage(snap.Page+1, snap.At.String(), body)
		}
		return r.s.finishSnapshot(tx, snap.At)
	})
}

// snapshotCarry checks the page order and returns the records carried
// over from the previous page.
func snapshotCarry(tx *store.Tx, snap wire.Snapshot) ([]wire.Record, error) {
	bodies, ats, err := tx.SnapshotPages()
	if err != nil {
		return nil, err
	}
	if snap.Page == 0 {
		if err := tx.ClearSnapshotPages(); err != nil {
			return nil, err
		}
		// Acked ops the snapshot already holds leave the outbox now.
		return nil, tx.OutboxDeleteConfirmed(snap.At.Index, snap.At.Seq)
	}
	if len(ats) != 1 || ats[0] != snap.At.String() {
		return nil, fmt.Errorf("%w: page %d of the snapshot at %s without its earlier pages", ErrSnapshotOrder, snap.Page, snap.At)
	}
	var want uint32
	var carry []wire.Record
	if err := tx.SnapshotPageNumber(&want); err != nil {
		return nil, err
	}
	if want != snap.Page {
		return nil, fmt.Errorf("%w: got page %d, expected %d", ErrSnapshotOrder, snap.Page, want)
	}
	if err := json.Unmarshal(bodies[0], &carry); err != nil {
		return nil, apperr.Wrap(err, apperr.Integrity, "a staged snapshot page is unreadable")
	}
	return carry, nil
}

// install makes a snapshot state the confirmed state of its invoice.
func (s *Session) install(tx *store.Tx, at wire.Cursor, got merge.State) error {
	st, err := loadStates(tx, got.Entity.ID)
	if err != nil {
		return err
	}
	st.confirmed, st.floor = got, at
	if err := rebuildView(tx, &st); err != nil {
		return err
	}
	if err := st.save(tx); err != nil {
		return err
	}
	for _, ex := range got.Exceptions {
		if err := s.putException(tx, ex, 0); err != nil {
			return err
		}
	}
	return s.project(tx, st.view, nil)
}

// finishSnapshot re-applies pending ops of invoices the snapshot did not
// hold and sets the cursor.
func (s *Session) finishSnapshot(tx *store.Tx, at wire.Cursor) error {
	pending, err := tx.OutboxEntities(merge.EntityInvoice)
	if err != nil {
		return err
	}
	for _, id := range pending {
		if err := s.refresh(tx, id, nil); err != nil {
			return err
		}
	}
	if err := tx.ClearSnapshotPages(); err != nil {
		return err
	}
	return writeCursor(tx, at)
}

// seedExisting queues, once, what this folder held before sync existed:
// its audit chain and its invoices, so the server gets them whole.
func (s *Session) seedExisting(tx *store.Tx) error {
	if _, err := tx.Meta(store.MetaSyncSeeded); err == nil || !errors.Is(err, store.ErrNoMeta) {
		return err
	}
	entries, _, err := tx.AuditLog(s.deviceID)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := s.queueAudit(tx, e); err != nil {
			return err
		}
	}
	rs, err := tx.Invoices("")
	if err != nil {
		return err
	}
	for i := len(rs) - 1; i >= 0; i-- { // oldest first
		if err := s.queueInvoice(tx, nil, rs[i]); err != nil {
			return err
		}
	}
	return tx.SetMeta(store.MetaSyncSeeded, []byte(s.c.now().Format(time.RFC3339)))
}
