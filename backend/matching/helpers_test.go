package matching

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

var dec = decimal.MustParse

func pdec(s string) *decimal.Decimal { d := dec(s); return &d }

// iline is an invoice line "qty × price" with its net amount.
func iline(id, name, qty, price string) invoice.Line {
	q, p := dec(qty), dec(price)
	net := q.Mul(p).Round(2)
	return invoice.Line{ID: id, Name: name, Quantity: &q, Unit: "C62", UnitPrice: &p, NetAmount: &net, TaxCategory: "S", TaxRate: pdec("19")}
}

// inv is an invoice in EUR issued 2026-03-15 quoting bt13, totals from
// the lines.
func inv(bt13 string, lines ...invoice.Line) invoice.Invoice {
	var net decimal.Decimal
	for _, l := range lines {
		net = net.Add(orZero(l.NetAmount))
	}
	return invoice.Invoice{
		InvoiceNumber: "R-1001", IssueDate: invoice.MustParseDate("2026-03-15"), TypeCode: invoice.TypeCommercialInvoice,
		Currency: "EUR", PurchaseOrder: bt13, Seller: invoice.Party{Name: "Muster Bürobedarf GmbH"},
		Totals: invoice.Totals{LineNet: &net, TaxExclusive: &net}, Lines: lines,
	}
}

// credit turns an invoice into a credit note (381).
func credit(i invoice.Invoice) invoice.Invoice {
	i.TypeCode = invoice.TypeCreditNote
	return i
}

func pol(no int, code, desc, qty, price string) purchasing.POLine {
	return purchasing.POLine{LineNo: no, ItemCode: code, Description: desc, Quantity: dec(qty), Unit: "C62", UnitPrice: dec(price), TaxRate: dec("19")}
}

func order(number string, lines ...purchasing.POLine) purchasing.PurchaseOrder {
	return purchasing.PurchaseOrder{
		ID: "po_" + number, Number: number, VendorID: "ven_muster", Currency: "EUR",
		OrderDate: invoice.MustParseDate("2026-02-01"), Status: purchasing.StatusOpen, Lines: lines,
	}
}

var receivedAt = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func gr(po string, line int, qty string) purchasing.GoodsReceipt {
	return purchasing.GoodsReceipt{ID: fmt.Sprintf("gr_%s_%d", po, line), PONumber: po, LineNo: line, Quantity: dec(qty), ReceivedAt: receivedAt}
}

// fullyReceived is a candidate whose every line arrived in full.
func fullyReceived(po purchasing.PurchaseOrder) Candidate {
	c := Candidate{PO: po}
	for _, l := range po.Lines {
		c.Receipts = append(c.Receipts, gr(po.Number, l.LineNo, l.Quantity.String()))
	}
	return c
}

// billed builds Candidate.Billed from "line=qty" pairs.
func billed(pairs ...string) map[int]decimal.Decimal {
	m := map[int]decimal.Decimal{}
	for _, p := range pairs {
		var n int
		k, v, _ := strings.Cut(p, "=")
		fmt.Sscan(k, &n)
		m[n] = dec(v)
	}
	return m
}

// codes lists findings as "code:severity".
func codes(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Code+":"+f.Severity)
	}
	return out
}

func lineStatuses(ls []LineMatch) []string {
	out := []string{}
	for _, l := range ls {
		out = append(out, l.Status)
	}
	return out
}

func encode(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}
