package app

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"

	_ "github.com/mattn/go-sqlite3"
)

const pw = "admin password 123"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) emit(name string, data any) {
	b, _ := json.Marshal(data)
	e.mu.Lock()
	e.got = append(e.got, name+" "+string(b))
	e.mu.Unlock()
}

func (e *events) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.got...)
}

func newApp(t *testing.T) (*App, *clock, *events, string) {
	t.Helper()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "keys", "device.key")
	clk := &clock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	a := New(Config{DataDir: filepath.Join(dir, "data"), Keychain: "file:" + keyFile, KDF: vault.MinKDF, Now: clk.Now, Idle: 5 * time.Minute})
	a.tick = 20 * time.Millisecond
	ev := &events{}
	ctx, cancel := context.WithCancel(context.Background())
	a.start(ctx, ev.emit)
	t.Cleanup(func() { a.stop(); cancel() })
	return a, clk, ev, keyFile
}

func code(err error) string {
	if err == nil {
		return ""
	}
	return PublicError(err).Code
}

// The webview is an untrusted client: nothing but State, Setup and Unlock
// answers without an unlocked session.
func TestBoundMethodsNeedASession(t *testing.T) {
	a, _, _, _ := newApp(t)
	if st, err := a.State(); err != nil || st.Initialized || !st.Locked {
		t.Fatalf("state: %+v %v", st, err)
	}
	calls := map[string]func() error{
		"ListUsers":    func() error { _, err := a.ListUsers(); return err },
		"AddUser":      func() error { _, err := a.AddUser("x", "clerk", "password 1234"); return err },
		"ListVendors":  func() error { _, err := a.ListVendors(); return err },
		"AddVendor":    func() error { _, err := a.AddVendor(VendorInput{Name: "X"}); return err },
		"ListInvoices": func() error { _, err := a.ListInvoices(""); return err },
		"ChooseAndImport": func() error {
			a.choose = func() ([]string, error) { return nil, nil }
			_, err := a.ChooseAndImport()
			return err
		},
		"importFiles":      func() error { _, err := a.importFiles(nil); return err },
		"GetInvoice":       func() error { _, err := a.GetInvoice("x"); return err },
		"SubmitInvoice":    func() error { _, err := a.SubmitInvoice("x"); return err },
		"ApproveInvoice":   func() error { _, err := a.ApproveInvoice("x"); return err },
		"RejectInvoice":    func() error { _, err := a.RejectInvoice("x", "r"); return err },
		"HoldInvoice":      func() error { _, err := a.HoldInvoice("x", "r"); return err },
		"SetInvoiceFields": func() error { _, err := a.SetInvoiceFields("x", map[string]string{"buyer_reference": "r"}); return err },
	}
	for name, call := range calls {
		if c := code(call()); c != "locked" {
			t.Errorf("%s without session: code %q", name, c)
		}
	}
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	a.Lock()
	for name, call := range calls {
		if c := code(call()); c != "locked" {
			t.Errorf("%s after Lock: code %q", name, c)
		}
	}
	if _, err := a.Unlock("alice", "wrong password"); code(err) != "forbidden" {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	for name, call := range calls {
		if c := code(call()); c == "locked" {
			t.Errorf("%s with session: %q", name, c)
		}
	}
}

func TestRoleCheckedForBoundCalls(t *testing.T) {
	a, _, _, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("anna", "approver", "approver password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("mallory", "admin", "mallory password"); code(err) != "forbidden" {
		t.Fatalf("approver AddUser: %v", err)
	}
	if _, err := a.AddVendor(VendorInput{Name: "X"}); code(err) != "forbidden" {
		t.Fatalf("approver AddVendor: %v", err)
	}
	if st, _ := a.State(); st.Session == nil || st.Session.Name != "anna" {
		t.Fatalf("state after switching user: %+v", st)
	}
}

func TestIdleAutoLockWipesSession(t *testing.T) {
	a, clk, ev, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	s := a.session
	clk.Add(4 * time.Minute)
	a.Touch()
	clk.Add(4 * time.Minute)
	a.lockIfIdle()
	if a.session == nil {
		t.Fatal("locked although the user was active 4 minutes ago")
	}
	clk.Add(2 * time.Minute)
	a.lockIfIdle()
	if a.session != nil || !s.Locked() {
		t.Fatal("not locked after 6 idle minutes")
	}
	if got := ev.list(); len(got) != 1 || got[0] != `session:locked {"reason":"idle"}` {
		t.Fatalf("events: %v", got)
	}
	// The background watcher locks on its own too.
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	deadline := time.Now().Add(20 * time.Second)
	for a.currentSession() != nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if a.currentSession() != nil {
		t.Fatal("idle watcher did not lock")
	}
}

func (a *App) currentSession() any {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		return nil
	}
	return a.session
}

