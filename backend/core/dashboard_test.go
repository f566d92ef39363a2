package core

import (
	"fmt"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// now is a Wednesday; its ISO week 2026-W49 starts on Monday 2026-11-30.
var dashNow = time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)

func rec(id string, st invoice.Status, created time.Time, cur, payable, due, seller string) store.InvoiceRecord {
	r := store.InvoiceRecord{ID: id, State: invoice.State{Status: st}, CreatedAt: created}
	r.Invoice.Currency, r.Invoice.Seller.Name, r.Invoice.TypeCode = cur, seller, invoice.TypeCommercialInvoice
	if payable != "" {
		p := decimal.MustParse(payable)
		r.Invoice.Totals.Payable = &p
	}
	if due != "" {
		r.Invoice.DueDate = invoice.MustParseDate(due)
	}
	return r
}

func approvedAfter(r store.InvoiceRecord, d time.Duration) store.InvoiceRecord {
	r.Workflow.Approvals = append(r.Workflow.Approvals, store.Approval{By: "anna", Level: 1, At: r.CreatedAt.Add(d).Format(time.RFC3339)})
	return r
}

func TestAggregate(t *testing.T) {
	week0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // this week
	week1 := week0.AddDate(0, 0, -7)
	old := week0.AddDate(0, 0, -7*DashboardWeeks) // before the window
	credit := rec("c1", invoice.StatusApproved, week1, "EUR", "50.00", "2026-12-20", "Acme")
	credit.Invoice.TypeCode = invoice.TypeCreditNote
	rs := []store.InvoiceRecord{
		approvedAfter(rec("a1", invoice.StatusApproved, week1, "EUR", "100.00", "2026-12-10", "Acme"), 10*time.Hour),
		approvedAfter(rec("a2", invoice.StatusExported, week1, "EUR", "300.00", "2026-11-01", "Beta"), 30*time.Hour),
		approvedAfter(rec("a3", invoice.StatusPaid, old, "EUR", "1000.00", "2026-01-01", "Beta"), 50*time.Hour),
		credit,
		rec("o1", invoice.StatusExtracted, week0, "EUR", "20.00", "2026-11-25", "Gamma"),         // 7 days overdue
		rec("o2", invoice.StatusOnHold, week0, "EUR", "30.00", "2026-09-01", "Gamma"),            // 92 days
		rec("o3", invoice.StatusReadyForApproval, week0, "USD", "999.00", "2026-10-15", "Delta"), // 48 days, other currency
		rec("o4", invoice.StatusExtracted, week0, "EUR", "", "", "Gamma"),                        // no amount, no due date
		rec("r1", invoice.StatusRejected, week0, "EUR", "5000.00", "2026-01-01", "Eve"),
	}
	d := Aggregate(rs, map[string]string{}, "EUR", dashNow)
	if d.Invoices != 9 || d.Open != 6 || d.OtherCurrency != 1 || d.Currency != "EUR" {
		t.Fatalf("counts: invoices %d open %d other %d", d.Invoices, d.Open, d.OtherCurrency)
	}
	if len(d.Weeks) != DashboardWeeks {
		t.Fatalf("weeks: %d", len(d.Weeks))
	}
	last, prev := d.Weeks[DashboardWeeks-1], d.Weeks[DashboardWeeks-2]
	if last.Week != "2026-W49" || last.Start.String() != "2026-11-30" || last.Count != 5 || last.Amount.String() != "5050.00" {
		t.Errorf("this week: %+v", last)
	}
	if prev.Week != "2026-W48" || prev.Count != 3 || prev.Amount.String() != "350.00" {
		t.Errorf("last week (100 + 300 - 50 credit): %+v", prev)
	}
	// The old invoice is outside the window; its cycle still counts overall.
	total := 0
	for _, w := range d.Weeks {
		total += w.Count
	}
	if total != 8 {
		t.Errorf("invoices in the window: %d", total)
	}
	if d.Cycle.Count != 3 || d.Cycle.MedianHours != 30 || d.Cycle.P90Hours != 50 {
		t.Errorf("cycle: %+v", d.Cycle)
	}
	if w := d.Cycle.Weeks[DashboardWeeks-2]; w.Count != 2 || w.MedianHours != 20 {
		t.Errorf("cycle last week (10 h and 30 h, approved 2026-11-23…): %+v", w)
	}
	want := map[string]string{"not_due": "1:50.00", "1_30": "1:20.00", "31_60": "1:0", "61_90": "0:0", "over_90": "1:30.00", "no_due_date": "1:0"}
	// "not_due" holds a1 (100) and the credit note (-50): two invoices.
	want["not_due"] = "2:50.00"
	for _, b := range d.Ageing {
		if got := fmt.Sprintf("%d:%s", b.Count, b.Amount); got != want[b.Bucket] || b.Label == "" {
			t.Errorf("ageing %s: %s, want %s", b.Bucket, got, want[b.Bucket])
		}
	}
	if len(d.Vendors) != 2 || d.Vendors[0].Vendor != "Beta" || d.Vendors[0].Amount.String() != "1300.00" || d.Vendors[0].Count != 2 ||
		d.Vendors[1].Vendor != "Acme" || d.Vendors[1].Amount.String() != "50.00" {
		t.Errorf("vendors: %+v", d.Vendors)
	}
}

func TestAggregateGroupsSmallVendors(t *testing.T) {
	var rs []store.InvoiceRecord
	for i := range DashboardVendors + 3 {
		r := rec(fmt.Sprint(i), invoice.StatusApproved, dashNow, "EUR", fmt.Sprintf("%d.00", 100+i), "", fmt.Sprintf("V%02d", i))
		r.VendorID = fmt.Sprintf("ven_%d", i)
		rs = append(rs, r)
	}
	d := Aggregate(rs, map[string]string{"ven_10": "Master Name"}, "EUR", dashNow)
	if len(d.Vendors) != DashboardVendors+1 || d.Vendors[0].Vendor != "Master Name" {
		t.Fatalf("vendors: %+v", d.Vendors)
	}
	rest := d.Vendors[DashboardVendors]
	if rest.Vendor != "Other vendors" || rest.Count != 3 || rest.Amount.String() != "303.00" {
		t.Fatalf("rest (100+101+102): %+v", rest)
	}
	if empty := Aggregate(nil, nil, "EUR", dashNow); empty.Cycle.MedianHours != 0 || len(empty.Vendors) != 0 || len(empty.Ageing) != 6 {
		t.Fatalf("empty: %+v", empty)
	}
}
