package app

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func init() {
	moreSecretChecks["audit"] = func(t *testing.T, a *App) (map[string]any, []string) {
		p, err := a.ListAudit(AuditQuery{Limit: MaxAuditPage})
		v, err2 := a.VerifyAudit()
		return map[string]any{"ListAudit": orError(p, err), "VerifyAudit": orError(v, err2)}, nil
	}
}

func TestListAuditPagesNewestFirst(t *testing.T) {
	a, _, _, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := a.AddVendor(VendorInput{Name: fmt.Sprintf("Vendor %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := a.ListAudit(AuditQuery{Limit: MaxAuditPage})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != all.All || all.Total < 6 || len(all.Entries) != all.Total {
		t.Fatalf("whole trail: total %d all %d entries %d", all.Total, all.All, len(all.Entries))
	}
	for i := 1; i < len(all.Entries); i++ {
		if all.Entries[i-1].Seq != all.Entries[i].Seq+1 {
			t.Fatalf("not newest first without gaps at %d: %d then %d", i, all.Entries[i-1].Seq, all.Entries[i].Seq)
		}
	}
	if e := all.Entries[len(all.Entries)-1]; e.Seq != 1 || e.Time == "" || e.Actor == "" {
		t.Fatalf("oldest entry: %+v", e)
	}
	page, err := a.ListAudit(AuditQuery{Offset: 2, Limit: 3})
	if err != nil || len(page.Entries) != 3 || page.Offset != 2 {
		t.Fatalf("page: %+v %v", page, err)
	}
	// Listing is audited: the trail grew by one since the first call.
	if page.All != all.All+1 || page.Entries[0].Seq != all.Entries[1].Seq {
		t.Fatalf("page 2..4 of a trail one longer: first seq %d, want %d", page.Entries[0].Seq, all.Entries[1].Seq)
	}
	found, err := a.ListAudit(AuditQuery{Text: "VENDOR.ADD"})
	if err != nil || found.Total != 5 {
		t.Fatalf("filtered: %d %v", found.Total, err)
	}
	for _, e := range found.Entries {
		if e.Action != "vendor.add" || e.Decision != "allowed" {
			t.Fatalf("filter let through %+v", e)
		}
	}
	for _, q := range []AuditQuery{{Limit: MaxAuditPage + 1}, {Offset: -1}, {Limit: -5}} {
		if _, err := a.ListAudit(q); code(err) != "invalid_input" {
			t.Errorf("query %+v: %v", q, err)
		}
	}
}

func TestListAuditDeniedOnly(t *testing.T) {
	a, _ := team(t) // carl, a clerk, is unlocked
	if _, err := a.AddUser("mallory", "admin", "mallory password"); code(err) != "forbidden" {
		t.Fatalf("clerk AddUser: %v", err)
	}
	if _, err := a.ListAudit(AuditQuery{}); code(err) != "forbidden" {
		t.Fatalf("clerk ListAudit: %v", err)
	}
	if _, err := a.VerifyAudit(); code(err) != "forbidden" {
		t.Fatalf("clerk VerifyAudit: %v", err)
	}
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("otto", "auditor", "auditor password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("otto", "auditor password"); err != nil {
		t.Fatal(err)
	}
	denied, err := a.ListAudit(AuditQuery{Denied: true})
	if err != nil || denied.Total < 3 {
		t.Fatalf("auditor, denied only: %+v %v", denied, err)
	}
	for _, e := range denied.Entries {
		if e.Decision != "denied" || e.Actor != "carl" {
			t.Errorf("not a denial of carl's: %+v", e)
		}
	}
	if !strings.Contains(denied.Entries[len(denied.Entries)-1].Reason, "clerk") {
		t.Errorf("the first denial does not say why: %+v", denied.Entries[len(denied.Entries)-1])
	}
}

// security checklist #30 through the window: a row deleted in the SQLite
// file is reported as the first bad entry, as a result the screen shows.
func TestVerifyAuditNamesTheFirstBadEntry(t *testing.T) {
	a, _, _, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, err := a.AddVendor(VendorInput{Name: fmt.Sprintf("Vendor %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := a.VerifyAudit()
	if err != nil || !v.OK || v.Checked < 5 || v.BadIndex != 0 || v.Reason != "" {
		t.Fatalf("clean trail: %+v %v", v, err)
	}
	db, err := sql.Open("sqlite3", filepath.Join(a.cfg.DataDir, "smartap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM audit_entries WHERE seq = 4"); err != nil {
		t.Fatal(err)
	}
	v, err = a.VerifyAudit()
	if err != nil || v.OK || v.BadIndex != 4 || v.Reason == "" {
		t.Fatalf("after deleting entry 4: %+v %v", v, err)
	}
}

// Pinning the snapshot: pages asked with Before do not shift when the
// trail grows (each read appends an entry).
func TestListAuditBeforePinsPages(t *testing.T) {
	a, _, _, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddVendor(VendorInput{Name: "One"}); err != nil {
		t.Fatal(err)
	}
	first, err := a.ListAudit(AuditQuery{Limit: 2})
	if err != nil || len(first.Entries) != 2 {
		t.Fatalf("first page: %+v %v", first, err)
	}
	pin := first.Entries[0].Seq + 1
	again, err := a.ListAudit(AuditQuery{Limit: 2, Before: pin})
	if err != nil || again.Entries[0].Seq != first.Entries[0].Seq || again.Total != first.Total || again.All <= first.All {
		t.Fatalf("pinned page moved: %+v, first %+v", again, first)
	}
}
