// Package storetest is the serverstore.Store conformance suite. Every
// store (SQLite, PostgreSQL) runs it, so they share one contract.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/auth/authtest"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// Run runs the whole contract. newStore returns a fresh, empty store that
// shares nothing with any other and is closed by the test's cleanup. For
// the TokenStore part (authtest.StoreConformance, whose factory takes no
// *testing.T) newStore gets the "token store" subtest, so its cleanups run
// when that subtest ends; it should not fail there (check the server is
// reachable before calling Run).
func Run(t *testing.T, newStore func(t *testing.T) serverstore.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s serverstore.Store)
	}{
		{"teams", testTeams},
		{"users", testUsers},
		{"append and pull", testAppendPull},
		{"same op twice in a batch", testDupInBatch},
		{"same op in two batches", testDupAcrossBatches},
		{"invalid op stores nothing", testInvalidOp},
		{"unknown team", testUnknownTeam},
		{"paging", testPaging},
		{"cross-team isolation", testIsolation},
		{"concurrent appends", testConcurrent},
		{"append after head", testAppendAfter},
		{"concurrent append after", testAppendAfterRace},
		{"attachment upload", testAttachmentUpload},
		{"attachment resume and mismatch", testAttachmentResume},
		{"attachment isolation", testAttachmentIsolation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
	}
	runAccounts(t, newStore) // accounts.go
	t.Run("token store", func(t *testing.T) {
		authtest.StoreConformance(t, func() auth.TokenStore { return newStore(t) })
	})
}

var ctx = context.Background()

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, got error, want ...error) {
	t.Helper()
	for _, w := range want {
		if !errors.Is(got, w) {
			t.Fatalf("err = %v, want %v", got, w)
		}
	}
}

// NewOp returns a valid field-change op with a fresh random id.
func NewOp(i int) wire.Op {
	note := fmt.Sprintf("note %d", i)
	return wire.Op{
		ID: uuid.NewString(), Device: "dev-1", User: "u-anna",
		Clock:   wire.HLC{Wall: 1767225600000 + int64(i), Device: "dev-1"},
		Entity:  wire.Entity{Type: "invoice", ID: fmt.Sprintf("inv-%d", i)},
		Changes: []wire.Field{{Name: "note", Value: &note}},
	}
}

func newOps(n int) []wire.Op {
	ops := make([]wire.Op, n)
	for i := range ops {
		ops[i] = NewOp(i)
	}
	return ops
}

func team(t *testing.T, s serverstore.Store, id string) serverstore.Team {
	t.Helper()
	tm, err := s.CreateTeam(ctx, id)
	must(t, err)
	return tm
}

func appendOK(t *testing.T, s serverstore.Store, tm string, ops []wire.Op) []serverstore.Appended {
	t.Helper()
	res, err := s.Append(ctx, tm, ops)
	must(t, err)
	if len(res) != len(ops) {
		t.Fatalf("%d results for %d ops", len(res), len(ops))
	}
	return res
}

// pullAll pages through the whole log with the given page size.
func pullAll(t *testing.T, s serverstore.Store, tm string, limit int) []serverstore.Entry {
	t.Helper()
	var all []serverstore.Entry
	var after uint64
	for {
		p, err := s.Pull(ctx, tm, after, limit)
		must(t, err)
		all = append(all, p.Entries...)
		if len(p.Entries) > 0 && p.Next.Seq != p.Entries[len(p.Entries)-1].Seq {
			t.Fatalf("Next %d is not the last entry %d", p.Next.Seq, p.Entries[len(p.Entries)-1].Seq)
		}
		if !p.More {
			return all
		}
		if p.Next.Seq <= after {
			t.Fatalf("More with no progress at %d", after)
		}
		after = p.Next.Seq
	}
}

func head(t *testing.T, s serverstore.Store, tm string) uint64 {
	t.Helper()
	h, err := s.Head(ctx, tm)
	must(t, err)
	return h
}

func testTeams(t *testing.T, s serverstore.Store) {
	a := team(t, s, "team-a")
	b := team(t, s, "team-b")
	if a.Index == "" || a.Index == b.Index || a.CreatedAt.IsZero() {
		t.Fatalf("index ids %q, %q: want distinct, non-empty", a.Index, b.Index)
	}
	got, err := s.GetTeam(ctx, "team-a")
	must(t, err)
	if got.ID != a.ID || got.Index != a.Index || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("GetTeam = %+v, want %+v", got, a)
	}
	_, err = s.CreateTeam(ctx, "team-a")
	wantErr(t, err, serverstore.ErrExists)
	if again, _ := s.GetTeam(ctx, "team-a"); again.Index != a.Index {
		t.Fatal("a refused CreateTeam changed the index id")
	}
	_, err = s.CreateTeam(ctx, "")
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.GetTeam(ctx, "nope")
	wantErr(t, err, serverstore.ErrNotFound)
	// The index id is stable while the log grows.
	appendOK(t, s, "team-a", newOps(3))
	p, err := s.Pull(ctx, "team-a", 0, 10)
	must(t, err)
	if p.Next.Index != a.Index {
		t.Fatalf("cursor index %q, want %q", p.Next.Index, a.Index)
	}
}

