package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
)

func openSQLite(t *testing.T, spec string) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), strings.TrimPrefix(spec, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func TestAdminCommandsAndExitCodes(t *testing.T) {
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	pw := map[string]string{envNewPassword: testPassword}
	cases := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		code  int
	}{
		{"team create", nil, "", []string{"team", "create", "acme"}, exitOK},
		{"team again", nil, "", []string{"team", "create", "acme"}, exitFailed},
		{"user add, password on stdin", nil, testPassword + "\n",
			[]string{"user", "add", "ben", "--team", "acme", "--role", "clerk"}, exitOK},
		{"user add with limits", pw, "", []string{"user", "add", "Cara", "--team", "acme", "--role", "approver",
			"--cost-centre", "CC-2", "--cost-centre", "CC-1", "--approval-limit", "5000.00"}, exitOK},
		{"user add taken name", pw, "", []string{"user", "add", "ben", "--team", "acme", "--role", "clerk"}, exitFailed},
		{"user add unknown team", pw, "", []string{"user", "add", "dan", "--team", "nope", "--role", "clerk"}, exitFailed},
		{"user add no password", nil, "", []string{"user", "add", "dan", "--team", "acme", "--role", "clerk"}, exitUsage},
		{"user add weak password", map[string]string{envNewPassword: "short"}, "",
			[]string{"user", "add", "dan", "--team", "acme", "--role", "clerk"}, exitUsage},
		{"user add bad role", pw, "", []string{"user", "add", "dan", "--team", "acme", "--role", "boss"}, exitUsage},
		{"user add bad name", pw, "", []string{"user", "add", "d an", "--team", "acme", "--role", "clerk"}, exitUsage},
		{"user add negative limit", pw, "", []string{"user", "add", "dan", "--team", "acme", "--role", "clerk",
			"--approval-limit", "-5"}, exitUsage},
		{"set-role", nil, "", []string{"user", "set-role", "ben", "approver"}, exitOK},
		{"set-role bad role", nil, "", []string{"user", "set-role", "ben", "king"}, exitUsage},
		{"set-role unknown user", nil, "", []string{"user", "set-role", "nobody", "clerk"}, exitFailed},
		{"disable", nil, "", []string{"user", "disable", "ben"}, exitOK},
		{"disable unknown user", nil, "", []string{"user", "disable", "nobody"}, exitFailed},
		{"apikey bad role", nil, "", []string{"apikey", "create", "--team", "acme", "--role", "x"}, exitUsage},
		{"apikey unknown team", nil, "", []string{"apikey", "create", "--team", "nope", "--role", "clerk"}, exitFailed},
		{"unknown command", nil, "", []string{"frobnicate"}, exitUsage},
		{"unknown flag", nil, "", []string{"team", "create", "x", "--colour"}, exitUsage},
		{"missing argument", nil, "", []string{"user", "disable"}, exitUsage},
	}
	for _, c := range cases {
		r := runCLI(t, c.env, c.stdin, append(c.args, "--store", spec)...)
		if r.code != c.code {
			t.Fatalf("%s: exit %d, want %d\nstderr: %s", c.name, r.code, c.code, r.stderr)
		}
	}
	st := openSQLite(t, spec)
	ctx := context.Background()
	p, err := st.Profile(ctx, "cara")
	if err != nil || !reflect.DeepEqual(p, serverstore.Profile{CostCentres: []string{"CC-1", "CC-2"}, ApprovalLimit: "5000.00"}) {
		t.Fatalf("cara's profile %+v, %v", p, err)
	}
	ben, err := st.GetUser(ctx, "ben")
	if err != nil || !ben.Disabled || ben.Role != identity.Approver || ben.TokenVersion != 3 {
		t.Fatalf("ben after set-role and disable: %+v, %v", ben, err)
	}
	r := runCLI(t, nil, "", "events", "list", "--json", "--store", spec)
	wantCode(t, r, exitOK)
	var evs []eventJSON
	if err := json.Unmarshal([]byte(r.stdout), &evs); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Kind != "role_changed" || evs[1].Kind != "user_disabled" {
		t.Fatalf("events %+v", evs)
	}
}

func TestStoreSpecErrors(t *testing.T) {
	for _, spec := range []string{"", "mysql://x", "sqlite:", "/plain/path.db"} {
		r := runCLI(t, nil, "", "team", "create", "acme", "--store", spec)
		wantCode(t, r, exitUsage)
	}
	// The password in a refused store URL is not echoed.
	r := runCLI(t, nil, "", "team", "create", "acme", "--store", "mysql://admin:hunter2@db/x") // gitleaks:allow
	if strings.Contains(r.stderr, "hunter2") {
		t.Fatalf("password echoed: %s", r.stderr)
	}
	// Replicas on PostgreSQL must name the shared key file.
	r = runCLI(t, map[string]string{envNewPassword: testPassword}, "",
		"user", "add", "x", "--team", "t", "--role", "clerk", "--store", "postgres://127.0.0.1:1/none")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "--keys") {
		t.Fatalf("no hint at --keys: %s", r.stderr)
	}
}

// An API key made by `apikey create` logs in as its service account;
// `apikey revoke` ends that.
func TestAPIKeyCreateLoginRevoke(t *testing.T) {
	spec := newStoreWithUser(t)
	r := runCLI(t, nil, "", "apikey", "create", "--team", "acme", "--role", "clerk", "--json", "--store", spec)
	wantCode(t, r, exitOK)
	var created struct{ User, Team, Role, ID, Key string }
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.Key, "sak_"+created.ID+"_") || created.User != "svc-"+created.ID {
		t.Fatalf("created %+v", created)
	}
	if strings.Contains(r.stderr, created.Key) {
		t.Fatal("the key is also printed on stderr")
	}
	// The key is stored only hashed.
	k, err := openSQLite(t, spec).GetAPIKey(context.Background(), created.ID)
	if err != nil || !k.Matches(created.Key) || strings.Contains(string(k.Hash[:]), created.Key) {
		t.Fatalf("stored key %+v, %v", k, err)
	}

	cert, key, pool := testCert(t)
	srv := startServe(t, "--listen", "127.0.0.1:0", "--store", spec, "--tls-cert", cert, "--tls-key", key)
	c := tlsClient(t, srv.addr, pool, 0)
	tk, code := c.login(httpapi.LoginRequest{APIKey: created.Key, Device: "erp"})
	if code != http.StatusOK || tk.User != created.User || tk.Role != "clerk" {
		t.Fatalf("api key login: %d %+v", code, tk)
	}
	wantCode(t, runCLI(t, nil, "", "apikey", "revoke", created.ID, "--store", spec), exitOK)
	if _, code := c.login(httpapi.LoginRequest{APIKey: created.Key, Device: "erp"}); code != http.StatusUnauthorized {
		t.Fatalf("revoked key login: %d", code)
	}
	if code := c.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk.RefreshToken}, nil); code != http.StatusUnauthorized {
		t.Fatalf("refresh after revoke: %d", code)
	}
}
