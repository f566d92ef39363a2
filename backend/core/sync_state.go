package core

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// states is one invoice's sync state: confirmed by server order, and the
// local view (confirmed plus this device's ops still in the outbox).
type states struct {
	id        string
	fresh     bool // nothing stored yet
	confirmed merge.State
	view      merge.State
	// floor is the snapshot position the confirmed state was installed
	// at: server ops at or below it are already in it (a snapshot state
	// does not list the ops it holds), so they are skipped.
	floor wire.Cursor
}

// confirmedBlob is how the confirmed state is stored.
type confirmedBlob struct {
	State merge.State `json:"state"`
	Floor wire.Cursor `json:"floor,omitzero"`
}

func invoiceEntity(id string) merge.Entity { return merge.Entity{Type: merge.EntityInvoice, ID: id} }

func loadStates(tx *store.Tx, id string) (states, error) {
	raw, ok, err := tx.SyncStateOf(id)
	if err != nil {
		return states{}, err
	}
	st := states{id: id, fresh: !ok, confirmed: merge.NewState(invoiceEntity(id)), view: merge.NewState(invoiceEntity(id))}
	if !ok {
		return st, nil
	}
	var cb confirmedBlob
	if err := json.Unmarshal(raw.Confirmed, &cb); err != nil {
		return st, apperr.Wrap(err, apperr.Integrity, "stored sync state is unreadable")
	}
	st.confirmed, st.floor = cb.State, cb.Floor
	if err := fillState(&st.confirmed); err != nil {
		return st, err
	}
	return st, decodeState(raw.View, &st.view)
}

func decodeState(b []byte, s *merge.State) error {
	if err := json.Unmarshal(b, s); err != nil {
		return apperr.Wrap(err, apperr.Integrity, "stored sync state is unreadable")
	}
	return fillState(s)
}

func fillState(s *merge.State) error {
	if s.Entity.Type == "" {
		return apperr.New(apperr.Integrity, "stored sync state names no entity")
	}
	if s.Fields == nil {
		s.Fields = map[string]merge.Field{}
	}
	if s.AppliedOps == nil {
		s.AppliedOps = map[string]struct{}{}
	}
	return nil
}

func (st states) save(tx *store.Tx) error {
	c, err := json.Marshal(confirmedBlob{State: st.confirmed, Floor: st.floor})
	if err != nil {
		return err
	}
	v, err := json.Marshal(st.view)
	if err != nil {
		return err
	}
	return tx.PutSyncState(store.SyncState{EntityID: st.id, Confirmed: c, View: v})
}

// rebuildView recomputes the view: the confirmed state with this device's
// ops still in the outbox re-applied in their order. An op the confirmed
// state already holds (its effect came through a snapshot) is skipped.
func rebuildView(tx *store.Tx, st *states) error {
	rows, err := tx.OutboxForEntity(st.id)
	if err != nil {
		return err
	}
	view := st.confirmed
	for _, r := range rows {
		if r.EntityType != merge.EntityInvoice {
			continue
		}
		op, err := decodeMergeOp(r.Op)
		if err != nil {
			return err
		}
		if holds(st.confirmed, op.ID) {
			continue
		}
		view, _ = merge.Apply(view, op)
	}
	st.view = view
	return nil
}

// holds reports whether s already contains op's effect.
func holds(s merge.State, op string) bool {
	if _, ok := s.AppliedOps[op]; ok || s.LastChange.Op == op {
		return true
	}
	return slices.ContainsFunc(slices.Collect(maps.Values(s.Fields)), func(f merge.Field) bool { return f.Op == op })
}

func decodeWireOp(b []byte) (wire.Op, error) {
	var w wire.Op
	if err := json.Unmarshal(b, &w); err != nil {
		return w, apperr.Wrap(err, apperr.Integrity, "a stored sync op is unreadable")
	}
	return w, nil
}

func decodeMergeOp(b []byte) (merge.Op, error) {
	w, err := decodeWireOp(b)
	if err != nil {
		return merge.Op{}, err
	}
	op, err := opcodec.FromWire(w)
	if err != nil {
		return op, apperr.Wrap(err, apperr.Integrity, "a stored sync op is unreadable")
	}
	return op, nil
}
