package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/client"
	"github.com/smartap/desktop/sync/client/synctest"
)

func init() {
	// The sync bindings against a real server: none may hand the window a
	// token (the refresh token is in the key file, the access token only
	// in the client's memory; "eyJ" starts every JWT).
	moreSecretChecks["sync"] = func(t *testing.T, a *App) (map[string]any, []string) {
		srv := synctest.Start(t)
		srv.AddUser(t, "alice", identity.Admin, pw)
		res := map[string]any{}
		v, err := a.SyncLogin(srv.URL, pw)
		res["SyncLogin"] = orError(v, err)
		secrets := []string{"eyJ", refreshToken(t, a)}
		st, err := a.SyncStatus()
		res["SyncStatus"] = orError(st, err)
		es, err := a.ListSyncExceptions()
		res["ListSyncExceptions"] = orError(es, err)
		rs, err := a.ListSyncRejections()
		res["ListSyncRejections"] = orError(rs, err)
		res["SyncLogout"] = orError(nil, a.SyncLogout())
		if _, err := client.LoadSettings(a.cfg.DataDir); err == nil {
			t.Error("SyncLogout kept the sync settings")
		}
		return res, secrets
	}
}

// refreshToken reads the stored refresh token of a's sync sign-in.
func refreshToken(t *testing.T, a *App) string {
	t.Helper()
	st, err := client.LoadSettings(a.cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	kc, err := vault.OpenKeychain(a.cfg.Keychain)
	if err != nil {
		t.Fatal(err)
	}
	b, err := kc.Get(vault.Service, st.Account)
	if err != nil || len(b) == 0 {
		t.Fatalf("no refresh token in the keychain: %v", err)
	}
	return string(b)
}

type event struct {
	name string
	data any
}

// newSyncApp is an app on the real clock (the server refuses ops from a
// skewed clock) whose events arrive on a channel.
func newSyncApp(t *testing.T) (*App, chan event) {
	t.Helper()
	dir := t.TempDir()
	a := New(Config{DataDir: filepath.Join(dir, "data"), Keychain: "file:" + filepath.Join(dir, "keys"), KDF: vault.MinKDF})
	ch := make(chan event, 4096)
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, func(name string, data any) {
		select {
		case ch <- event{name, data}:
		default:
		}
	})
	t.Cleanup(func() { a.stop(); cancel() })
	return a, ch
}

// waitEvent reads events until cond holds.
func waitEvent(ch chan event, cond func() bool) {
	for !cond() {
		<-ch
	}
}

// otherDesktop sets up a second data folder as user (a clerk on the
// server), imports a corpus invoice there and syncs it up.
func otherDesktop(t *testing.T, srv *synctest.Server, user, password string) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	kc, err := vault.OpenKeychain("file:" + filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	co, err := core.Open(ctx, core.Options{DataDir: filepath.Join(dir, "data"), Keychain: kc, KDF: vault.MinKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = co.Close() })
	s, _, err := co.InitFromServer(ctx, user, secret.NewPassword(password), identity.Clerk, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	f, err := os.Open(filepath.Join(corpus, ciiExample))
	if err != nil {
		t.Skip("corpus not available")
	}
	defer f.Close()
	imp, err := s.Import(ctx, ciiExample, f)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := client.NewAuth(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Replica()
	creds := client.Credentials{Keychain: kc, Account: client.RefreshAccount(r.Device(), auth.Server(), user)}
	if _, err := client.Login(ctx, auth, creds, user, secret.NewPassword(password), r.Device()); err != nil {
		t.Fatal(err)
	}
	cl, err := client.New(client.Config{Server: srv.URL, User: user, Creds: creds, Replica: r})
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	return imp.ID
}

// The loop starts at sign-in and at unlock, stops at lock, shows another
// desktop's invoice live, and survives a role change on the server (close
// code 4001: refresh and reconnect).
func TestSyncLoopFollowsUnlockAndLiveChanges(t *testing.T) {
	srv := synctest.Start(t)
	srv.AddUser(t, "alice", identity.Admin, pw)
	srv.AddUser(t, "carl", identity.Clerk, "clerk password 42")
	a, ch := newSyncApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if st, err := a.SyncStatus(); err != nil || st.Configured {
		t.Fatalf("before login: %+v %v", st, err)
	}
	if _, err := a.SyncLogin(srv.URL, pw); err != nil {
		t.Fatal(err)
	}
	online := func() bool { st, _ := a.SyncStatus(); return st.Online && st.LastSync != "" }
	waitEvent(ch, online)

	id := otherDesktop(t, srv, "carl", "clerk password 42")
	waitEvent(ch, func() bool { d, err := a.GetInvoice(id); return err == nil && d.ID == id })

	// Lock stops the loop; unlock starts it again.
	a.Lock()
	if a.syncClient() != nil {
		t.Fatal("sync loop still running after lock")
	}
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	if a.syncClient() == nil {
		t.Fatal("sync loop not started at unlock")
	}
	waitEvent(ch, online)

	// A role change closes the connection (4001); the loop reconnects.
	for len(ch) > 0 {
		<-ch
	}
	srv.SetRole(t, "alice", identity.Approver)
	var sawOffline, back bool
	for !back {
		e := <-ch
		if e.name != EventSyncStatus {
			continue
		}
		b, _ := json.Marshal(e.data)
		var v SyncStatusView
		if err := json.Unmarshal(b, &v); err != nil || !v.Configured || v.Server != srv.URL {
			t.Fatalf("status event payload %s", b)
		}
		sawOffline = sawOffline || !v.Online
		back = sawOffline && v.Online && v.LastError == ""
	}
	if st, _ := a.SyncStatus(); st.LastError != "" || !st.Online {
		t.Fatalf("after reconnecting: %+v", st)
	}
}