func testUsers(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	u := serverstore.User{Name: "anna", Team: "team-a", PasswordHash: "not-a-real-hash", Role: "Approver"} // #nosec G101 -- a test fixture, not a credential
	created, err := s.CreateUser(ctx, u)
	must(t, err)
	if created.Role != identity.Approver || created.TokenVersion != 1 || created.CreatedAt.IsZero() {
		t.Fatalf("created %+v", created)
	}
	got, err := s.GetUser(ctx, "anna")
	must(t, err)
	if got.Name != "anna" || got.Team != "team-a" || got.PasswordHash != u.PasswordHash ||
		got.Role != identity.Approver || got.Disabled || got.TokenVersion != 1 || !got.CreatedAt.Equal(created.CreatedAt) {
		t.Fatalf("GetUser = %+v, want %+v", got, created)
	}
	_, err = s.CreateUser(ctx, u)
	wantErr(t, err, serverstore.ErrExists)
	_, err = s.CreateUser(ctx, serverstore.User{Name: "bob", Team: "nope", PasswordHash: "h", Role: identity.Clerk})
	wantErr(t, err, serverstore.ErrNotFound)
	_, err = s.CreateUser(ctx, serverstore.User{Name: "bob", Team: "team-a", PasswordHash: "h", Role: "boss"})
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.CreateUser(ctx, serverstore.User{Name: "bob", Team: "team-a", Role: identity.Clerk})
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.GetUser(ctx, "bob")
	wantErr(t, err, serverstore.ErrNotFound)

	v, err := s.SetRole(ctx, "anna", identity.Admin)
	must(t, err)
	if v != 2 {
		t.Fatalf("SetRole version %d, want 2", v)
	}
	v, err = s.SetRole(ctx, "anna", identity.Admin) // unchanged role still bumps
	must(t, err)
	if v != 3 {
		t.Fatalf("SetRole version %d, want 3", v)
	}
	_, err = s.SetRole(ctx, "anna", "boss")
	wantErr(t, err, serverstore.ErrInvalid)
	v, err = s.Disable(ctx, "anna")
	must(t, err)
	if v != 4 {
		t.Fatalf("Disable version %d, want 4", v)
	}
	got, err = s.GetUser(ctx, "anna")
	must(t, err)
	if got.Role != identity.Admin || !got.Disabled || got.TokenVersion != 4 {
		t.Fatalf("after SetRole and Disable: %+v", got)
	}
	tv, err := s.TokenVersion(ctx, "anna")
	must(t, err)
	if tv != 4 {
		t.Fatalf("TokenVersion %d, want 4", tv)
	}
	var lookup auth.VersionLookup = s.TokenVersion
	_, err = lookup(ctx, "nobody")
	wantErr(t, err, serverstore.ErrNotFound, auth.ErrNotFound)
	_, err = s.SetRole(ctx, "nobody", identity.Clerk)
	wantErr(t, err, serverstore.ErrNotFound)
	_, err = s.Disable(ctx, "nobody")
	wantErr(t, err, serverstore.ErrNotFound)
}

func testAppendPull(t *testing.T, s serverstore.Store) {
	tm := team(t, s, "team-a")
	if h := head(t, s, "team-a"); h != 0 {
		t.Fatalf("empty head %d", h)
	}
	res, err := s.Append(ctx, "team-a", nil)
	if err != nil || len(res) != 0 {
		t.Fatalf("empty batch: %v, %v", res, err)
	}
	ops := newOps(3)
	ops[1] = wire.Op{ID: uuid.NewString(), Device: "dev-2", User: "u-bob",
		Clock:  wire.HLC{Wall: 1767225600000, Counter: 2, Device: "dev-2"},
		Entity: wire.Entity{Type: "invoice", ID: "inv-1"},
		Cmd:    &wire.Command{Name: "approve", Args: map[string]string{"amount": "1234.50"}},
		Pre:    []wire.Field{{Name: "status", Value: nil}}}
	res = appendOK(t, s, "team-a", ops)
	for i, r := range res {
		if r.Seq != uint64(i+1) || r.Duplicate {
			t.Fatalf("result %d = %+v, want seq %d", i, r, i+1)
		}
	}
	if h := head(t, s, "team-a"); h != 3 {
		t.Fatalf("head %d, want 3", h)
	}
	p, err := s.Pull(ctx, "team-a", 0, 10)
	must(t, err)
	if p.More || p.Next != (wire.Cursor{Index: tm.Index, Seq: 3}) || len(p.Entries) != 3 {
		t.Fatalf("pull: more %v next %+v, %d entries", p.More, p.Next, len(p.Entries))
	}
	for i, e := range p.Entries {
		if e.Seq != uint64(i+1) || !reflect.DeepEqual(e.Op, ops[i]) || e.Received.IsZero() {
			t.Fatalf("entry %d = %+v, want seq %d op %+v", i, e, i+1, ops[i])
		}
	}
}

