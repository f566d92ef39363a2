package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// update runs fn in a write transaction with the sync hooks installed:
// every invoice it writes and every audit entry it appends queue their
// ops in the outbox inside the same transaction. Every command goes
// through here (do, auditAlone, set-up, unlock), so none can forget it.
func (s *Session) update(ctx context.Context, fn func(*store.Tx) error) error {
	return s.c.db.Update(ctx, s.keys, func(tx *store.Tx) error {
		tx.SetHooks(&store.TxHooks{Invoice: s.queueInvoice, Audit: s.queueAudit})
		if err := s.seedExisting(tx); err != nil {
			return err
		}
		return fn(tx)
	})
}

// queueAudit queues an appended audit entry (audit entries are a union).
func (s *Session) queueAudit(tx *store.Tx, e audit.Entry) error {
	clk, err := s.tick(tx)
	if err != nil {
		return err
	}
	w, err := opcodec.AuditOp(newID(), s.user.ID, clk, e)
	if err != nil {
		return err
	}
	return s.enqueue(tx, w)
}

// queueInvoice turns an invoice write into ops: field changes (against the
// local view's values, whose clocks become the bases) and the status
// commands that take the view to the row's status. The ops are applied
// to the view as they are queued; a change merge cannot express fails the
// command rather than letting the replicas drift apart.
func (s *Session) queueInvoice(tx *store.Tx, before *store.InvoiceRecord, after store.InvoiceRecord) error {
	st, err := loadStates(tx, after.ID)
	if err != nil {
		return err
	}
	view := st.view
	if st.fresh && before != nil && before.State.Status != invoice.StatusReceived {
		// An invoice older than sync: queue it whole first.
		if view, err = s.queueRecord(tx, view, *before); err != nil {
			return err
		}
	}
	if st.fresh && after.Source.SHA256 != "" && after.Source.Attachment != "" {
		if err := tx.PutSyncAttachment(store.SyncAttachment{Hash: after.Source.SHA256, Size: after.Source.Size,
			Name: after.Source.Attachment, Have: true}); err != nil {
			return err
		}
	}
	if view, err = s.queueRecord(tx, view, after); err != nil {
		return err
	}
	st.view = view
	return st.save(tx)
}

// queueRecord queues the ops that take view to r and returns the new view.
func (s *Session) queueRecord(tx *store.Tx, view merge.State, r store.InvoiceRecord) (merge.State, error) {
	fields, err := syncFields(r)
	if err != nil {
		return view, err
	}
	changes := map[string]merge.FieldChange{}
	for _, p := range slices.Sorted(maps.Keys(fields)) {
		if cur, ok := view.Fields[p]; !ok || cur.Value != fields[p] {
			changes[p] = merge.FieldChange{Value: fields[p], Base: cur.Clock}
		}
	}
	for p, cur := range view.Fields {
		if _, ok := fields[p]; !ok && cur.Value != "" {
			changes[p] = merge.FieldChange{Base: cur.Clock}
		}
	}
	if len(changes) > 0 && view.Status.Status == invoice.StatusReceived {
		if view, err = s.queueOp(tx, view, merge.Op{Kind: merge.KindCommand, Command: invoice.Command{Kind: invoice.Extract}}); err != nil {
			return view, err
		}
	}
	for _, part := range splitChanges(changes, opcodec.MaxSetFields) {
		if view, err = s.queueOp(tx, view, merge.Op{Kind: merge.KindSet, Fields: part}); err != nil {
			return view, err
		}
	}
	if view.Status == r.State {
		return view, nil
	}
	path, ok := commandPath(view.Status, r.State)
	if !ok {
		return view, apperr.New(apperr.Internal, "sync cannot express the change of invoice %s from %s to %s", r.ID, view.Status.Status, r.State.Status)
	}
	for _, k := range path {
		cmd := invoice.Command{Kind: k}
		if k.NeedsReason() {
			cmd.Reason = reasonFor(r, k)
		}
		if view, err = s.queueOp(tx, view, merge.Op{Kind: merge.KindCommand, Command: cmd}); err != nil {
			return view, err
		}
	}
	return view, nil
}

