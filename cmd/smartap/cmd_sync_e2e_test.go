package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/client"
)

// sameInvoice fails unless every desktop shows invoice id identically.
func sameInvoice(t *testing.T, id string, ds ...*desktop) map[string]any {
	t.Helper()
	first := ds[0].invoice(id)
	for _, d := range ds[1:] {
		got := d.invoice(id)
		for _, k := range []string{"invoice", "status"} {
			if !reflect.DeepEqual(got[k], first[k]) {
				t.Fatalf("%s: %s differs from %s's:\n%v\n%v", d.user, k, ds[0].user, got[k], first[k])
			}
		}
	}
	return first
}

func field(inv map[string]any, name string) any {
	m, _ := inv["invoice"].(map[string]any)
	return m[name]
}

// Offline edits on two desktops, then sync in any order: the same state.
func TestSyncOfflineEditsConverge(t *testing.T) {
	file := corpusFile(t, cii)
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk, "cleo": identity.Clerk})
	a, b := newDesktop(t, srv, "carl"), newDesktop(t, srv, "cleo")
	id := a.must("import", file)
	a.must("sync")
	b.must("sync")

	// Offline: a different field on each, and the same field on both.
	a.must("set", id, "buyer_reference=FROM-A", "payment_terms=14 days")
	b.must("set", id, "payment_terms=30 days")
	a.must("sync")
	b.must("sync")
	a.must("sync")
	inv := sameInvoice(t, id, a, b)
	if field(inv, "buyer_reference") != "FROM-A" {
		t.Fatalf("buyer_reference lost: %v", field(inv, "buyer_reference"))
	}
	if pt := field(inv, "payment_terms"); pt != "30 days" {
		t.Fatalf("payment_terms = %v: the later write (B's) must win", pt)
	}
}

// Approve on one desktop and reject on another, both offline: the server
// keeps one, and the conflict is an exception every desktop shows.
func TestSyncApproveVersusRejectIsAnExceptionEverywhere(t *testing.T) {
	file := corpusFile(t, cii)
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk, "anna": identity.Approver, "bob": identity.Approver})
	c, a, b := newDesktop(t, srv, "carl"), newDesktop(t, srv, "anna"), newDesktop(t, srv, "bob")
	id := c.must("import", file)
	c.must("submit", id)
	c.must("sync")
	a.must("sync")
	b.must("sync")

	a.must("approve", id)
	b.must("reject", id, "--reason", "wrong amount")
	a.must("sync")
	b.must("sync")
	a.must("sync")
	c.must("sync")
	sameInvoice(t, id, a, b, c)
	for _, d := range []*desktop{a, b, c} {
		es := d.exceptions()
		if len(es) != 1 || es[0].Invoice != id || es[0].Kind != "conflicting_transition" || es[0].Message == "" {
			t.Fatalf("%s's exceptions: %+v", d.user, es)
		}
		if st := d.status(); st.Exceptions != 1 {
			t.Fatalf("%s's status: %+v", d.user, st)
		}
	}
}

// An op the server's authority refuses comes back as a rejection, shown
// by `rejections --json` and counted in `sync status`.
func TestSyncForbiddenOpIsRejectedVisibly(t *testing.T) {
	file := corpusFile(t, cii)
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk, "anna": identity.Approver})
	c, a := newDesktop(t, srv, "carl"), newDesktop(t, srv, "anna")
	id := c.must("import", file)
	c.must("submit", id)
	c.must("sync")
	a.must("sync")
	// The server demotes anna; her desktop still thinks she may approve.
	srv.SetRole(t, "anna", identity.Clerk)
	a.must("approve", id)
	if code := a.run("", nil, "sync", "--user", "anna"); code != 0 {
		t.Fatalf("sync with a refused op: exit %d %s", code, a.last.stderr)
	}
	if !strings.Contains(a.last.stderr, "refused a change (forbidden)") {
		t.Fatalf("no refusal on stderr: %s", a.last.stderr)
	}
	a.must("rejections", "--json")
	var rs []client.RejectionView
	a.decode(&rs)
	if len(rs) != 1 || rs[0].Code != "forbidden" || rs[0].Invoice != id || rs[0].Message == "" {
		t.Fatalf("rejections: %+v", rs)
	}
	if st := a.status(); st.Rejections != 1 {
		t.Fatalf("status: %+v", st)
	}
	// The refused approval was undone: both desktops agree the invoice is not approved.
	inv := sameInvoice(t, id, a, c)
	if inv["status"] == "approved" {
		t.Fatalf("refused approval kept: %v", inv["status"])
	}
}