func testDupInBatch(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	op := NewOp(1)
	other := NewOp(2)
	res := appendOK(t, s, "team-a", []wire.Op{op, op, other})
	want := []serverstore.Appended{{Seq: 1}, {Seq: 1, Duplicate: true}, {Seq: 2}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("results %+v, want %+v", res, want)
	}
	if all := pullAll(t, s, "team-a", 0); len(all) != 2 || head(t, s, "team-a") != 2 {
		t.Fatalf("%d rows, want 2", len(all))
	}
}

func testDupAcrossBatches(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	ops := newOps(3)
	appendOK(t, s, "team-a", ops)
	// A re-sent batch (lost ack) with one new op: old ones keep their seqs.
	changed := ops[1]
	note := "a different body under the same id"
	changed.Changes = []wire.Field{{Name: "note", Value: &note}}
	fresh := NewOp(9)
	res := appendOK(t, s, "team-a", []wire.Op{ops[2], fresh, changed, ops[0]})
	want := []serverstore.Appended{{Seq: 3, Duplicate: true}, {Seq: 4}, {Seq: 2, Duplicate: true}, {Seq: 1, Duplicate: true}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("results %+v, want %+v", res, want)
	}
	all := pullAll(t, s, "team-a", 0)
	if len(all) != 4 || head(t, s, "team-a") != 4 {
		t.Fatalf("%d rows, want 4", len(all))
	}
	if !reflect.DeepEqual(all[1].Op, ops[1]) {
		t.Fatalf("duplicate replaced the stored op: %+v", all[1].Op)
	}
}

func testInvalidOp(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	bad := NewOp(2)
	bad.ID = "not-a-uuid"
	_, err := s.Append(ctx, "team-a", []wire.Op{NewOp(1), bad})
	wantErr(t, err, serverstore.ErrInvalid, wire.ErrInvalid)
	_, err = s.Append(ctx, "team-a", newOps(wire.MaxBatch+1))
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.Append(ctx, "", newOps(1))
	wantErr(t, err, serverstore.ErrInvalid)
	if h := head(t, s, "team-a"); h != 0 {
		t.Fatalf("head %d after refused batches", h)
	}
}

func testUnknownTeam(t *testing.T, s serverstore.Store) {
	_, err := s.Append(ctx, "nope", newOps(1))
	wantErr(t, err, serverstore.ErrNotFound)
	_, err = s.Append(ctx, "nope", nil)
	wantErr(t, err, serverstore.ErrNotFound)
	_, err = s.Pull(ctx, "nope", 0, 10)
	wantErr(t, err, serverstore.ErrNotFound)
	_, err = s.Head(ctx, "nope")
	wantErr(t, err, serverstore.ErrNotFound)
}

func testPaging(t *testing.T, s serverstore.Store) {
	tm := team(t, s, "team-a")
	ops := newOps(25)
	appendOK(t, s, "team-a", ops[:10])
	appendOK(t, s, "team-a", ops[10:])
	var after uint64
	for i, want := range []struct {
		n    int
		more bool
	}{{10, true}, {10, true}, {5, false}} {
		p, err := s.Pull(ctx, "team-a", after, 10)
		must(t, err)
		if len(p.Entries) != want.n || p.More != want.more {
			t.Fatalf("page %d: %d entries more=%v, want %d more=%v", i, len(p.Entries), p.More, want.n, want.more)
		}
		for j, e := range p.Entries {
			if e.Seq != after+uint64(j)+1 || e.Op.ID != ops[after+uint64(j)].ID {
				t.Fatalf("page %d entry %d: seq %d op %s", i, j, e.Seq, e.Op.ID)
			}
		}
		after = p.Next.Seq
	}
	// Exactly at a page boundary: More is false once the last op is out.
	p, err := s.Pull(ctx, "team-a", 15, 10)
	must(t, err)
	if len(p.Entries) != 10 || p.More || p.Next.Seq != 25 {
		t.Fatalf("boundary page: %d entries more=%v next=%d", len(p.Entries), p.More, p.Next.Seq)
	}
	// At or past the head: empty, cursor unchanged.
	for _, at := range []uint64{25, 99, math.MaxInt64, math.MaxUint64} {
		p, err = s.Pull(ctx, "team-a", at, 10)
		must(t, err)
		if len(p.Entries) != 0 || p.More || p.Next != (wire.Cursor{Index: tm.Index, Seq: at}) {
			t.Fatalf("pull after %d: %+v", at, p)
		}
	}
	// limit ≤ 0 and above wire.MaxPage mean wire.MaxPage.
	for _, limit := range []int{0, -1, wire.MaxPage + 1} {
		p, err = s.Pull(ctx, "team-a", 0, limit)
		must(t, err)
		if len(p.Entries) != 25 || p.More {
			t.Fatalf("limit %d: %d entries", limit, len(p.Entries))
		}
	}
	p, err = s.Pull(ctx, "team-a", 0, 1)
	must(t, err)
	if len(p.Entries) != 1 || !p.More {
		t.Fatalf("limit 1: %d entries more=%v", len(p.Entries), p.More)
	}
}

