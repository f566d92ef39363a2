package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

const syncInvoice = "en16931-cen-examples/ubl/examples/ubl-tc434-example1.xml"

// hub is an in-test server: the team's log as an ordered slice. It
// accepts every op (authority is the real server's job) and acks it.
type hub struct {
	index string
	log   []wire.Sequenced
	ids   map[string]uint64
}

func newHub() *hub { return &hub{index: "idx-test", ids: map[string]uint64{}} }

func (h *hub) push(t *testing.T, r *Replica) {
	t.Helper()
	ops, err := r.Pending(ctx, wire.MaxBatch)
	if err != nil {
		t.Fatal(err)
	}
	var acks []wire.Acked
	for _, op := range ops {
		seq, ok := h.ids[op.ID]
		if !ok {
			seq = uint64(len(h.log) + 1)
			h.log = append(h.log, wire.Sequenced{Seq: seq, Op: op})
			h.ids[op.ID] = seq
		}
		acks = append(acks, wire.Acked{Op: op.ID, Seq: seq})
	}
	if len(acks) > 0 {
		if err := r.Acked(ctx, h.index, acks); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *hub) pull(t *testing.T, r *Replica) {
	t.Helper()
	cur, err := r.Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ops := h.log[min(int(cur.Seq), len(h.log)):]
	if err := r.ApplyPage(ctx, ops, wire.Cursor{Index: h.index, Seq: uint64(len(h.log))}); err != nil {
		t.Fatal(err)
	}
}

func (h *hub) sync(t *testing.T, rs ...*Replica) {
	t.Helper()
	for range 2 {
		for _, r := range rs {
			h.push(t, r)
			h.pull(t, r)
		}
	}
}

// replica sets up a data folder from the "server" with one user.
func replica(t *testing.T, name string, role identity.Role) *Session {
	t.Helper()
	e := newEnv(t)
	c := e.open(t)
	s, _, err := c.InitFromServer(ctx, name, secret.NewPassword(adminPW), role, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replica().Bind(ctx, "srv-"+name); err != nil {
		t.Fatal(err)
	}
	return s
}

// picture is what must converge: status and the synced fields.
func picture(t *testing.T, s *Session, id string) string {
	t.Helper()
	var out string
	err := s.Replica().read(ctx, func(tx *store.Tx) error {
		r, err := tx.Invoice(id)
		if err != nil {
			return err
		}
		f, err := syncFields(r)
		delete(f, sourcePrefix+"imported_at")
		b, _ := json.Marshal(struct {
			S invoice.State
			F map[string]string
		}{r.State, f})
		out = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func confirmedDigest(t *testing.T, s *Session, id string) string {
	t.Helper()
	var d string
	err := s.Replica().read(ctx, func(tx *store.Tx) error {
		st, err := loadStates(tx, id)
		st.confirmed.AppliedOps = nil
		d = merge.Digest(st.confirmed)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func exceptionKinds(t *testing.T, s *Session) map[string]int {
	t.Helper()
	exs, err := s.Replica().Exceptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range exs {
		out[e.Kind]++
	}
	return out
}

func TestOutboxWrittenInTheSameTransaction(t *testing.T) {
	s := replica(t, "alice", identity.Admin)
	r := s.Replica()
	n0, _ := r.PendingCount(ctx)
	id := importOne(t, s, syncInvoice)
	n1, _ := r.PendingCount(ctx)
	if n1 <= n0+1 {
		t.Fatalf("import queued %d ops", n1-n0)
	}
	// A refused change commits nothing but its audit entry (and that
	// entry's op): the invoice ops stay as they were.
	if _, err := s.Set(ctx, id, map[string]string{"totals.payable": "not a number"}); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("bad set: %v", err)
	}
	invoiceOps := func() int {
		ops, err := r.Pending(ctx, 10000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, op := range ops {
			if op.Entity.Type == merge.EntityInvoice {
				n++
			}
		}
		return n
	}
	before := invoiceOps()
	if _, err := s.Set(ctx, id, map[string]string{"totals.payable": "not a number"}); err == nil {
		t.Fatal("bad set accepted")
	}
	if got := invoiceOps(); got != before {
		t.Fatalf("a failed change queued %d invoice ops", got-before)
	}
	if _, err := s.Set(ctx, id, map[string]string{"buyer_reference": "R-9"}); err != nil {
		t.Fatal(err)
	}
	if got := invoiceOps(); got != before+1 {
		t.Fatalf("a committed correction queued %d invoice ops, want 1", got-before)
	}
	// Every audit entry has its op, in chain order.
	entries, err := s.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ops, _ := r.Pending(ctx, 10000)
	var seqs []uint64
	for _, op := range ops {
		if op.Entity.Type == opcodec.EntityAudit {
			e, err := opcodec.AuditEntry(op)
			if err != nil {
				t.Fatal(err)
			}
			seqs = append(seqs, e.Seq)
		}
		if op.User != "srv-alice" {
			t.Fatalf("op user %q, want the bound server user", op.User)
		}
	}
	if len(seqs) != len(entries)+1 { // +1: reading the log is audited after the read
		t.Fatalf("%d audit ops for %d entries", len(seqs), len(entries))
	}
	for i, q := range seqs {
		if q != uint64(i+1) {
			t.Fatalf("audit op %d has seq %d: not in chain order", i, q)
		}
	}
}

func TestPendingOrderAndIdempotentAcks(t *testing.T) {
	s := replica(t, "alice", identity.Admin)
	importOne(t, s, syncInvoice)
	r := s.Replica()
	ops, err := r.Pending(ctx, 1000)
	if err != nil || len(ops) < 3 {
		t.Fatalf("%d ops: %v", len(ops), err)
	}
	for i := 1; i < len(ops); i++ {
		a, b := opcodec.HLCFromWire(ops[i-1].Clock), opcodec.HLCFromWire(ops[i].Clock)
		if merge.Compare(a, b) >= 0 {
			t.Fatalf("op %d's clock %s is not after %s", i, b, a)
		}
	}
	acks := []wire.Acked{{Op: ops[0].ID, Seq: 1}, {Op: ops[1].ID, Seq: 2}}
	for range 2 {
		if err := r.Acked(ctx, "idx", acks); err != nil {
			t.Fatal(err)
		}
	}
	rest, _ := r.Pending(ctx, 1000)
	if len(rest) != len(ops)-2 || rest[0].ID != ops[2].ID {
		t.Fatalf("after acks: %d pending, first %s", len(rest), rest[0].ID)
	}
	if err := r.Acked(ctx, "idx", []wire.Acked{{Op: "00000000-0000-0000-0000-000000000000", Seq: 9}}); err != nil {
		t.Fatalf("unknown op: %v", err)
	}
}

func TestReplicasConvergeApproveVsRejectAndCorrections(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { converge(t, seed) })
	}
}

func converge(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	h := newHub()
	a := replica(t, "alice", identity.Admin)
	b := replica(t, "bob", identity.Approver)
	c := replica(t, "cleo", identity.Approver)
	d := replica(t, "carl", identity.Clerk)
	rs := []*Replica{a.Replica(), b.Replica(), c.Replica(), d.Replica()}
	id := importOne(t, a, syncInvoice)
	h.sync(t, rs...)
	// Concurrent corrections of one field on two devices.
	if _, err := a.Set(ctx, id, map[string]string{"buyer_reference": "FROM-A"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Set(ctx, id, map[string]string{"buyer_reference": "FROM-D", "payment_terms": "30 days"}); err != nil {
		t.Fatal(err)
	}
	randomSync(t, rng, h, rs)
	h.sync(t, rs...)
	if _, err := a.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	h.sync(t, rs...)
	// Approve on one device, reject on another, neither seeing the other.
	if _, err := b.Approve(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reject(ctx, id, "wrong order"); err != nil {
		t.Fatal(err)
	}
	randomSync(t, rng, h, rs)
	h.sync(t, rs...)
	want := picture(t, a, id)
	for i, s := range []*Session{b, c, d} {
		if got := picture(t, s, id); got != want {
			t.Fatalf("replica %d:\n%s\nwant\n%s", i+1, got, want)
		}
		if confirmedDigest(t, s, id) != confirmedDigest(t, a, id) {
			t.Fatalf("replica %d: confirmed states differ", i+1)
		}
	}
	for i, s := range []*Session{a, b, c, d} {
		k := exceptionKinds(t, s)
		if k[string(merge.ConflictingTransition)] != 1 || k[string(merge.ConflictingCorrection)] != 1 {
			t.Fatalf("replica %d exceptions %v", i, k)
		}
		if n, _ := s.Replica().PendingCount(ctx); n != 0 {
			t.Fatalf("replica %d still has %d pending", i, n)
		}
	}
	if !strings.Contains(want, `"approved"`) && !strings.Contains(want, `"rejected"`) {
		t.Fatalf("status: %s", want)
	}
}

// randomSync pushes and pulls in a random order, some replicas not at all.
func randomSync(t *testing.T, rng *rand.Rand, h *hub, rs []*Replica) {
	for range 4 {
		r := rs[rng.IntN(len(rs))]
		if rng.IntN(2) == 0 {
			h.push(t, r)
		} else {
			h.pull(t, r)
		}
	}
}

func TestRejectionUndoesTheLocalChange(t *testing.T) {
	h := newHub()
	a := replica(t, "alice", identity.Admin)
	id := importOne(t, a, syncInvoice)
	h.sync(t, a.Replica())
	before := picture(t, a, id)
	if _, err := a.Set(ctx, id, map[string]string{"buyer_reference": "REFUSED"}); err != nil {
		t.Fatal(err)
	}
	ops, _ := a.Replica().Pending(ctx, 100)
	var setOp string
	for _, op := range ops {
		if op.Entity.Type == merge.EntityInvoice {
			setOp = op.ID
		}
	}
	rj := wire.Reject{Op: setOp, Code: "forbidden", Message: "not in your cost centre", Rule: "authority.cost_centre"}
	for range 2 {
		if err := a.Replica().Rejected(ctx, rj); err != nil {
			t.Fatal(err)
		}
	}
	if got := picture(t, a, id); got != before {
		t.Fatalf("after rejection:\n%s\nwant\n%s", got, before)
	}
	rjs, err := a.Replica().Rejections(ctx)
	if err != nil || len(rjs) != 1 || rjs[0].Rule != rj.Rule || rjs[0].Invoice != id {
		t.Fatalf("rejections %+v %v", rjs, err)
	}
}

func TestReplicaEdges(t *testing.T) {
	s := replica(t, "alice", identity.Admin)
	// The folder is set up: a second server set-up is refused, and an
	// unknown role is refused before anything is created.
	if _, _, err := s.c.InitFromServer(ctx, "bob", secret.NewPassword(adminPW), identity.Clerk, ""); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("second set-up: %v", err)
	}
	other := newEnv(t).open(t)
	if _, _, err := other.InitFromServer(ctx, "bob", secret.NewPassword(adminPW), "boss", ""); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("bad role: %v", err)
	}
	// Content that does not match its hash is refused and discarded.
	var h wire.Hash
	h[0] = 1
	err := s.Replica().write(ctx, func(tx *store.Tx) error {
		return tx.PutSyncAttachment(store.SyncAttachment{Hash: h.String(), Size: 3, Uploaded: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Replica().WriteAttachment(ctx, h, 0, []byte("abc"), true); !errors.Is(err, ErrAttachmentHash) {
		t.Fatalf("bad content: %v", err)
	}
	if err := s.Replica().WriteAttachment(ctx, h, 2, []byte("c"), true); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("resume past the staged bytes: %v", err)
	}
	// An unbound user cannot push; a locked session does nothing.
	// The device id the login used becomes the folder's (no throwaway id
	// for the server's new-device record); a non-UUID is refused.
	if _, _, err := newEnv(t).open(t).InitFromServer(ctx, "carl", secret.NewPassword(adminPW), identity.Clerk, "laptop"); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("non-UUID device id: %v", err)
	}
	const dev = "0190f3a2-7c1e-7b2a-9f00-00000000dead"
	u, _, err := newEnv(t).open(t).InitFromServer(ctx, "carl", secret.NewPassword(adminPW), identity.Clerk, dev)
	if err != nil {
		t.Fatal(err)
	}
	if u.Replica().Device() != dev {
		t.Fatalf("device id %q, want the login's %q", u.Replica().Device(), dev)
	}
	if _, err := u.Replica().Pending(ctx, 1); !errors.Is(err, ErrNotBound) {
		t.Fatalf("unbound: %v", err)
	}
	s.Lock()
	if _, err := s.Replica().Pending(ctx, 1); !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("locked: %v", err)
	}
	if err := s.Replica().ApplyPage(ctx, nil, wire.Cursor{Index: "i"}); !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("locked: %v", err)
	}
}
