package server

import (
	"context"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

func TestRoleChangeClosesOnPush(t *testing.T) { testRoleChangeClosesOnPush(t, sqliteStore(t)) }

func testRoleChangeClosesOnPush(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{RecheckInterval: time.Hour}) // only the push re-checks here
	carl, _ := e.connect(url, "carl", "dev-c")
	if _, err := e.store.SetRole(context.Background(), "carl", identity.Auditor); err != nil {
		t.Fatal(err)
	}
	carl.send(wire.Push{Ops: []wire.Op{carl.cmd("inv-1", invoice.StatusReceived, invoice.Extract)}})
	if code, text := carl.closed(); code != CloseRevoked || !strings.Contains(text, "role changed") {
		t.Fatalf("close %d %q", code, text)
	}
	if h, _ := e.store.Head(context.Background(), teamID); h != 0 {
		t.Fatalf("the push of a revoked session was stored (head %d)", h)
	}
}

func TestRoleChangeClosesIdleSession(t *testing.T) {
	testRoleChangeClosesIdleSession(t, sqliteStore(t))
}

func testRoleChangeClosesIdleSession(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{RecheckInterval: 20 * time.Millisecond})
	anna, _ := e.connect(url, "anna", "dev-a")
	bob, _ := e.connect(url, "bob", "dev-b")
	if _, err := e.store.Disable(context.Background(), "anna"); err != nil {
		t.Fatal(err)
	}
	if code, text := anna.closed(); code != CloseRevoked || !strings.Contains(text, "disabled") {
		t.Fatalf("close %d %q", code, text)
	}
	// Others stay connected.
	bob.send(wire.CheckpointWant{})
	recvType[wire.Checkpoint](bob)
}

func TestTokenExpiryClosesSession(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{RecheckInterval: 20 * time.Millisecond})
	anna, _ := e.connect(url, "anna", "dev-a")
	e.clock.add(time.Hour)
	if code, text := anna.closed(); code != CloseRevoked || !strings.Contains(text, "expired") {
		t.Fatalf("close %d %q", code, text)
	}
}

func TestFrameTooLarge(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{})
	anna, _ := e.connect(url, "anna", "dev-a")
	if err := anna.ws.WriteMessage(websocket.TextMessage, make([]byte, wire.MaxFrame+1)); err != nil {
		t.Fatal(err)
	}
	if code, _ := anna.closed(); code != websocket.CloseMessageTooBig {
		t.Fatalf("close %d, want %d", code, websocket.CloseMessageTooBig)
	}
}

func TestFrameRateLimit(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	// The test clock stands still, so the bucket never refills: exactly
	// the burst passes.
	_, url := e.serve(Limits{FrameRate: 1, FrameBurst: 5})
	anna, w := e.connect(url, "anna", "dev-a") // the hello is frame 1
	for range 4 {
		anna.send(wire.Pull{After: w.Head, Limit: 1})
		recvType[wire.Page](anna)
	}
	anna.send(wire.Pull{After: w.Head, Limit: 1})
	if code, text := anna.closed(); code != CloseRateLimited || !strings.Contains(text, "frame rate") {
		t.Fatalf("close %d %q", code, text)
	}
}

func TestOpRateLimit(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{OpRate: 1, OpBurst: 1}) // the burst is raised to one full batch
	carl, _ := e.connect(url, "carl", "dev-c")
	var ops []wire.Op
	for i := range wire.MaxBatch {
		ops = append(ops, carl.cmd("inv-"+uuid.NewString()[:8]+string(rune('a'+i%26)), invoice.StatusReceived, invoice.Extract))
	}
	carl.mustAck(ops...)
	carl.send(wire.Push{Ops: []wire.Op{carl.cmd("inv-x", invoice.StatusReceived, invoice.Extract)}})
	if code, text := carl.closed(); code != CloseRateLimited || !strings.Contains(text, "operation rate") {
		t.Fatalf("close %d %q", code, text)
	}
}

func TestAlertsToAdmins(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{})
	adam, _ := e.connect(url, "adam", "dev-m")
	anna, _ := e.connect(url, "anna", "dev-a")
	if err := e.bus.Publish(context.Background(), events.Event{Kind: events.NewDevice, Team: "other-team", User: "x", Detail: "not ours"}); err != nil {
		t.Fatal(err)
	}
	if err := e.bus.Publish(context.Background(), events.Event{Kind: events.NewDevice, Team: teamID, User: "anna", Device: "dev-z", Detail: "first login from dev-z"}); err != nil {
		t.Fatal(err)
	}
	a := recvType[wire.Alert](adam)
	if a.Kind != events.NewDevice || a.User != "anna" || a.Device != "dev-z" || a.At != t0.UnixMilli() || a.Detail != "first login from dev-z" {
		t.Fatalf("alert %+v", a)
	}
	// The approver gets none: the next frame it sees answers its own request.
	id := anna.send(wire.CheckpointWant{})
	if m := anna.recv(); m.ID != id {
		t.Fatalf("approver received %s", m.Body.Type())
	}
}

