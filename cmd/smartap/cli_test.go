package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

const (
	adminPW = "admin password with spaces"
	clerkPW = "clerk secret pass 42"
	iban1   = "DE89370400440532013000"
	iban2   = "FR1420041010050500013M02606"
)

type harness struct {
	t    *testing.T
	dir  string
	env  map[string]string
	last struct{ stdout, stderr string }
}

func newHarness(t *testing.T) *harness {
	dir := t.TempDir()
	return &harness{t: t, dir: dir, env: map[string]string{
		"SMARTAP_DATA_DIR": filepath.Join(dir, "data"),
		"SMARTAP_KEYCHAIN": "file:" + filepath.Join(dir, "keys", "device.key"),
		"SMARTAP_KDF":      "min",
		"SMARTAP_PASSWORD": adminPW,
	}}
}

// run runs one smartap command with extra environment variables.
func (h *harness) run(stdin string, extra map[string]string, args ...string) int {
	h.t.Helper()
	getenv := func(k string) string {
		if v, ok := extra[k]; ok {
			return v
		}
		return h.env[k]
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--log-level", "debug"}, args...), getenv, strings.NewReader(stdin), &out, &errb)
	h.last.stdout, h.last.stderr = out.String(), errb.String()
	return code
}

func (h *harness) mustRun(args ...string) string {
	h.t.Helper()
	if code := h.run("", nil, args...); code != 0 {
		h.t.Fatalf("%v: exit %d\n%s%s", args, code, h.last.stdout, h.last.stderr)
	}
	return h.last.stdout
}

func (h *harness) decode(v any) {
	h.t.Helper()
	if err := json.Unmarshal([]byte(h.last.stdout), v); err != nil {
		h.t.Fatalf("stdout is not JSON: %v\n%s", err, h.last.stdout)
	}
}

func TestCLISession(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice", "--json")
	var initOut map[string]string
	h.decode(&initOut)
	rk := initOut["recovery_key"]
	if rk == "" || initOut["role"] != "admin" {
		t.Fatalf("init output: %v", initOut)
	}
	if code := h.run("", map[string]string{"SMARTAP_NEW_PASSWORD": clerkPW}, "user", "add", "carl", "--role", "clerk", "--user", "alice"); code != 0 {
		t.Fatalf("user add: %d %s", code, h.last.stderr)
	}
	h.mustRun("user", "list", "--json", "--user", "alice")
	var users []map[string]any
	h.decode(&users)
	if len(users) != 2 || users[1]["role"] != "clerk" {
		t.Fatalf("users: %v", users)
	}
	h.mustRun("vendor", "add", "--user", "alice", "--name", "ACME GmbH", "--vat-id", "DE123456789", "--iban", iban1, "--bic", "COBADEFFXXX", "--json")
	var v map[string]any
	h.decode(&v)
	id := v["id"].(string)
	h.mustRun("vendor", "set-bank", id, "--iban", iban2, "--user", "alice")
	h.mustRun("vendor", "show", id, "--json", "--user", "alice")
	var shown struct {
		Bank        map[string]string `json:"bank"`
		BankHistory []map[string]any  `json:"bank_history"`
	}
	h.decode(&shown)
	if shown.Bank["iban"] != iban2 || len(shown.BankHistory) != 1 || shown.BankHistory[0]["by"] != "alice" {
		t.Fatalf("vendor show: %+v", shown)
	}
	h.mustRun("vendor", "list", "--json", "--user", "alice")
	var vs []map[string]any
	h.decode(&vs)
	if len(vs) != 1 {
		t.Fatalf("vendor list: %v", vs)
	}
	h.mustRun("list", "--json", "--user", "alice")
	if strings.TrimSpace(h.last.stdout) != "[]" {
		t.Fatalf("empty invoice list: %q", h.last.stdout)
	}
	h.mustRun("audit", "verify", "--user", "alice")
	h.mustRun("audit", "list", "--json", "--user", "alice")
	var entries []map[string]any
	h.decode(&entries)
	if len(entries) < 10 {
		t.Fatalf("audit entries: %d", len(entries))
	}

	// A clerk may not add users: exit 3, JSON error, audited as denied.
	code := h.run("", map[string]string{"SMARTAP_PASSWORD": clerkPW, "SMARTAP_NEW_PASSWORD": "whatever password"},
		"user", "add", "eve", "--role", "admin", "--user", "carl", "--json")
	var e map[string]string
	h.decode(&e)
	if code != exitAuth || e["code"] != "forbidden" {
		t.Fatalf("clerk user add: exit %d %v", code, e)
	}
	// Bad input: exit 1 with a specific message; nothing changed.
	if code := h.run("", nil, "vendor", "add", "--user", "alice", "--name", "X", "--iban", "DE00370400440532013000", "--json"); code != exitFailed {
		t.Fatalf("bad IBAN: exit %d", code)
	}
	h.decode(&e)
	if e["code"] != "invalid_input" || !strings.Contains(e["message"], "check digits") {
		t.Fatalf("bad IBAN error: %v", e)
	}
	// Usage errors: exit 2.
	for _, args := range [][]string{{"bogus"}, {"vendor", "show"}, {"init"}, {"user", "add", "x", "--role", "boss", "--user", "alice"}} {
		if code := h.run("", nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}

	// security checklist #6: across the whole session the log carries no
	// password, IBAN, VAT-free bank data or recovery key.
	logb, err := os.ReadFile(filepath.Join(h.dir, "data", "smartap.log"))
	if err != nil || len(logb) == 0 {
		t.Fatalf("log: %v (%d bytes)", err, len(logb))
	}
	for _, s := range []string{adminPW, clerkPW, "whatever password", iban1, iban2, rk, strings.ReplaceAll(rk, "-", "")} {
		if bytes.Contains(logb, []byte(s)) {
			t.Errorf("log contains %q", s)
		}
	}
}

func TestCLIPasswordFromStdin(t *testing.T) {
	h := newHarness(t)
	delete(h.env, "SMARTAP_PASSWORD")
	if code := h.run(adminPW+"\n", nil, "init", "--user", "alice", "--password-stdin"); code != 0 {
		t.Fatalf("init: %d %s", code, h.last.stderr)
	}
	// Acting password on line 1, the new user's password on line 2.
	if code := h.run(adminPW+"\n"+clerkPW+"\n", nil, "user", "add", "carl", "--role", "clerk", "--user", "alice", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, h.last.stderr)
	}
	if code := h.run(clerkPW+"\n", nil, "vendor", "list", "--user", "carl", "--password-stdin"); code != 0 {
		t.Fatalf("clerk login: %d %s", code, h.last.stderr)
	}
	if code := h.run("", nil, "vendor", "list", "--user", "carl"); code != exitUsage || !strings.Contains(h.last.stderr, "SMARTAP_PASSWORD") {
		t.Fatalf("no password source: %d %s", code, h.last.stderr)
	}
}

func TestCLILockoutAndNoKeychain(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice")
	var e map[string]string
	// With no keychain at all the command fails clearly, never in plaintext.
	code := h.run("", map[string]string{"SMARTAP_KEYCHAIN": "file:" + filepath.Join(h.dir, "missing", "nothing.key")}, "vendor", "list", "--json")
	h.decode(&e)
	if code != exitFailed || e["code"] != "unavailable" || !strings.Contains(e["message"], "device secret") {
		t.Fatalf("missing key file: %d %v", code, e)
	}
	if code := h.run("", map[string]string{"SMARTAP_KEYCHAIN": "vault:xyz"}, "vendor", "list"); code != exitFailed || !strings.Contains(h.last.stderr, "file:PATH") {
		t.Fatalf("bad keychain spec: %d %s", code, h.last.stderr)
	}
	bad := map[string]string{"SMARTAP_PASSWORD": "wrong password!"}
	for i := 0; i < 4; i++ {
		if code := h.run("", bad, "vendor", "list"); code != exitAuth || !strings.Contains(h.last.stderr, "wrong user name or password") {
			t.Fatalf("attempt %d: %d %s", i, code, h.last.stderr)
		}
	}
	if code := h.run("", bad, "vendor", "list", "--json"); code != exitAuth {
		t.Fatalf("5th attempt: %d", code)
	}
	h.decode(&e)
	if e["code"] != "locked" {
		t.Fatalf("5th attempt: %v", e)
	}
}

func TestCLIAuditVerifyExit4(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice")
	for _, n := range []string{"A", "B", "C"} {
		h.mustRun("vendor", "add", "--name", "Vendor "+n)
	}
	db, err := sql.Open("sqlite3", filepath.Join(h.dir, "data", "smartap.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM audit_entries WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code := h.run("", nil, "audit", "verify", "--json")
	var e map[string]string
	h.decode(&e)
	if code != exitIntegrity || e["code"] != "integrity" || !strings.Contains(e["message"], "entry 3") {
		t.Fatalf("verify after delete: exit %d %v", code, e)
	}
}

func TestCLIRecover(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice", "--json")
	var out map[string]string
	h.decode(&out)
	newPW := map[string]string{"SMARTAP_RECOVERY_KEY": out["recovery_key"], "SMARTAP_NEW_PASSWORD": "my new long password"}
	if code := h.run("", newPW, "user", "recover", "alice"); code != 0 {
		t.Fatalf("recover: %d %s", code, h.last.stderr)
	}
	if code := h.run("", map[string]string{"SMARTAP_PASSWORD": "my new long password"}, "vendor", "list"); code != 0 {
		t.Fatalf("login with new password: %d %s", code, h.last.stderr)
	}
	newPW["SMARTAP_RECOVERY_KEY"] = "AAAA-BBBB"
	if code := h.run("", newPW, "user", "recover", "alice"); code != exitFailed || !strings.Contains(h.last.stderr, "recovery key") {
		t.Fatalf("bad recovery key: %d %s", code, h.last.stderr)
	}
}
