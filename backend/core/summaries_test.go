package core

import (
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
)

func search(t *testing.T, s *Session, q SearchQuery) SearchResult {
	t.Helper()
	r, err := s.SearchInvoices(ctx, q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return r
}

func TestSearchInvoicesFiltersInMemoryAndFollowsChanges(t *testing.T) {
	_, ss := team(t)
	carl := ss["carl"]
	ubl := importOne(t, carl, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	cii := importOne(t, carl, "en16931-cen-examples/cii/examples/CII_example1.xml")
	all := search(t, carl, SearchQuery{})
	if all.Total != 2 || len(all.Rows) != 2 || all.Rows[0].ID != cii || all.Rows[1].ID != ubl {
		t.Fatalf("all, newest first: %+v", all)
	}
	d, err := carl.Invoice(ctx, ubl)
	if err != nil {
		t.Fatal(err)
	}
	num, seller, amount := d.Invoice.InvoiceNumber, d.Invoice.Seller.Name, d.Invoice.Totals.Payable.String()
	for _, tc := range []struct {
		name string
		q    SearchQuery
		want []string
	}{
		{"number", SearchQuery{Text: num}, []string{ubl}},
		{"seller, other case", SearchQuery{Text: toggleCase(seller[:4])}, []string{ubl}},
		{"amount", SearchQuery{Text: amount}, []string{ubl}},
		{"amount above", SearchQuery{Text: ">0"}, []string{cii, ubl}},
		{"two words, both must match", SearchQuery{Text: num + " nosuchseller"}, nil},
		{"status", SearchQuery{Status: "needs_review"}, statusIDs(all, "needs_review")},
		{"status word", SearchQuery{Text: all.Rows[0].Status}, statusIDs(all, all.Rows[0].Status)},
		{"page", SearchQuery{Offset: 1, Limit: 1}, []string{ubl}},
	} {
		got := search(t, carl, tc.q)
		ids := []string{}
		for _, r := range got.Rows {
			ids = append(ids, r.ID)
		}
		if tc.name != "page" && got.Total != len(tc.want) || !sameIDs(ids, tc.want) {
			t.Errorf("%s: %+v, want %v", tc.name, got, tc.want)
		}
	}
	// A correction shows at the next search, from the changed row alone.
	if _, err := carl.Set(ctx, ubl, map[string]string{"invoice_number": "ZZ-NEW-1"}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, carl, SearchQuery{Text: "zz-new"}); got.Total != 1 || got.Rows[0].ID != ubl {
		t.Fatalf("after correction: %+v", got)
	}
	// Another session's import shows too.
	third := importOne(t, ss["alice"], "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml")
	if got := search(t, ss["alice"], SearchQuery{}); got.Total != 3 || got.Rows[0].ID != third {
		t.Fatalf("admin after import: %+v", got)
	}
}

// The list answers only what the user may see, like Invoice does.
func TestSearchInvoicesKeepsScope(t *testing.T) {
	_, ss := team(t)
	id := importOne(t, ss["carl"], "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	if _, err := ss["carl"].Set(ctx, id, map[string]string{"cost_centre": "CC-9"}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, ss["anna"], SearchQuery{}); got.Total != 0 {
		t.Fatalf("anna sees an invoice out of her scope: %+v", got)
	}
	if got := search(t, ss["carl"], SearchQuery{}); got.Total != 1 {
		t.Fatalf("the importer: %+v", got)
	}
}

func TestSearchInvoicesRefusals(t *testing.T) {
	_, ss := team(t)
	for _, q := range []SearchQuery{{Status: "nonsense"}, {Limit: MaxSearchLimit + 1}, {Offset: -1}, {Text: ">abc"}} {
		if _, err := ss["carl"].SearchInvoices(ctx, q); apperr.CodeOf(err) != apperr.InvalidInput {
			t.Errorf("%+v: %v", q, err)
		}
	}
	carl := ss["carl"]
	importOne(t, carl, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	search(t, carl, SearchQuery{})
	carl.Lock()
	if carl.list.loaded || len(carl.list.rows) != 0 {
		t.Fatal("Lock left the opened list in memory")
	}
	if _, err := carl.SearchInvoices(ctx, SearchQuery{}); apperr.CodeOf(err) != apperr.Locked {
		t.Fatalf("locked session: %v", err)
	}
}

// Opening the list is one audited read; filtering the opened list again is not.
func TestSearchInvoicesAuditsTheLoad(t *testing.T) {
	_, ss := team(t)
	alice := ss["alice"]
	importOne(t, alice, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	search(t, alice, SearchQuery{})
	e := lastAudit(t, alice)
	if e.Action != "invoice.list" || e.Decision != audit.Allowed || e.Actor != "alice" {
		t.Fatalf("load not audited: %+v", e)
	}
	search(t, alice, SearchQuery{Text: "x"})
	// The last entry is now lastAudit's own read of the log, not a second list.
	if e2 := lastAudit(t, alice); e2.Action == "invoice.list" {
		t.Fatalf("filtering the opened list was audited as a new read: %+v", e2)
	}
}

func statusIDs(r SearchResult, status string) []string {
	out := []string{}
	for _, x := range r.Rows {
		if x.Status == status {
			out = append(out, x.ID)
		}
	}
	return out
}

func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func toggleCase(s string) string {
	out := []rune{}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			r -= 32
		case r >= 'A' && r <= 'Z':
			r += 32
		}
		out = append(out, r)
	}
	return string(out)
}