// Accepted approvals reach the anomaly detector with the server's time:
// t0 is midnight, so two approvals cross an off-hours threshold of two and
// the admin is alerted live. A refused approval is not counted.
func TestOffHoursApprovalsAlertAdmins(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	e.detector = events.NewDetector(events.DetectorPolicy{ExportThreshold: 50, ExportWindow: time.Hour,
		OffHoursThreshold: 2, OffHoursWindow: time.Hour, WorkStart: 7, WorkEnd: 19, Location: time.UTC}, e.bus)
	_, url := e.serve(Limits{})
	adam, _ := e.connect(url, "adam", "dev-m")
	carl, _ := e.connect(url, "carl", "dev-c")
	anna, _ := e.connect(url, "anna", "dev-a")
	carl.ready("inv-1", map[string]string{"totals.payable": "10.00"})
	carl.ready("inv-2", map[string]string{"totals.payable": "20.00"})
	if a := carl.push(carl.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Approve)); len(a.rejects) != 1 {
		t.Fatalf("a clerk's approval was not refused: %+v", a)
	}
	anna.mustAck(anna.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Approve))
	if a, ok := tryRecv[wire.Alert](adam, 300*time.Millisecond); ok {
		t.Fatalf("alert after one approval: %+v", a)
	}
	anna.mustAck(anna.cmd("inv-2", invoice.StatusReadyForApproval, invoice.Approve))
	a := recvType[wire.Alert](adam)
	if a.Kind != events.OffHoursApprove || a.User != "anna" {
		t.Fatalf("alert %+v", a)
	}
}

func TestCheckpoint(t *testing.T) { testCheckpoint(t, sqliteStore(t)) }

func testCheckpoint(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	pub := e.ckey.Public().(ed25519.PublicKey)
	var prev *audit.Entry
	var ops []wire.Op
	for i := range 5 {
		en := audit.Next(prev, audit.Entry{Device: "dev-c", Actor: "carl", Time: t0.Add(time.Duration(i) * time.Second),
			Action: "invoice.submit", Target: "inv-1"})
		prev = &en
		op, err := opcodec.AuditOp(uuid.NewString(), "carl", wire.HLC{Wall: e.clock.wall(0), Counter: uint16(i), Device: "dev-c"}, en)
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	carl.mustAck(ops[:3]...)
	carl.mustAck(carl.cmd("inv-1", invoice.StatusReceived, invoice.Extract)) // not a leaf
	carl.send(wire.CheckpointWant{Op: ops[1].ID})
	cp := recvType[wire.Checkpoint](carl)
	first, err := checkpoint.Verify(pub, teamID, cp, &ops[1], nil)
	if err != nil || cp.Size != 3 {
		t.Fatalf("checkpoint of size %d: %v", cp.Size, err)
	}
	carl.mustAck(ops[3:]...)
	carl.send(wire.CheckpointWant{OldSize: cp.Size, Op: ops[4].ID})
	cp = recvType[wire.Checkpoint](carl)
	if _, err := checkpoint.Verify(pub, teamID, cp, &ops[4], &first); err != nil || cp.Size != 5 {
		t.Fatalf("grown checkpoint of size %d: %v", cp.Size, err)
	}
	// An audit op of another device is refused.
	forged := ops[0]
	forged.ID = uuid.NewString()
	forged.Device, forged.Clock.Device = "dev-x", "dev-x"
	a := carl.push(forged)
	if r := a.rejects[forged.ID]; r.Rule != RuleIdentity {
		t.Fatalf("forged audit op: %+v", a)
	}
}

func TestCloseGoesAway(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	s, url := e.serve(Limits{})
	anna, _ := e.connect(url, "anna", "dev-a")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if code, _ := anna.closed(); code != websocket.CloseGoingAway {
		t.Fatalf("close %d, want %d", code, websocket.CloseGoingAway)
	}
	ws, resp, err := dialRaw(url, bearer(e.token("anna")), []string{"smartap.v1"})
	if err == nil {
		ws.Close()
		t.Fatal("a closed server accepted a session")
	}
	if resp == nil || resp.StatusCode != 503 {
		t.Fatalf("after Close: %s", status(resp))
	}
}
