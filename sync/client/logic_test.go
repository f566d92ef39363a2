package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/wire"
)

func seqs(ns ...uint64) []wire.Sequenced {
	out := make([]wire.Sequenced, len(ns))
	for i, n := range ns {
		out[i] = wire.Sequenced{Seq: n}
	}
	return out
}

func TestPlanPage(t *testing.T) {
	cur := wire.Cursor{Index: "i", Seq: 5}
	for _, tc := range []struct {
		name  string
		cur   wire.Cursor
		page  wire.Page
		want  pageAction
		first uint64
		n     int
	}{
		{"follows", cur, wire.Page{Ops: seqs(6, 7), Next: wire.Cursor{Index: "i", Seq: 7}}, pageApply, 6, 2},
		{"overlap trimmed", cur, wire.Page{Ops: seqs(4, 5, 6), Next: wire.Cursor{Index: "i", Seq: 6}}, pageApply, 6, 1},
		{"all seen", cur, wire.Page{Ops: seqs(3, 4, 5), Next: wire.Cursor{Index: "i", Seq: 5}}, pageIgnore, 0, 0},
		{"empty at cursor", cur, wire.Page{Next: wire.Cursor{Index: "i", Seq: 5}}, pageIgnore, 0, 0},
		{"gap", cur, wire.Page{Ops: seqs(7, 8), Next: wire.Cursor{Index: "i", Seq: 8}}, pageGap, 0, 0},
		{"empty but ahead", cur, wire.Page{Next: wire.Cursor{Index: "i", Seq: 9}}, pageGap, 0, 0},
		{"other index", cur, wire.Page{Ops: seqs(6), Next: wire.Cursor{Index: "j", Seq: 6}}, pageNewIndex, 0, 0},
		{"never synced", wire.Cursor{}, wire.Page{Ops: seqs(1), Next: wire.Cursor{Index: "i", Seq: 1}}, pageNewIndex, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			act, ops := planPage(tc.cur, tc.page)
			if act != tc.want || len(ops) != tc.n || tc.n > 0 && ops[0].Seq != tc.first {
				t.Fatalf("planPage = %v %v, want %v starting at %d (%d ops)", act, ops, tc.want, tc.first, tc.n)
			}
		})
	}
}

func TestServerURL(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"https://sync.example.com", "https://sync.example.com", true},
		{"HTTPS://sync.example.com:8443/base/", "https://sync.example.com:8443/base", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://localhost:8080", "http://localhost:8080", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"http://sync.example.com", "", false},
		{"http://10.0.0.5", "", false},
		{"ftp://sync.example.com", "", false},
		{"sync.example.com", "", false},
		{"https://user:pw@sync.example.com", "", false},
		{"https://sync.example.com/?x=1", "", false},
	} {
		u, err := ServerURL(tc.in)
		if !tc.ok {
			if !errors.Is(err, ErrBadServer) {
				t.Errorf("ServerURL(%q) = %v, %v; want ErrBadServer", tc.in, u, err)
			}
			continue
		}
		if err != nil || u.String() != tc.want {
			t.Errorf("ServerURL(%q) = %v, %v; want %s", tc.in, u, err, tc.want)
		}
	}
	u, _ := ServerURL("https://h:1/b")
	if got := wsEndpoint(u, "/v1/sync"); got != "wss://h:1/b/v1/sync" {
		t.Errorf("wsEndpoint = %s", got)
	}
	u, _ = ServerURL("http://127.0.0.1:1")
	if got := wsEndpoint(u, "/v1/sync"); got != "ws://127.0.0.1:1/v1/sync" {
		t.Errorf("wsEndpoint = %s", got)
	}
}

func TestAuthErrorsMapToSentinels(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   error
		retry  time.Duration
	}{
		{401, `{"code":"unauthorized","message":"wrong user or password"}`, ErrUnauthorized, 0},
		{423, `{"code":"locked","message":"locked"}`, ErrLocked, 30 * time.Second},
		{429, `{"code":"rate_limited","message":"slow down"}`, ErrRateLimited, 30 * time.Second},
		{403, `{"code":"forbidden","message":"disabled"}`, ErrForbidden, 0},
		{502, `<html>bad gateway</html>`, ErrUnavailable, 0},
		{401, `not json`, ErrUnauthorized, 0},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if tc.retry > 0 {
				w.Header().Set("Retry-After", "30")
			}
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		a, err := NewAuth(srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Login(context.Background(), "alice", secret.NewPassword("pw"), "dev")
		if !errors.Is(err, tc.want) || RetryAfter(err) != tc.retry {
			t.Errorf("%d %s: err %v (retry %v), want %v", tc.status, tc.body, err, RetryAfter(err), tc.want)
		}
		srv.Close()
	}
}

func TestCredentialsInKeychain(t *testing.T) {
	kc, err := vault.OpenKeychain("file:" + filepath.Join(t.TempDir(), "k"))
	if err != nil {
		t.Fatal(err)
	}
	c := Credentials{Keychain: kc, Account: RefreshAccount("f1", "https://s", "alice")}
	other := Credentials{Keychain: kc, Account: RefreshAccount("f2", "https://s", "alice")}
	if _, err := c.Load(); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("empty keychain: %v", err)
	}
	if err := c.Save("tok-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Load(); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("another folder's account sees the token: %v", err)
	}
	if got, err := c.Load(); err != nil || got != "tok-1" {
		t.Fatalf("Load = %q %v", got, err)
	}
	if err := c.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := c.Load(); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("after delete: %v", err)
	}
}