// queueOp completes op (id, device, user, clock, base status), applies it
// to view and queues it.
func (s *Session) queueOp(tx *store.Tx, view merge.State, op merge.Op) (merge.State, error) {
	clk, err := s.tick(tx)
	if err != nil {
		return view, err
	}
	op.ID, op.Device, op.User, op.Clock = newID(), s.deviceID, s.user.ID, opcodec.HLCFromWire(clk)
	op.Entity, op.BaseStatus = view.Entity, view.Status.Status
	next, out := merge.Apply(view, op)
	if out.Result != merge.Applied {
		return view, apperr.Wrap(out.Reason, apperr.Internal, "sync cannot express this change of invoice %s", view.Entity.ID)
	}
	w, err := opcodec.ToWire(op)
	if err != nil {
		return view, err
	}
	return next, s.enqueue(tx, w)
}

func (s *Session) enqueue(tx *store.Tx, w wire.Op) error {
	if err := w.Validate(); err != nil {
		return fmt.Errorf("core: queue op: %w", err)
	}
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return tx.OutboxAdd(w.ID, w.Entity.Type, w.Entity.ID, b, s.c.now())
}

// splitChanges cuts a field set into ops of at most n fields, in path order.
func splitChanges(ch map[string]merge.FieldChange, n int) []map[string]merge.FieldChange {
	var out []map[string]merge.FieldChange
	for i, p := range slices.Sorted(maps.Keys(ch)) {
		if i%n == 0 {
			out = append(out, map[string]merge.FieldChange{})
		}
		out[len(out)-1][p] = ch[p]
	}
	return out
}

// commandPath finds the shortest sequence of status commands from one
// state to another (breadth first; the machine is small).
func commandPath(from, to invoice.State) ([]invoice.CommandKind, bool) {
	type node struct {
		st   invoice.State
		path []invoice.CommandKind
	}
	seen := map[invoice.State]bool{from: true}
	queue := []node{{st: from}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, k := range invoice.CommandKinds() {
			if k == invoice.Correct {
				continue
			}
			next, err := invoice.Transition(n.st, invoice.Command{Kind: k, Reason: "-"})
			if err != nil || seen[next] {
				continue
			}
			p := append(slices.Clone(n.path), k)
			if next == to {
				return p, true
			}
			seen[next] = true
			queue = append(queue, node{next, p})
		}
	}
	return nil, false
}

// reasonFor is the reason of the newest decision of kind k on r.
func reasonFor(r store.InvoiceRecord, k invoice.CommandKind) string {
	ds := r.Workflow.Decisions
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Action == string(k) && strings.TrimSpace(ds[i].Reason) != "" {
			return ds[i].Reason
		}
	}
	return "status before sync"
}

// tick is this device's next clock, persisted in the transaction.
func (s *Session) tick(tx *store.Tx) (wire.HLC, error) {
	last, err := readClock(tx, s.deviceID)
	if err != nil {
		return wire.HLC{}, err
	}
	c := merge.Now(s.c.now().UnixMilli(), last)
	if c.Logical > 1<<15 { // the wire counter is 16 bits: borrow a millisecond
		c = merge.HLC{Wall: c.Wall + 1, Device: c.Device}
	}
	if err := writeClock(tx, c); err != nil {
		return wire.HLC{}, err
	}
	return opcodec.HLCToWire(c)
}

// seen moves this device's clock past a remote one (a skewed remote clock
// is ignored here; the server refuses those ops).
func (s *Session) seen(tx *store.Tx, remote wire.HLC) error {
	last, err := readClock(tx, s.deviceID)
	if err != nil {
		return err
	}
	c, err := merge.Update(s.c.now().UnixMilli(), last, opcodec.HLCFromWire(remote))
	if err != nil {
		return nil
	}
	return writeClock(tx, c)
}

func readClock(tx *store.Tx, device string) (merge.HLC, error) {
	b, err := tx.Meta(store.MetaSyncClock)
	if errors.Is(err, store.ErrNoMeta) {
		return merge.HLC{Device: device}, nil
	}
	if err != nil {
		return merge.HLC{}, err
	}
	var c merge.HLC
	if err := json.Unmarshal(b, &c); err != nil {
		return merge.HLC{}, apperr.Wrap(err, apperr.Integrity, "the stored sync clock is unreadable")
	}
	c.Device = device
	return c, nil
}

func writeClock(tx *store.Tx, c merge.HLC) error {
	b, _ := json.Marshal(c)
	return tx.SetMeta(store.MetaSyncClock, b)
}
