package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The AP day in one test, through the CLI only: a clerk imports a corpus
// e-invoice, a vendor master entry matches it, the clerk submits, an
// approver approves, and the clerk exports a SEPA payment file and UBL for
// the ERP; the UBL reads back as the same invoice; the audit trail verifies.
func TestImportToSEPAPayment(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice")
	for _, u := range [][2]string{{"carl", "clerk"}, {"anna", "approver"}} {
		if code := h.run("", map[string]string{"SMARTAP_NEW_PASSWORD": "password of " + u[0]}, "user", "add", u[0], "--role", u[1], "--user", "alice"); code != 0 {
			t.Fatalf("user add %s: %s", u[0], h.last.stderr)
		}
	}
	as := func(user string) map[string]string {
		return map[string]string{"SMARTAP_PASSWORD": "password of " + user}
	}
	run := func(user string, args ...string) string {
		t.Helper()
		if code := h.run("", as(user), append(args, "--user", user)...); code != 0 {
			t.Fatalf("%s %v: exit %d\n%s%s", user, args, code, h.last.stdout, h.last.stderr)
		}
		return strings.TrimSpace(h.last.stdout)
	}
	run("carl", "vendor", "add", "--name", "Lieferant GmbH", "--vat-id", "DE123456789", "--iban", "DE02120300000000202051", "--bic", "BYLADEM1001")
	file := corpusFile(t, "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml")
	id := run("carl", "import", file)
	run("carl", "submit", id)
	if code := h.run("", as("carl"), "approve", id, "--user", "carl"); code != exitAuth {
		t.Fatalf("clerk approving: exit %d", code)
	}
	run("anna", "approve", id)

	out := filepath.Join(t.TempDir(), "pay.xml")
	run("carl", "export", "--format", "sepa", "--out", out, "--debtor-name", "Kunden AG", "--debtor-iban", "DE89370400440532013000", "--debtor-bic", "COBADEFFXXX")
	sepa, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pain.001.001.09", "<IBAN>DE02120300000000202051</IBAN>", "<NbOfTxs>1</NbOfTxs>"} {
		if !strings.Contains(string(sepa), want) {
			t.Errorf("SEPA file lacks %s", want)
		}
	}
	h.mustRun("show", id, "--json", "--user", "alice")
	if !strings.Contains(h.last.stdout, `"status": "exported"`) {
		t.Fatalf("not marked exported: %s", h.last.stdout[:200])
	}
	// Nothing approved is left: a second SEPA run refuses with a clear message.
	if code := h.run("", as("carl"), "export", "--format", "sepa", "--out", out+"2", "--user", "carl", "--debtor-name", "K", "--debtor-iban", "DE89370400440532013000"); code != exitFailed {
		t.Fatalf("second SEPA run: exit %d", code)
	}
	dir := filepath.Join(t.TempDir(), "ubl")
	run("carl", "export", "--format", "ubl", "--status", "exported", "--out", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) != 1 {
		t.Fatalf("ubl files: %v", files)
	}
	h.mustRun("extract", "--json", files[0])
	h2 := h.last.stdout
	h.mustRun("extract", "--json", file)
	if strip(h2, files[0]) != strip(h.last.stdout, file) {
		t.Errorf("UBL export does not read back as the same invoice:\n%s\n%s", h2, h.last.stdout)
	}
	h.mustRun("audit", "verify", "--user", "alice")
}

// strip removes what legitimately differs between two extracts of the
// same invoice: the file name and the syntax it was read from.
func strip(s, file string) string {
	s = strings.ReplaceAll(s, file, "")
	for _, src := range []string{`"ubl"`, `"cii"`} {
		s = strings.ReplaceAll(s, src, `"x"`)
	}
	return s
}
