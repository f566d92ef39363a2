package core

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
)

const corpus = "../../../shared/corpus"

func corpusBytes(t *testing.T, rel string) []byte {
	t.Helper()
	if _, err := os.Stat(corpus); os.IsNotExist(err) {
		t.Skip("the shared corpus is not beside the project")
	}
	b, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pdfStart(ctx context.Context) (extract.PDF, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return pdfdoc.NewEngine(ctx, filepath.Join(dir, "smartap-test", "wazero"))
}

func openWithPDF(t *testing.T, e *env) *Core {
	t.Helper()
	c, err := Open(ctx, Options{DataDir: e.dir, Keychain: e.kc, KDF: vault.MinKDF, Now: e.clock.Now, PDF: pdfStart})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestImportStoresSealedAndRefusesDuplicates(t *testing.T) {
	e := newEnv(t)
	c := openWithPDF(t, e)
	s, _, err := c.Init(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	pdf := corpusBytes(t, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	xml := corpusBytes(t, "en16931-cen-examples/cii/examples/CII_example1.xml")
	r1, err := s.Import(ctx, "../../etc/Einfach.pdf", bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if r1.Source != extract.SourceFacturX || r1.Invoice.InvoiceNumber != "471102" || r1.Invoice.Totals.Payable.String() != "529.87" {
		t.Fatalf("pdf import: %+v", r1)
	}
	r2, err := s.Import(ctx, "CII_example1.xml", bytes.NewReader(xml))
	if err != nil || r2.Source != extract.SourceCII {
		t.Fatalf("xml import: %+v %v", r2, err)
	}
	if _, err := s.Import(ctx, "again.pdf", bytes.NewReader(pdf)); apperr.CodeOf(err) != apperr.Duplicate || !strings.Contains(err.Error(), r1.ID) {
		t.Fatalf("same bytes again: %v", err)
	}
	for _, bad := range [][]byte{[]byte("MZ\x90\x00 not an invoice"), []byte("<html><body>hi</body></html>"), {}} {
		if _, err := s.Import(ctx, "bad.pdf", bytes.NewReader(bad)); err == nil {
			t.Fatalf("imported %q", bad)
		}
	}
	list, err := s.Invoices(ctx, "")
	if err != nil || len(list) != 2 {
		t.Fatalf("list after import: %v %v", list, err)
	}
	d, err := s.Invoice(ctx, r1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != "extracted" || d.Source.FileName != "Einfach.pdf" || d.Source.Reader != "facturx" || len(d.History) != 1 || d.History[0].Action != "invoice.import" {
		t.Fatalf("show: %+v", d)
	}
	// security checklist #1: the sealed original and the database reveal nothing.
	var files []string
	_ = filepath.Walk(e.dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 3 {
		t.Fatalf("files: %v", files)
	}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		for _, m := range []string{"Lieferant GmbH", "471102", "%PDF", "CrossIndustryInvoice", "Einfach.pdf", "DE123456789"} {
			if bytes.Contains(raw, []byte(m)) {
				t.Errorf("%s contains %q", strings.TrimPrefix(f, e.dir), m)
			}
		}
	}
}

func TestImportNeedsImportRole(t *testing.T) {
	e := newEnv(t)
	c := openWithPDF(t, e)
	admin, _, err := c.Init(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddUser(ctx, "anna", identity.Approver, secret.NewPassword("approver password")); err != nil {
		t.Fatal(err)
	}
	anna, err := c.Unlock(ctx, "anna", secret.NewPassword("approver password"))
	if err != nil {
		t.Fatal(err)
	}
	xml := corpusBytes(t, "en16931-cen-examples/cii/examples/CII_example1.xml")
	if _, err := anna.Import(ctx, "x.xml", bytes.NewReader(xml)); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("approver import: %v", err)
	}
	if _, err := anna.Invoice(ctx, "no-such-id"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown id: %v", err)
	}
}
