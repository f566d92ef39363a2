package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/client"
	"github.com/smartap/desktop/sync/client/synctest"
)

// desktop is one data folder with its own key file, signed in as one
// server user.
type desktop struct {
	*harness
	user, pw string
}

func serverPassword(user string) string { return "server password of " + user }

// newDesktop logs a fresh data folder in to srv as user (creating it).
func newDesktop(t *testing.T, srv *synctest.Server, user string) *desktop {
	t.Helper()
	d := &desktop{harness: newHarness(t), user: user, pw: serverPassword(user)}
	d.env["SMARTAP_PASSWORD"] = d.pw
	out := d.must("login", "--server", srv.URL, "--user", user, "--json")
	var res map[string]string
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("login output: %v\n%s", err, out)
	}
	// With no --checkpoint-key the key the server announces is pinned.
	if res["user"] != user || res["team"] != synctest.Team || res["recovery_key"] == "" || res["checkpoint_key"] != srv.CheckpointKey {
		t.Fatalf("login result %v", res)
	}
	return d
}

func (d *desktop) must(args ...string) string {
	d.t.Helper()
	if code := d.run("", nil, append(args, "--user", d.user)...); code != 0 {
		d.t.Fatalf("%s: %v: exit %d\n%s%s", d.user, args, code, d.last.stdout, d.last.stderr)
	}
	return strings.TrimSpace(d.last.stdout)
}

func (d *desktop) status() statusJSON {
	d.t.Helper()
	d.must("sync", "status", "--json")
	var st statusJSON
	d.decode(&st)
	return st
}

// sync runs `sync --json` and returns the status it printed.
func (d *desktop) sync() statusJSON {
	d.t.Helper()
	d.must("sync", "--json")
	var st statusJSON
	d.decode(&st)
	return st
}

func (d *desktop) invoice(id string) map[string]any {
	d.t.Helper()
	d.must("show", id, "--json")
	var v map[string]any
	d.decode(&v)
	return v
}

func (d *desktop) exceptions() []client.ExceptionView {
	d.t.Helper()
	d.must("exceptions", "--json")
	var es []client.ExceptionView
	d.decode(&es)
	return es
}

func startServer(t *testing.T, users map[string]identity.Role) *synctest.Server {
	t.Helper()
	srv := synctest.Start(t)
	for u, r := range users {
		srv.AddUser(t, u, r, serverPassword(u))
	}
	return srv
}

const cii = "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml"

func TestSyncTwoDesktopsSeeTheSameInvoice(t *testing.T) {
	file := corpusFile(t, cii)
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk, "anna": identity.Approver})
	a, b := newDesktop(t, srv, "carl"), newDesktop(t, srv, "anna")

	id := a.must("import", file)
	if st := a.status(); st.Pending == 0 || st.Server != srv.URL {
		t.Fatalf("before sync: %+v", st)
	}
	if st := a.sync(); st.Pending != 0 || st.LastSync == "" || st.LastError != "" || !st.Online {
		t.Fatalf("after sync: %+v", st)
	}
	// Every command unlocks, and the unlock's audit entry is a new pending op.
	if st := a.status(); st.Pending != 1 || st.LastSync == "" || !st.Online {
		t.Fatalf("status after sync: %+v", st)
	}
	// A pushed audit entries, so it verified a signed checkpoint and kept it.
	var heads map[string]struct{ Size uint64 }
	raw, err := os.ReadFile(client.CheckpointPath(a.env["SMARTAP_DATA_DIR"]))
	if err := errors.Join(err, json.Unmarshal(raw, &heads)); err != nil || heads[synctest.Team].Size == 0 {
		t.Fatalf("no verified checkpoint: %v %s", err, raw)
	}
	b.must("sync")
	got, want := b.invoice(id), a.invoice(id)
	if !reflect.DeepEqual(got["invoice"], want["invoice"]) || got["status"] != want["status"] {
		t.Fatalf("B sees\n%v\nA has\n%v", got, want)
	}
	src, _ := got["source"].(map[string]any)
	if src["sha256"] == "" || src["attachment"] == "" {
		t.Fatalf("B has no original: %v", src)
	}
	// The refresh token is in the key file, never printed or in the folder.
	for _, d := range []*desktop{a, b} {
		keys, err := os.ReadFile(strings.TrimPrefix(d.env["SMARTAP_KEYCHAIN"], "file:"))
		if err != nil || !strings.Contains(string(keys), "sync-refresh:") {
			t.Fatalf("no sign-in in the key file: %v", err)
		}
		settings, _ := os.ReadFile(filepath.Join(d.env["SMARTAP_DATA_DIR"], client.SettingsFile))
		if strings.Contains(string(settings), "token") || !strings.Contains(string(settings), srv.URL) {
			t.Fatalf("sync settings: %s", settings)
		}
	}
}

// A --checkpoint-key that is not the key the server announces refuses the
// sign-in (exit 4); a checkpoint signed by another key than the one pinned
// fails verification: exit 4, and the status says why.
func TestSyncWrongCheckpointKeyIsAnIntegrityError(t *testing.T) {
	srv := startServer(t, map[string]identity.Role{"carl": identity.Clerk})
	other := synctest.Start(t)
	d := &desktop{harness: newHarness(t), user: "carl", pw: serverPassword("carl")}
	d.env["SMARTAP_PASSWORD"] = d.pw
	if code := d.run("", nil, "login", "--server", srv.URL, "--checkpoint-key", other.CheckpointKey, "--user", "carl"); code != exitIntegrity {
		t.Fatalf("login with another checkpoint key than announced: exit %d %s", code, d.last.stderr)
	}
	d.must("login", "--server", srv.URL, "--checkpoint-key", srv.CheckpointKey)
	dataDir := d.env["SMARTAP_DATA_DIR"]
	pinned, err := client.LoadSettings(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	pinned.CheckpointKey = other.CheckpointKey // the pin no longer matches the server's signing key
	if err := client.SaveSettings(dataDir, pinned); err != nil {
		t.Fatal(err)
	}
	if code := d.run("", nil, "sync", "--user", "carl"); code != exitIntegrity {
		t.Fatalf("sync with a wrong checkpoint key: exit %d %s", code, d.last.stderr)
	}
	if st := d.status(); !strings.Contains(st.LastError, "audit log failed verification") {
		t.Fatalf("status: %+v", st)
	}
	if code := d.run("", nil, "login", "--server", srv.URL, "--checkpoint-key", "not-a-key", "--user", "carl"); code != exitUsage {
		t.Fatalf("bad --checkpoint-key: exit %d", code)
	}
}
