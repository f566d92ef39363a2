package core

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

// GDPR erasure by crypto-shredding: the person's data is gone from the
// file, the vendor and the audit chain stay whole and verifiable.
func TestGDPRExportAndErase(t *testing.T) {
	e := newEnv(t)
	c, s, _ := e.initAdmin(t)
	v, err := s.AddVendor(ctx, vendor.Input{Name: "ACME GmbH"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.AddContact(ctx, vendor.Contact{VendorID: v.ID, Name: "Erika ZZMustermann", Email: "erika@zzacme.example", Phone: "+49 30 1234"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddContact(ctx, vendor.Contact{VendorID: v.ID, Name: " "}); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("nameless contact: %v", err)
	}
	exp, err := s.GDPRExport(ctx, p.ID)
	if err != nil || exp.Contact.Email != "erika@zzacme.example" || exp.Vendor.Name != "ACME GmbH" || len(exp.Events) == 0 {
		t.Fatalf("export: %+v %v", exp, err)
	}
	raw, err := sql.Open("sqlite3", filepath.Join(e.dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	var keyEnv, body []byte
	if err := raw.QueryRow("SELECT k.key_sealed, c.content FROM subject_keys k JOIN vendor_contacts c ON c.id = k.subject_id WHERE k.subject_id = ?", p.ID).Scan(&keyEnv, &body); err != nil || len(keyEnv) == 0 {
		t.Fatalf("subject key: %v", err)
	}
	raw.Close()
	if err := s.GDPRErase(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GDPRExport(ctx, p.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("export after erasure: %v", err)
	}
	cs, err := s.Contacts(ctx, v.ID)
	if err != nil || len(cs) != 1 || !cs[0].Erased || cs[0].Name != "" {
		t.Fatalf("contacts after erasure: %+v %v", cs, err)
	}
	if err := s.GDPRErase(ctx, p.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("second erasure: %v", err)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n == 0 {
		t.Fatalf("audit after erasure: %v", err)
	}
	s.Lock()
	c.Close()
	files, _ := filepath.Glob(filepath.Join(e.dir, "smartap.db*"))
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		// The destroyed key and the sealed data are gone from the file,
		// not just unlinked from the table.
		for name, m := range map[string][]byte{"plain name": []byte("ZZMustermann"), "subject key": keyEnv, "sealed contact": body} {
			if bytes.Contains(raw, m) {
				t.Errorf("%s still holds the %s", filepath.Base(f), name)
			}
		}
	}
}

func TestRetentionWithLegalHold(t *testing.T) {
	e := newEnv(t)
	c := openWithPDF(t, e)
	s, _, err := c.Init(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	old := importOne(t, s, "en16931-cen-examples/ubl/examples/ubl-tc434-example1.xml")  // issued 2015
	held := importOne(t, s, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml") // 2013
	open := importOne(t, s, "en16931-cen-examples/ubl/examples/ubl-tc434-example8.xml")
	for _, id := range []string{old, held} {
		if _, err := s.Void(ctx, id, "test data"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetLegalHold(ctx, held, "tax audit 2026", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLegalHold(ctx, "nope", "x", true); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("hold on nothing: %v", err)
	}
	dry, err := s.RunRetention(ctx, 5*365*24*time.Hour, true)
	if err != nil || len(dry.Purged) != 1 || dry.Purged[0] != old || len(dry.Held) != 1 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if _, err := s.Invoice(ctx, old); err != nil {
		t.Fatal("dry run purged")
	}
	d, _ := s.Invoice(ctx, old)
	att := filepath.Join(e.dir, "attachments", d.Source.Attachment)
	if _, err := os.Stat(att); err != nil {
		t.Fatalf("attachment before purge: %v", err)
	}
	rep, err := s.RunRetention(ctx, 5*365*24*time.Hour, false)
	if err != nil || len(rep.Purged) != 1 {
		t.Fatalf("run: %+v %v", rep, err)
	}
	if _, err := s.Invoice(ctx, old); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("purged invoice still there: %v", err)
	}
	if _, err := os.Stat(att); !os.IsNotExist(err) {
		t.Fatalf("sealed original not removed: %v", err)
	}
	for _, id := range []string{held, open} {
		if _, err := s.Invoice(ctx, id); err != nil {
			t.Fatalf("%s purged: %v", id, err)
		}
	}
	if err := s.SetLegalHold(ctx, held, "", false); err != nil {
		t.Fatal(err)
	}
	if rep, _ = s.RunRetention(ctx, 5*365*24*time.Hour, false); len(rep.Purged) != 1 || rep.Purged[0] != held {
		t.Fatalf("after lifting the hold: %+v", rep)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Fatalf("audit after purge: %v", err)
	}
}