// security checklist #6: no bound method returns a secret. The recovery key
// in Setup's result is the one deliberate exception, shown once.
func TestNoSecretCrossesIntoJavaScript(t *testing.T) {
	a, _, _, keyFile := newApp(t)
	res, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	dek := dataKey(t, a, keyFile)
	keyFileBytes, _ := os.ReadFile(keyFile)
	secrets := []string{pw, "clerk password 99", res.RecoveryKey, strings.ReplaceAll(res.RecoveryKey, "-", ""),
		hex.EncodeToString(dek), base64.StdEncoding.EncodeToString(dek), base64.RawURLEncoding.EncodeToString(dek)}
	if len(keyFileBytes) > 0 {
		secrets = append(secrets, string(keyFileBytes))
	}
	results := map[string]any{}
	record := func(name string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		results[name] = v
	}
	st, err := a.State()
	record("State", st, err)
	u, err := a.AddUser("carl", "clerk", "clerk password 99")
	record("AddUser", u, err)
	us, err := a.ListUsers()
	record("ListUsers", us, err)
	v, err := a.AddVendor(VendorInput{Name: "ACME", IBAN: "DE89370400440532013000"})
	record("AddVendor", v, err)
	vs, err := a.ListVendors()
	record("ListVendors", vs, err)
	is, err := a.ListInvoices("")
	record("ListInvoices", is, err)
	// The invoice bindings, on a real file when the corpus is there.
	file := filepath.Join(t.TempDir(), "not-an-invoice.txt")
	_ = os.WriteFile(file, []byte("plain text"), 0o600)
	if _, err := os.Stat(filepath.Join(corpus, ciiExample)); err == nil {
		file = filepath.Join(corpus, ciiExample)
	}
	a.choose = func() ([]string, error) { return []string{file}, nil }
	imp, err := a.ChooseAndImport()
	record("ChooseAndImport", imp, err)
	id := "none"
	if len(imp) == 1 && imp[0].Error == nil {
		id = imp[0].ID
	}
	either := func(name string, v any, err error) { // a refusal is checked too
		if err != nil {
			results[name] = FormatError(err)
			return
		}
		results[name] = v
	}
	d, err := a.GetInvoice(id)
	either("GetInvoice", d, err)
	st1, err := a.SetInvoiceFields(id, map[string]string{"buyer_reference": "REF-1"})
	either("SetInvoiceFields", st1, err)
	st2, err := a.SubmitInvoice(id)
	either("SubmitInvoice", st2, err)
	st3, err := a.ApproveInvoice(id)
	either("ApproveInvoice", st3, err)
	st4, err := a.HoldInvoice(id, "checking")
	either("HoldInvoice", st4, err)
	st5, err := a.RejectInvoice(id, "wrong")
	either("RejectInvoice", st5, err)
	for _, check := range moreSecretChecks { // the bindings beyond invoice review
		more, own := check(t, a)
		for name, v := range more {
			results[name] = v
		}
		secrets = append(secrets, own...)
	}
	a.Lock()
	si, err := a.Unlock("alice", pw)
	record("Unlock", si, err)
	a.Touch()
	results["Touch"], results["Lock"] = nil, nil
	_, err = a.Unlock("alice", "bad password x")
	results["Unlock(error)"] = FormatError(err)

	// Every bound method must be covered here, so a new one cannot skip the check.
	typ := reflect.TypeOf(a)
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		if name == "Setup" {
			continue
		}
		if _, ok := results[name]; !ok {
			t.Errorf("bound method %s is not checked for secrets", name)
		}
	}
	for name, r := range results {
		b, _ := json.Marshal(r)
		for _, s := range secrets {
			if s != "" && strings.Contains(string(b), s) {
				t.Errorf("%s returned a secret: %s", name, b)
			}
		}
	}
}

