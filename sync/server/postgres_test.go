package server

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore/pgtest"
	"github.com/smartap/desktop/sync/wire"
)

func pgOpen(t *testing.T, dbURL string) serverstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func pgStore(t *testing.T) serverstore.Store { return pgOpen(t, pgtest.FreshDB(t, "srv")) }

// TestPostgres runs the key session tests on a PostgreSQL store.
func TestPostgres(t *testing.T) {
	if os.Getenv(pgtest.EnvURL) == "" {
		t.Skipf("%s is not set", pgtest.EnvURL)
	}
	for name, fn := range map[string]func(*testing.T, serverstore.Store){
		"push ack resend":     testPushAckAndResend,
		"rejects":             testRejects,
		"approve vs reject":   testApproveVersusReject,
		"field merge":         testFieldMergeLWW,
		"pull paging":         testPullPaging,
		"live page":           testLivePage,
		"bootstrap":           testBootstrap,
		"attachments":         testAttachmentsResume,
		"checkpoint":          testCheckpoint,
		"role change on push": testRoleChangeClosesOnPush,
		"disable idle":        testRoleChangeClosesIdleSession,
	} {
		t.Run(name, func(t *testing.T) { fn(t, pgStore(t)) })
	}
}

// Two Server processes on one database: a push on one reaches a client of
// the other live, and a race between them (approve on A, reject on B)
// ends with one exception on both and the same state on both replicas.
func TestPostgresReplicas(t *testing.T) {
	db := pgtest.FreshDB(t, "srv")
	a := newEnv(t, pgOpen(t, db))
	b := newEnvOn(t, pgOpen(t, db))
	b.tokens, b.clock = a.tokens, a.clock // one issuer for both replicas
	sa, urlA := a.serve(Limits{})
	sb, urlB := b.serve(Limits{})

	carl, _ := a.connect(urlA, "carl", "dev-c")
	watcher, _ := b.connect(urlB, "adam", "dev-m")
	// LISTEN starts asynchronously: commit until B's client gets a live
	// page, then check B delivers everything A committed, in order.
	var committed []wire.Op
	var seen []wire.Sequenced
	for i := 0; len(seen) == 0; i++ {
		op := carl.cmd(fmt.Sprintf("inv-w%d", i), invoice.StatusReceived, invoice.Extract)
		carl.mustAck(op)
		committed = append(committed, op)
		if p, ok := tryRecv[wire.Page](watcher, 100*time.Millisecond); ok {
			seen = append(seen, p.Ops...)
		}
	}
	for len(seen) < len(committed) {
		seen = append(seen, recvType[wire.Page](watcher).Ops...)
	}
	for i, s := range seen {
		if i >= len(committed) || s.Op.ID != committed[i].ID || s.Seq != uint64(i+1) {
			t.Fatalf("replica B delivered seq %d op %s at position %d", s.Seq, s.Op.ID, i)
		}
	}
	carl.mustAck(carl.cmd("inv-1", invoice.StatusReceived, invoice.Extract))

	carl.mustAck(carl.set("inv-1", invoice.StatusExtracted, map[string]string{"totals.payable": "10.00"}),
		carl.cmd("inv-1", invoice.StatusExtracted, invoice.Submit))
	anna, _ := a.connect(urlA, "anna", "dev-a")
	bob, _ := b.connect(urlB, "bob", "dev-b")
	approve := anna.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Approve)
	reject := bob.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Reject)
	var wg sync.WaitGroup
	wg.Go(func() { anna.mustAck(approve) })
	wg.Go(func() { bob.mustAck(reject) })
	wg.Wait()
	for _, c := range []*client{anna, bob, watcher} {
		ex := recvType[wire.Exception](c)
		if ex.Kind != string(merge.ConflictingTransition) || ex.Winner == ex.Loser ||
			(ex.Winner != approve.ID && ex.Winner != reject.ID) || (ex.Loser != approve.ID && ex.Loser != reject.ID) {
			t.Fatalf("%s: exception %+v", c.user, ex)
		}
	}
	// Both replicas hold the same state once caught up.
	head, err := a.store.Head(context.Background(), teamID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Server{sa, sb} {
		s.refresh(teamID, head)
	}
	da, db2 := merge.Digest(invoiceView(t, sa, "inv-1")), merge.Digest(invoiceView(t, sb, "inv-1"))
	if da != db2 {
		t.Fatal("the replicas disagree on inv-1")
	}
	if st := invoiceView(t, sa, "inv-1"); len(st.Exceptions) != 1 {
		t.Fatalf("%d exceptions", len(st.Exceptions))
	}

	// A replica decides against the log as committed, not as it last heard
	// of it: adam submits through A and at once approves through B; B must
	// see the submit (separation of duties) even if no notification came yet.
	adamA, _ := a.connect(urlA, "adam", "dev-m")
	adamB, _ := b.connect(urlB, "adam", "dev-m")
	adamA.ready("inv-2", map[string]string{"totals.payable": "5.00"})
	ap := adamB.cmd("inv-2", invoice.StatusReadyForApproval, invoice.Approve)
	if r := adamB.push(ap).rejects[ap.ID]; r.Rule != "approval.separation_of_duties" {
		t.Fatalf("approve through the other replica: %+v", r)
	}
}
