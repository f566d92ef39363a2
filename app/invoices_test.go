package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpus = "../../shared/corpus"

func corpusPath(t *testing.T, rel string) string {
	t.Helper()
	if _, err := os.Stat(corpus); os.IsNotExist(err) {
		t.Skip("the shared corpus is not beside the project")
	}
	p := filepath.Join(corpus, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	ciiExample  = "en16931-cen-examples/cii/examples/CII_example1.xml"
	ublExample  = "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml"
	xrechnungEx = "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml"
)

// team sets up alice (admin), carl (clerk) and anna (approver) and leaves
// carl unlocked.
func team(t *testing.T) (*App, *events) {
	t.Helper()
	a, _, ev, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("carl", "clerk", "clerk password 99"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("anna", "approver", "approver password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("carl", "clerk password 99"); err != nil {
		t.Fatal(err)
	}
	return a, ev
}

func TestImportFilesReportsEachFile(t *testing.T) {
	cii, ubl := corpusPath(t, ciiExample), corpusPath(t, ublExample)
	a, ev := team(t)
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("just some text, not an invoice"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone.xml")
	res, err := a.importFiles([]string{cii, ubl, cii, notes, missing, dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 6 {
		t.Fatalf("results: %+v", res)
	}
	for i, want := range []string{"CII_example1.xml", "ubl-tc434-example2.xml", "CII_example1.xml", "notes.txt", "gone.xml", filepath.Base(dir)} {
		if res[i].File != want {
			t.Errorf("result %d names %q, want %q", i, res[i].File, want)
		}
	}
	for i := range 2 {
		if r := res[i]; r.Error != nil || r.ID == "" || r.InvoiceNumber == "" || r.Source == "" {
			t.Errorf("file %d not imported: %+v %+v", i, r, r.Error)
		}
	}
	wantCodes := map[int]string{2: "duplicate", 4: "not_found", 5: "invalid_input"}
	for i, c := range wantCodes {
		if res[i].Error == nil || res[i].Error.Code != c || res[i].ID != "" {
			t.Errorf("file %d: %+v, want error %s", i, res[i], c)
		}
	}
	if res[3].Error == nil || res[3].Error.Message == "" {
		t.Errorf("a text file was imported: %+v", res[3])
	}
	// No result or message carries the folder the files came from.
	for _, r := range res {
		if r.Error != nil && (strings.Contains(r.Error.Message, dir) || strings.Contains(r.Error.Message, "corpus")) {
			t.Errorf("error leaks a path: %+v", r.Error)
		}
	}
	var progress []string
	for _, e := range ev.list() {
		if strings.HasPrefix(e, EventImportProgress+" ") {
			progress = append(progress, strings.TrimPrefix(e, EventImportProgress+" "))
		}
	}
	if len(progress) != 6 || progress[0] != `{"done":1,"total":6,"file":"CII_example1.xml"}` ||
		progress[5] != `{"done":6,"total":6,"file":"`+filepath.Base(dir)+`"}` {
		t.Fatalf("progress events: %v", progress)
	}
	list, err := a.ListInvoices("")
	if err != nil || len(list) != 2 {
		t.Fatalf("list after import: %+v %v", list, err)
	}
}

func TestChooseAndImportUsesTheDialog(t *testing.T) {
	cii := corpusPath(t, ciiExample)
	a, _ := team(t)
	a.choose = func() ([]string, error) { return nil, nil } // cancelled
	if res, err := a.ChooseAndImport(); err != nil || len(res) != 0 {
		t.Fatalf("cancelled dialog: %+v %v", res, err)
	}
	a.choose = func() ([]string, error) { return []string{cii}, nil }
	res, err := a.ChooseAndImport()
	if err != nil || len(res) != 1 || res[0].Error != nil {
		t.Fatalf("import: %+v %v", res, err)
	}
	a.Lock()
	opened := false
	a.choose = func() ([]string, error) { opened = true; return []string{cii}, nil }
	if _, err := a.ChooseAndImport(); code(err) != "locked" || opened {
		t.Fatalf("locked: dialog opened %v, err %v", opened, err)
	}
	if _, err := a.importFiles([]string{cii}); code(err) != "locked" {
		t.Fatalf("importFiles locked: %v", err)
	}
}

func TestAuditorCannotImport(t *testing.T) {
	cii := corpusPath(t, ciiExample)
	a, _ := team(t)
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("otto", "auditor", "auditor password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("otto", "auditor password"); err != nil {
		t.Fatal(err)
	}
	res, err := a.importFiles([]string{cii})
	if err != nil || len(res) != 1 || res[0].Error == nil || res[0].Error.Code != "forbidden" {
		t.Fatalf("auditor import: %+v %v", res, err)
	}
}

func TestGetInvoiceAndWorkflow(t *testing.T) {
	ubl := corpusPath(t, ublExample)
	a, _ := team(t)
	res, err := a.importFiles([]string{ubl})
	if err != nil || res[0].Error != nil {
		t.Fatalf("import: %+v %v", res, err)
	}
	id := res[0].ID
	d, err := a.GetInvoice(id)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != id || d.Status != "extracted" || d.InvoiceNumber != res[0].InvoiceNumber || d.Seller.Name == "" ||
		d.Totals.Payable == "" || d.IssueDate == "" || len(d.Lines) == 0 || d.Lines[0].NetAmount == "" ||
		d.Source.FileName != "ubl-tc434-example2.xml" || d.Source.Reader == "" || len(d.History) == 0 {
		t.Fatalf("detail: %+v", d)
	}
	if !contains(d.Allowed, "submit") || !contains(d.Allowed, "hold") || contains(d.Allowed, "approve") {
		t.Fatalf("allowed while extracted: %v", d.Allowed)
	}
	if d.Findings == nil || d.Approvals == nil || d.Corrections == nil || d.Decisions == nil || d.Notes == nil || d.TaxBreakdown == nil {
		t.Fatal("empty lists must be [], not null")
	}
	if _, err := a.GetInvoice("no-such-invoice"); code(err) != "not_found" {
		t.Fatalf("unknown id: %v", err)
	}

	if st, err := a.SetInvoiceFields(id, map[string]string{"buyer_reference": "REF-7"}); err != nil || st != "extracted" {
		t.Fatalf("set: %q %v", st, err)
	}
	if _, err := a.SetInvoiceFields(id, map[string]string{"totals.payable": "1.2.3"}); code(err) != "invalid_input" {
		t.Fatalf("bad value: %v", err)
	}
	if st, err := a.SubmitInvoice(id); err != nil || st != "ready_for_approval" {
		t.Fatalf("submit: %q %v", st, err)
	}
	if _, err := a.SubmitInvoice(id); code(err) != "conflict" {
		t.Fatalf("submit twice: %v", err)
	}
	if _, err := a.ApproveInvoice(id); code(err) != "forbidden" {
		t.Fatalf("a clerk approved: %v", err)
	}
	if _, err := a.HoldInvoice(id, "  "); err == nil {
		t.Fatal("hold without a reason")
	}
	if st, err := a.HoldInvoice(id, "waiting for the delivery note"); err != nil || st != "on_hold" {
		t.Fatalf("hold: %q %v", st, err)
	}
	if d, _ := a.GetInvoice(id); d.Status != "on_hold" || len(d.Decisions) != 1 || d.Decisions[0].Reason != "waiting for the delivery note" ||
		!contains(d.Allowed, "release") || contains(d.Allowed, "hold") || d.BuyerReference != "REF-7" || len(d.Corrections) != 1 {
		t.Fatalf("after hold: %+v", d)
	}

	// A second invoice goes to the approver, who rejects it.
	res, err = a.importFiles([]string{corpusPath(t, ciiExample)})
	if err != nil || res[0].Error != nil {
		t.Fatalf("import 2: %+v %v", res, err)
	}
	id2 := res[0].ID
	if _, err := a.SubmitInvoice(id2); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	if d, err := a.GetInvoice(id2); err != nil || !contains(d.Allowed, "approve") || !contains(d.Allowed, "reject") {
		t.Fatalf("approver view: %+v %v", d, err)
	}
	if _, err := a.SubmitInvoice(id2); code(err) != "forbidden" {
		t.Fatalf("an approver submitted: %v", err)
	}
	if _, err := a.RejectInvoice(id2, ""); err == nil {
		t.Fatal("reject without a reason")
	}
	if st, err := a.RejectInvoice(id2, "not our order"); err != nil || st != "rejected" {
		t.Fatalf("reject: %q %v", st, err)
	}
}

func TestApproveInvoiceBinding(t *testing.T) {
	ubl := corpusPath(t, ublExample)
	a, _ := team(t)
	res, err := a.importFiles([]string{ubl})
	if err != nil || res[0].Error != nil {
		t.Fatalf("import: %+v %v", res, err)
	}
	if _, err := a.SubmitInvoice(res[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	st, err := a.ApproveInvoice(res[0].ID)
	if err != nil || (st != "approved" && st != "ready_for_approval") {
		t.Fatalf("approve: %q %v", st, err)
	}
	d, err := a.GetInvoice(res[0].ID)
	if err != nil || len(d.Approvals) != 1 || d.Approvals[0].By != "anna" || d.Status != st {
		t.Fatalf("after approve: %+v %v", d, err)
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