// The server commits a push and the connection is cut before the ack: the
// next sync pushes the same ops again; the server's log holds each once
// and the desktop's outbox empties.
func TestSyncCutBeforeAckLosesAndDuplicatesNothing(t *testing.T) {
	file := corpusFile(t, cii)
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk})
	c := newDesktop(t, srv, "carl")
	id := c.must("import", file)
	srv.CutAfterNextAppend()
	if code := c.run("", nil, "sync", "--user", "carl"); code != exitFailed {
		t.Fatalf("cut sync: exit %d %s", code, c.last.stderr)
	}
	committed := len(srv.Log(t))
	if committed == 0 {
		t.Fatal("the cut came before the commit")
	}
	if st := c.status(); st.Pending < committed || st.LastError == "" {
		t.Fatalf("after the cut: %+v (server has %d)", st, committed)
	}
	if st := c.sync(); st.Pending != 0 || st.LastError != "" {
		t.Fatalf("after reconnect: %+v", st)
	}
	log := srv.Log(t)
	seen := map[string]bool{}
	for _, e := range log {
		if seen[e.Op.ID] {
			t.Fatalf("op %s stored twice", e.Op.ID)
		}
		seen[e.Op.ID] = true
	}
	if len(log) <= committed {
		t.Fatalf("log has %d ops, had %d before the retry", len(log), committed)
	}
	// A second desktop sees the invoice: nothing was lost.
	srv.AddUser(t, "cleo", identity.Clerk, serverPassword("cleo"))
	d := newDesktop(t, srv, "cleo")
	d.must("sync")
	sameInvoice(t, id, c, d)
}

// logout revokes the sign-in: the key file no longer holds it and sync is
// refused with exit 3; a wrong server password is exit 3 as well.
func TestSyncLogoutAndRefusedLogin(t *testing.T) {
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk})
	c := newDesktop(t, srv, "carl")
	c.must("sync")
	keyFile := strings.TrimPrefix(c.env["SMARTAP_KEYCHAIN"], "file:")
	before, _ := os.ReadFile(keyFile)
	for _, out := range []string{c.last.stdout, c.last.stderr} {
		if strings.Contains(out, "refresh") || strings.Contains(out, "eyJ") {
			t.Fatalf("a token was printed: %s", out)
		}
	}
	c.must("logout")
	after, _ := os.ReadFile(keyFile)
	if !strings.Contains(string(before), "sync-refresh:") || strings.Contains(string(after), "sync-refresh:") {
		t.Fatal("logout left the sign-in in the key file")
	}
	if _, err := os.Stat(filepath.Join(c.env["SMARTAP_DATA_DIR"], client.SettingsFile)); !os.IsNotExist(err) {
		t.Fatalf("settings kept: %v", err)
	}
	if code := c.run("", nil, "sync", "--user", "carl"); code != exitAuth {
		t.Fatalf("sync after logout: exit %d %s", code, c.last.stderr)
	}
	if code := c.run("", map[string]string{"SMARTAP_PASSWORD": "wrong password entirely"}, "login", "--server", srv.URL, "--user", "carl"); code != exitAuth {
		t.Fatalf("login with a wrong local password: exit %d %s", code, c.last.stderr)
	}
	fresh := newHarness(t)
	fresh.env["SMARTAP_PASSWORD"] = "not the server password"
	if code := fresh.run("", nil, "login", "--server", srv.URL, "--user", "carl", "--json"); code != exitAuth {
		t.Fatalf("login refused by the server: exit %d %s", code, fresh.last.stderr)
	}
	if !strings.Contains(fresh.last.stdout, `"code":"forbidden"`) {
		t.Fatalf("JSON error: %s", fresh.last.stdout)
	}
	if code := fresh.run("", nil, "login", "--server", "http://sync.example.com", "--user", "carl"); code != exitUsage {
		t.Fatalf("plain http to another host: exit %d", code)
	}
}
