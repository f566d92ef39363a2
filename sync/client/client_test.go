package client

import (
	"context"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/wire"
)

func testOp(device, entity string) wire.Op {
	return wire.Op{ID: uuid.NewString(), Device: device, User: "alice",
		Clock:  wire.HLC{Wall: time.Now().UnixMilli(), Device: device},
		Entity: wire.Entity{Type: "invoice", ID: entity}, Cmd: &wire.Command{Name: "submit"}}
}

// newTestClient returns a client of r against f whose keychain holds the
// server's current refresh token, and a channel of its events.
func newTestClient(t *testing.T, f *fakeServer, r Replica) (*Client, Credentials, chan Event) {
	t.Helper()
	kc, err := vault.OpenKeychain("file:" + filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	creds := Credentials{Keychain: kc, Account: RefreshAccount("folder", f.url(), "alice")}
	if err := creds.Save(f.newLogin()); err != nil {
		t.Fatal(err)
	}
	events := make(chan Event, 1024)
	c, err := New(Config{Server: f.url(), User: "alice", Creds: creds, Replica: r,
		Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}, Poll: 5 * time.Millisecond,
		OnEvent: func(e Event) {
			select {
			case events <- e:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return c, creds, events
}

func TestSyncOncePushesPullsAndShowsRejections(t *testing.T) {
	f := newFakeServer(t)
	f.forbidden = "inv-forbidden"
	a, b := newFakeReplica("dev-a"), newFakeReplica("dev-b")
	ca, _, events := newTestClient(t, f, a)
	ops := []wire.Op{testOp("dev-a", "inv-1"), testOp("dev-a", "inv-forbidden"), testOp("dev-a", "inv-2")}
	a.queue(ops...)
	if err := ca.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(a.outbox) != 0 || len(a.acked) != 2 || len(a.rejects) != 1 || a.rejects[0].Op != ops[1].ID {
		t.Fatalf("outbox %d, acked %v, rejects %v", len(a.outbox), a.acked, a.rejects)
	}
	if a.bound != "alice" {
		t.Fatalf("replica bound to %q", a.bound)
	}
	st := ca.Status()
	if st.Pending != 0 || st.Rejections != 1 || st.Cursor != (wire.Cursor{Index: "idx1", Seq: 2}) || st.LastSync.IsZero() || !st.Online {
		t.Fatalf("status %+v", st)
	}
	var sawReject bool
	for len(events) > 0 {
		if e := <-events; e.Kind == EventRejection && e.Rejection.Rule == "role.clerk" {
			sawReject = true
		}
	}
	if !sawReject {
		t.Fatal("no rejection event")
	}

	// A second desktop bootstraps (its cursor is zero) and pulls both ops.
	cb, _, _ := newTestClient(t, f, b)
	if err := cb.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(b.snapshots) != 2 || len(b.applied) != 0 || b.cursor.Seq != 2 {
		// The fake's snapshot is taken at the head, so nothing is left to pull.
		t.Fatalf("bootstrap: %d pages, applied %d, cursor %v", len(b.snapshots), len(b.applied), b.cursor)
	}
	a.queue(testOp("dev-a", "inv-3"))
	if err := ca.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := cb.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(b.applied) != 1 || b.applied[0].Seq != 3 || b.cursor.Seq != 3 {
		t.Fatalf("pull: applied %v, cursor %v", b.applied, b.cursor)
	}
}

// A cut between the server's commit and its ack: the ops stay in the
// outbox, are pushed again and acked with their original sequences; the
// server's log holds each once.
func TestCutBetweenCommitAndAckLosesAndDuplicatesNothing(t *testing.T) {
	f := newFakeServer(t)
	f.dropAfterCommit = 1
	a := newFakeReplica("dev-a")
	ca, _, _ := newTestClient(t, f, a)
	ops := []wire.Op{testOp("dev-a", "inv-1"), testOp("dev-a", "inv-2")}
	a.queue(ops...)
	err := ca.SyncOnce(context.Background())
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("cut push: %v", err)
	}
	if len(a.outbox) != 2 || ca.Status().Online || ca.Status().LastError == "" {
		t.Fatalf("after cut: outbox %d, status %+v", len(a.outbox), ca.Status())
	}
	if err := ca.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(f.log) != 2 || a.acked[ops[0].ID] != 1 || a.acked[ops[1].ID] != 2 || len(a.outbox) != 0 {
		t.Fatalf("log %d, acked %v, outbox %d", len(f.log), a.acked, len(a.outbox))
	}
	if ca.Status().LastError != "" {
		t.Fatalf("error not cleared: %+v", ca.Status())
	}
}

func waitFor(t *testing.T, events chan Event, cond func() bool) {
	t.Helper()
	for !cond() {
		<-events
	}
}

// Watch mode applies live pages, and after close code 4001 refreshes its
// token and reconnects; cancel stops it cleanly.
func TestRunLivePagesAndTokenRevoked(t *testing.T) {
	f := newFakeServer(t)
	a, b := newFakeReplica("dev-a"), newFakeReplica("dev-b")
	ca, _, _ := newTestClient(t, f, a)
	cb, credsB, eventsB := newTestClient(t, f, b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cb.Run(ctx) }()
	waitFor(t, eventsB, func() bool { return cb.Status().Online && !cb.Status().LastSync.IsZero() })

	a.queue(testOp("dev-a", "inv-1"))
	if err := ca.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, eventsB, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.cursor.Seq == 1 })

	// Unsolicited alerts and exceptions reach the callback; exceptions are stored.
	f.broadcast(wire.Alert{Kind: "new_device", User: "alice", Device: "dev-x", Detail: "a new device signed in", At: 1})
	ex := wire.Exception{ID: uuid.NewString(), Seq: 1, Entity: wire.Entity{Type: "invoice", ID: "inv-1"},
		Kind: "conflicting_transition", Winner: uuid.NewString(), Loser: uuid.NewString(), Message: "approve lost to reject"}
	f.broadcast(ex)
	var alert, exception bool
	for !alert || !exception {
		switch e := <-eventsB; e.Kind {
		case EventAlert:
			alert = e.Alert.Device == "dev-x"
		case EventException:
			exception = e.Exception.ID == ex.ID && e.Status.Exceptions == 1
		}
	}
	if _, ok := b.exceptions[ex.ID]; !ok {
		t.Fatal("exception not stored in the replica")
	}

	f.mu.Lock()
	hellos, refreshes := f.hellos, f.refreshN
	f.mu.Unlock()
	f.revokeAccess() // the old access token no longer opens /v1/sync
	closeAll(f, CloseTokenRevoked, "role changed")
	waitFor(t, eventsB, func() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.hellos > hellos && f.refreshN > refreshes })
	stored, err := credsB.Load()
	f.mu.Lock()
	valid := f.refresh[stored]
	f.mu.Unlock()
	if err != nil || !valid {
		t.Fatalf("keychain holds %q (%v), not a valid refresh token", stored, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	if cb.Status().Online {
		t.Fatal("still online after cancel")
	}
}

func closeAll(f *fakeServer, code int, text string) {
	f.mu.Lock()
	var cs []*fakeConn
	for c := range f.conns {
		cs = append(cs, c)
	}
	f.mu.Unlock()
	for _, c := range cs {
		c.closeWith(code, text)
	}
}

func TestAttachmentsUploadAndDownload(t *testing.T) {
	f := newFakeServer(t)
	a, b := newFakeReplica("dev-a"), newFakeReplica("dev-b")
	content := []byte("%PDF-1.7 the original invoice")
	h := wire.Hash(sha256.Sum256(content))
	a.files[h] = content
	ca, _, _ := newTestClient(t, f, a)
	if err := ca.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if string(f.files[h]) != string(content) || !a.uploaded[h] {
		t.Fatalf("server has %q, uploaded %v", f.files[h], a.uploaded[h])
	}
	b.missing = []wire.Hash{h}
	cb, _, _ := newTestClient(t, f, b)
	if err := cb.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if string(b.files[h]) != string(content) || len(b.missing) != 0 {
		t.Fatalf("B has %q, missing %v", b.files[h], b.missing)
	}
}

func TestNotLoggedInIsPermanent(t *testing.T) {
	f := newFakeServer(t)
	a := newFakeReplica("dev-a")
	ca, creds, _ := newTestClient(t, f, a)
	if err := creds.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := ca.Run(context.Background()); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("Run without a sign-in: %v", err)
	}
	if err := creds.Save("stale"); err != nil {
		t.Fatal(err)
	}
	if err := ca.SyncOnce(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("SyncOnce with a refused refresh token: %v", err)
	}
	if got := ca.Status().LastError; got != "Not signed in to the sync server: log in again." {
		t.Fatalf("last error %q", got)
	}
}

// An upload cut off earlier resumes where the server's ChunkWant says,
// and the server ends with exactly the content.
func TestUploadResumesAtTheServersOffset(t *testing.T) {
	f := newFakeServer(t)
	a := newFakeReplica("dev-a")
	content := []byte("0123456789 an original that was half sent")
	h := wire.Hash(sha256.Sum256(content))
	a.files[h] = content
	f.files[h] = append([]byte(nil), content[:10]...) // what arrived before the cut
	ca, _, _ := newTestClient(t, f, a)
	if err := ca.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if string(f.files[h]) != string(content) || !a.uploaded[h] {
		t.Fatalf("server has %q, uploaded %v", f.files[h], a.uploaded[h])
	}
}

// Two processes on one folder (here: two clients sharing the keychain and
// the data folder) refresh at the same moment: the folder lock makes the
// second read the token the first stored, so neither spends a spent one.
func TestConcurrentRefreshesShareTheRotatedToken(t *testing.T) {
	f := newFakeServer(t)
	dir := t.TempDir()
	_, creds, _ := newTestClient(t, f, newFakeReplica("dev-a"))
	errs := make(chan error, 8)
	for range 8 {
		c, err := New(Config{Server: f.url(), User: "alice", Creds: creds, Replica: newFakeReplica("dev-a"), DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		go func() { errs <- c.SyncOnce(context.Background()) }()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
