package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/checkpoint"
)

// corpus is the shared invoice corpus, seen from this package.
const corpus = "../../../shared/corpus"

// corpusFiles are the invoices the desktops import.
var corpusFiles = []string{
	"zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml",
	"zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach.cii.xml",
	"en16931-cen-examples/cii/examples/CII_example2.xml",
}

func corpusFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(corpus, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus file not present: %v", err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// desktop is one data folder driven through the smartap CLI binary.
type desktop struct {
	t    *testing.T
	user string
	env  []string
}

// newDesktop creates a data folder signed in to s as user, with the
// server's checkpoint key pinned.
func newDesktop(t *testing.T, s *syncServer, user string) *desktop {
	t.Helper()
	dir := t.TempDir()
	d := &desktop{t: t, user: user, env: append(os.Environ(),
		"SMARTAP_DATA_DIR="+filepath.Join(dir, "data"),
		"SMARTAP_KEYCHAIN=file:"+filepath.Join(dir, "keys", "device.key"),
		"SMARTAP_KDF=min",
		"SMARTAP_PASSWORD="+passphrase,
	)}
	d.must("login", "--server", s.URL(), "--checkpoint-key", checkpoint.FormatPublicKey(s.Pub), "--json")
	return d
}

func (d *desktop) command(args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bins, "smartap"), append(args, "--user", d.user)...) // #nosec G204 -- the test's own binary
	cmd.Env = d.env
	return cmd
}

// run runs one command to its end and returns its exit code and output.
func (d *desktop) run(args ...string) (int, string, string) {
	d.t.Helper()
	cmd := d.command(args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		d.t.Fatalf("smartap %v hung:\n%s", args, errb.String())
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

func (d *desktop) must(args ...string) string {
	d.t.Helper()
	code, out, errs := d.run(args...)
	if code != 0 {
		d.t.Fatalf("%s: smartap %v: exit %d\n%s%s", d.user, args, code, out, errs)
	}
	return strings.TrimSpace(out)
}

// killDuring starts a command and SIGKILLs it after the pause (it may
// have finished by then).
func (d *desktop) killDuring(pause time.Duration, args ...string) {
	d.t.Helper()
	cmd := d.command(args...)
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	time.Sleep(pause)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
}

// status is `sync status --json`.
type status struct {
	Pending    int    `json:"pending"`
	LastError  string `json:"last_error"`
	Exceptions int    `json:"exceptions"`
	Rejections int    `json:"rejections"`
}

// show returns what the desktop shows of an invoice: fields and status.
func (d *desktop) show(id string) string {
	d.t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(d.must("show", id, "--json")), &v); err != nil {
		d.t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"invoice": v["invoice"], "status": v["status"]})
	return string(b)
}

// sameState fails unless every desktop shows every invoice identically.
func sameState(t *testing.T, ids []string, ds ...*desktop) {
	t.Helper()
	for _, id := range ids {
		want := ds[0].show(id)
		for _, d := range ds[1:] {
			if got := d.show(id); got != want {
				t.Fatalf("invoice %s: %s shows\n%s\n%s shows\n%s", id, d.user, got, ds[0].user, want)
			}
		}
	}
}

// noDuplicates fails if an op id is twice in the server's log.
func noDuplicates(t *testing.T, s *syncServer, token string) int {
	t.Helper()
	seen := map[string]bool{}
	log := pullLog(t, s, token)
	for _, e := range log {
		if seen[e.Op.ID] {
			t.Fatalf("op %s stored twice", e.Op.ID)
		}
		seen[e.Op.ID] = true
	}
	return len(log)
}

// syncRecover runs `sync --json` to success and returns its output; a
// fault in an earlier run (even inside the refresh exchange) must not have
// signed the user out.
func (d *desktop) syncRecover(s *syncServer) string {
	d.t.Helper()
	code, out, errs := d.run("sync", "--json")
	if code != 0 {
		d.t.Fatalf("%s: sync: exit %d\n%s%s\nsecurity events: %s", d.user, code, out, errs, s.adminOut("events", "list", "--json"))
	}
	return out
}