func TestFormatErrorHidesDetails(t *testing.T) {
	raw := fmt.Errorf("list: %w", errors.New("sqlite3: disk I/O error at /home/u/.local/share/smartap/smartap.db"))
	e := PublicError(raw)
	if js := FormatError(raw).(string); !strings.Contains(js, `"code":"internal"`) {
		t.Fatalf("JS error text %s", js)
	}
	if e.Code != "internal" || strings.Contains(e.Message, "sqlite") || strings.Contains(e.Message, "/home") {
		t.Fatalf("leaked: %+v", e)
	}
	locked := &apperr.Error{Code: apperr.Locked, Message: "too many failed attempts", RetryAfter: 2500 * time.Millisecond}
	if e := PublicError(locked); e.Code != "locked" || e.RetryAfter != 3 {
		t.Fatalf("locked: %+v", e)
	}
}

// security checklist #35: the production options stay hardened.
func TestProductionOptionsHardened(t *testing.T) {
	o := Options(New(Config{}), os.DirFS("."))
	switch {
	case o.BindingsAllowedOrigins != "":
		t.Error("bindings must answer only the app's own origin")
	case o.EnableDefaultContextMenu:
		t.Error("default context menu (inspect element) enabled")
	case o.EnableFraudulentWebsiteDetection:
		t.Error("fraud detection sends URLs to third parties")
	case o.Debug.OpenInspectorOnStartup:
		t.Error("inspector opens on start-up")
	case o.DragAndDrop == nil || !o.DragAndDrop.DisableWebViewDrop:
		t.Error("a dropped file would navigate the webview")
	case o.ErrorFormatter == nil:
		t.Error("errors reach JavaScript unformatted")
	case len(o.Bind) != 1 || o.Bind[0] == nil:
		t.Error("only the App is bound")
	case o.AssetServer == nil || o.AssetServer.Middleware == nil:
		t.Error("no security headers middleware")
	}
	rec := httptest.NewRecorder()
	o.AssetServer.Middleware(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
		t.Errorf("CSP too loose: %q", csp)
	}
}

// The CSP in index.html matches the header.
func TestIndexHTMLCarriesCSP(t *testing.T) {
	b, err := os.ReadFile("../frontend/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), CSP) {
		t.Fatalf("frontend/index.html does not carry the CSP %q", CSP)
	}
}

// dataKey unwraps alice's copy of the data key the way an attacker with the
// password and the key file would, so the test knows what must never leak.
func dataKey(t *testing.T, a *App, keyFile string) []byte {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(a.cfg.DataDir, "smartap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var folderID string
	var wrapped []byte
	var userID string
	if err := db.QueryRow("SELECT value FROM meta WHERE key = 'folder_id'").Scan(&folderID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT id, wrapped_key FROM users WHERE name = 'alice'").Scan(&userID, &wrapped); err != nil {
		t.Fatal(err)
	}
	kc, err := vault.OpenKeychain("file:" + keyFile)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := vault.DeviceSecret(kc, folderID, false)
	if err != nil {
		t.Fatal(err)
	}
	dek, err := vault.Unwrap(wrapped, dev, secret.NewPassword(pw), folderID, userID)
	if err != nil {
		t.Fatal(err)
	}
	return dek.Reveal()
}
