package matching

import (
	"reflect"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

func TestFindCandidates(t *testing.T) {
	// The invoice nets 45.00 and is issued 2026-03-15.
	base := inv("", iline("1", "Ordner breit blau", "10", "4.50"))
	withPO := func(bt13 string) invoice.Invoice { i := base; i.PurchaseOrder = bt13; return i }
	po := func(number, vendorID, date, value string, st purchasing.Status) purchasing.PurchaseOrder {
		p := order(number, pol(1, "", "Ordner", "1", value))
		p.VendorID, p.Status = vendorID, st
		if date != "" {
			p.OrderDate = invoice.MustParseDate(date)
		} else {
			p.OrderDate = invoice.Date{}
		}
		return p
	}
	open := purchasing.StatusOpen
	pos := []purchasing.PurchaseOrder{
		po("4711", "ven_muster", "2026-02-01", "45.00", open),
		po("4712", "ven_muster", "2026-02-10", "45.90", purchasing.StatusPartiallyReceived),
		po("4713", "ven_muster", "2026-03-01", "45.00", open),
		po("4714", "ven_muster", "2026-03-01", "45.91", open), // 2.02 % off
		po("4715", "ven_muster", "2025-09-16", "45.00", open), // exactly 180 days before
		po("4716", "ven_muster", "2025-09-15", "45.00", open), // 181 days before
		po("4717", "ven_muster", "2026-03-16", "45.00", open), // after the invoice
		po("4718", "ven_muster", "2026-03-01", "45.00", purchasing.StatusClosed),
		po("4719", "ven_muster", "2026-03-01", "45.00", purchasing.StatusCancelled),
		po("9001", "ven_other", "2026-03-01", "45.00", open),
		po("4720", "ven_muster", "", "45.00", open), // no order date: not ruled out
		po("PO-X1", "ven_muster", "2026-03-01", "999.00", open),
	}
	usd := po("4721", "ven_muster", "2026-03-01", "45.00", open)
	usd.Currency = "USD"
	pos = append(pos, usd)

	tests := []struct {
		name   string
		inv    invoice.Invoice
		vendor string
		want   []string
	}{
		{"named order", withPO("4712"), "ven_muster", []string{"4712"}},
		{"named order, case and space", withPO("  po-x1 "), "ven_muster", []string{"PO-X1"}},
		{"several named, in written order", withPO("4713, 4711;4712"), "ven_muster", []string{"4713", "4711", "4712"}},
		{"named with words around", withPO("Bestellung Nr. 4711"), "ven_muster", []string{"4711"}},
		{"named closed order still counts", withPO("4718"), "ven_muster", []string{"4718"}},
		{"named cancelled order does not count, guessing instead", withPO("4719"), "ven_muster", []string{"4713", "4711", "4715", "4720", "4712"}},
		{"named order of another vendor does not count", withPO("9001"), "ven_muster", []string{"4713", "4711", "4715", "4720", "4712"}},
		{"guess: closest value, then newest, then number", base, "ven_muster", []string{"4713", "4711", "4715", "4720", "4712"}},
		{"no vendor, no guess", base, "", nil},
		{"credit notes are not guessed", credit(base), "ven_muster", nil},
		{"another vendor's orders", base, "ven_other", []string{"9001"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range FindCandidates(tc.inv, tc.vendor, pos, DefaultConfig()) {
				got = append(got, p.Number)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFindCandidatesNumberWithSpace(t *testing.T) {
	p := order("45 00 123", pol(1, "", "Ordner", "1", "1"))
	got := FindCandidates(inv("45 00 123"), "ven_muster", []purchasing.PurchaseOrder{p}, DefaultConfig())
	if len(got) != 1 {
		t.Fatalf("an order number with spaces is one number: got %d orders", len(got))
	}
}

func TestPORefs(t *testing.T) {
	none := func(string) bool { return false }
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"4711", []string{"4711"}},
		{"4711, 4712", []string{"4711", "4712"}},
		{"PO 4711 + 4712 & 4713", []string{"4711", "4712", "4713"}},
		{"2013-471331", []string{"2013-471331"}},
		{"4711 4711", []string{"4711"}},
		{"Order_9988_x", []string{"Order_9988_x"}},
		{"siehe Anlage", nil},
	}
	for _, tc := range tests {
		if got := poRefs(tc.in, none); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("poRefs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