func testIsolation(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	team(t, s, "team-b")
	a := newOps(5)
	appendOK(t, s, "team-a", a)
	// The same op id in another team is a different op there, not a
	// duplicate: idempotency is per team.
	b := append([]wire.Op{a[0]}, newOps(2)...)
	res := appendOK(t, s, "team-b", b)
	for i, r := range res {
		if r.Seq != uint64(i+1) || r.Duplicate {
			t.Fatalf("team B result %d = %+v: sequences are per team", i, r)
		}
	}
	if ha, hb := head(t, s, "team-a"), head(t, s, "team-b"); ha != 5 || hb != 3 {
		t.Fatalf("heads %d, %d; want 5, 3", ha, hb)
	}
	gotB := pullAll(t, s, "team-b", 2)
	if len(gotB) != 3 {
		t.Fatalf("team B sees %d ops, want 3", len(gotB))
	}
	for i, e := range gotB {
		if e.Op.ID != b[i].ID {
			t.Fatalf("team B entry %d is %s, want %s", i, e.Op.ID, b[i].ID)
		}
	}
	gotA := pullAll(t, s, "team-a", 0)
	for i, e := range gotA {
		if e.Op.ID != a[i].ID {
			t.Fatalf("team A entry %d is %s, want %s", i, e.Op.ID, a[i].ID)
		}
	}
	// Pulling past B's head with A's numbers shows nothing of A.
	p, err := s.Pull(ctx, "team-b", 3, 0)
	must(t, err)
	if len(p.Entries) != 0 || p.More {
		t.Fatalf("team B past its head: %+v", p)
	}
}

// testConcurrent: 8 writers append to one team at once, each re-sending
// some of its batches; the log must be exactly 1..N with every op once, and
// every writer's results must match the log.
func testConcurrent(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	team(t, s, "team-b")
	const writers, batches, size = 8, 5, 5
	type result struct {
		ops []wire.Op
		res []serverstore.Appended
	}
	results := make([][]result, writers)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			var prev []wire.Op
			for range batches {
				ops := newOps(size)
				if prev != nil {
					ops = append(ops, prev[0], prev[size-1]) // re-sent
				}
				res, err := s.Append(ctx, "team-a", ops)
				if err != nil {
					errs <- err
					return
				}
				results[w] = append(results[w], result{ops, res})
				prev = ops
			}
			// Another team's appends in between must not disturb team A.
			if _, err := s.Append(ctx, "team-b", newOps(1)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	const n = writers * batches * size
	if h := head(t, s, "team-a"); h != n {
		t.Fatalf("head %d, want %d", h, n)
	}
	if h := head(t, s, "team-b"); h != writers {
		t.Fatalf("team B head %d, want %d", h, writers)
	}
	all := pullAll(t, s, "team-a", 37)
	if len(all) != n {
		t.Fatalf("%d entries, want %d", len(all), n)
	}
	seqOf := make(map[string]uint64, n)
	for i, e := range all {
		if e.Seq != uint64(i+1) {
			t.Fatalf("entry %d has seq %d: gap or duplicate", i, e.Seq)
		}
		if _, dup := seqOf[e.Op.ID]; dup {
			t.Fatalf("op %s stored twice", e.Op.ID)
		}
		seqOf[e.Op.ID] = e.Seq
	}
	for w, rs := range results {
		for _, r := range rs {
			for i, op := range r.ops {
				wantDup := i >= size
				if r.res[i].Seq != seqOf[op.ID] || r.res[i].Duplicate != wantDup {
					t.Fatalf("writer %d: op %s got %+v, log has seq %d (duplicate want %v)",
						w, op.ID, r.res[i], seqOf[op.ID], wantDup)
				}
			}
		}
	}
}
