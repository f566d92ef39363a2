package app

import (
	"testing"
	"time"
)

func init() {
	moreSecretChecks["dashboard"] = func(t *testing.T, a *App) (map[string]any, []string) {
		d, err := a.Dashboard()
		return map[string]any{"Dashboard": orError(d, err)}, nil
	}
}

// The dashboard binding aggregates the real store: two imported invoices,
// one approved 26 hours after it came in.
func TestDashboardFromTheStore(t *testing.T) {
	ubl, cii := corpusPath(t, ublExample), corpusPath(t, ciiExample)
	a, clk, _, _ := newApp(t)
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
	empty, err := a.Dashboard()
	if err != nil || empty.Invoices != 0 || len(empty.Weeks) != 12 || len(empty.Ageing) != 6 || empty.Vendors == nil {
		t.Fatalf("empty dashboard: %+v %v", empty, err)
	}
	res, err := a.importFiles([]string{ubl, cii})
	if err != nil || res[0].Error != nil || res[1].Error != nil {
		t.Fatalf("import: %+v %v", res, err)
	}
	for _, r := range res {
		if _, err := a.SubmitInvoice(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(26 * time.Hour)
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	st, err := a.ApproveInvoice(res[1].ID) // the CII example needs one approval
	if err != nil || st != "approved" {
		t.Fatalf("approve: %q %v", st, err)
	}
	if _, err := a.Unlock("carl", "clerk password 99"); err != nil {
		t.Fatal(err)
	}
	d, err := a.Dashboard()
	if err != nil {
		t.Fatal(err)
	}
	if d.Invoices != 2 || d.Open != 2 || d.Currency != "EUR" || d.AsOf != "2026-11-29T11:00:00Z" {
		t.Fatalf("dashboard: %+v", d)
	}
	last := d.Weeks[len(d.Weeks)-1]
	if last.Week != "2026-W48" || last.Start != "2026-11-23" || last.Count != 2 {
		t.Errorf("this week: %+v", last)
	}
	if d.Cycle.Count != 1 || d.Cycle.MedianHours != 26 || d.Cycle.Weeks[len(d.Cycle.Weeks)-1].Count != 1 {
		t.Errorf("cycle: %+v", d.Cycle)
	}
	open := 0
	for _, b := range d.Ageing {
		open += b.Count
	}
	if open != 2 {
		t.Errorf("ageing buckets hold %d invoices, want 2: %+v", open, d.Ageing)
	}
	detail, _ := a.GetInvoice(res[1].ID)
	if len(d.Vendors) != 1 || d.Vendors[0].Vendor != detail.Seller.Name || d.Vendors[0].Count != 1 ||
		(d.OtherCurrency == 0 && d.Vendors[0].Amount != detail.Totals.Payable) {
		t.Errorf("vendors: %+v (invoice %s %s)", d.Vendors, detail.Seller.Name, detail.Totals.Payable)
	}
}
