package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/checks"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/matching"
	"github.com/smartap/desktop/backend/purchasing"
	"github.com/smartap/desktop/backend/vendor"
)

// BenchmarkChecksRun is every check (checks.Run) on one invoice of 20
// lines (CEN example 1) with a vendor whose bank details changed
// yesterday, three earlier invoices of the seller (duplicate and near-
// duplicate comparison) and their price history: the checks' share of an
// import, per invoice.
func BenchmarkChecksRun(b *testing.B) {
	needCorpus(b)
	data, err := os.ReadFile(filepath.Join(corpusDir, "en16931-cen-examples/cii/examples/CII_example1.xml"))
	if err != nil {
		b.Fatal(err)
	}
	inv, _, err := einvoice.Read(data)
	if err != nil {
		b.Fatal(err)
	}
	cfg := checks.DefaultConfig()
	cfg.Now = time.Date(inv.IssueDate.Year, inv.IssueDate.Month, inv.IssueDate.Day+1, 12, 0, 0, 0, time.UTC)
	ctx := checks.Context{
		Vendor: &vendor.Vendor{ID: "v", Name: inv.Seller.Name, VATID: inv.Seller.VATID,
			Bank: vendor.BankDetails{IBAN: "DE89370400440532013000"}, BankChangedAt: cfg.Now.Add(-24 * time.Hour)},
		SHA256: "ff",
	}
	for n := range 3 {
		p, _, _ := einvoice.Read(data) // an independent copy
		p.InvoiceNumber = fmt.Sprintf("%s-%d", inv.InvoiceNumber, n)
		p.IssueDate = p.IssueDate.AddDays(-2 * n)
		ctx.Priors = append(ctx.Priors, checks.Prior{ID: fmt.Sprint("p", n), Invoice: p, SHA256: "00"})
		ctx.History = append(ctx.History, p)
	}
	var findings int
	m := newMeter(b)
	for b.Loop() {
		_ = m.time(func() error {
			findings = len(checks.Run(inv, ctx, cfg))
			return nil
		})
		m.pass()
	}
	m.res.Values["lines"] = float64(len(inv.Lines))
	m.res.Values["priors"] = float64(len(ctx.Priors))
	m.res.Values["findings"] = float64(findings)
	m.finish("invoices")
}

// BenchmarkMatch is the 3-way match (matching.Match) of an invoice of 50
// lines spread over three purchase orders of 50 lines each, with their
// goods receipts; a third of the lines carry an item code, the others are
// found by description, some with another price or quantity (the same
// case as backend/matching's benchmark).
func BenchmarkMatch(b *testing.B) {
	inv, cands := matchCase()
	cfg := matching.DefaultConfig()
	var res matching.Result
	m := newMeter(b)
	for b.Loop() {
		_ = m.time(func() error {
			res = matching.Match(inv, cands, cfg)
			return nil
		})
		m.pass()
	}
	ok := 0
	for n, l := range res.Lines {
		if l.PONumber == fmt.Sprintf("47%02d", n%3) && l.POLine == 1+(n*7)%50 {
			ok++
		}
	}
	if ok != len(inv.Lines) {
		m.errorf("only %d of %d lines matched their own PO line", ok, len(inv.Lines))
	}
	m.res.Values["invoice_lines"] = float64(len(inv.Lines))
	m.res.Values["purchase_orders"] = float64(len(cands))
	m.res.Values["lines_matched_right"] = float64(ok)
	m.finish("invoices")
}

func matchCase() (invoice.Invoice, []matching.Candidate) {
	dec := decimal.MustParse
	receivedAt := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var cands []matching.Candidate
	for p := range 3 {
		number := fmt.Sprintf("47%02d", p)
		po := purchasing.PurchaseOrder{ID: "po_" + number, Number: number, VendorID: "ven_muster", Currency: "EUR",
			OrderDate: invoice.MustParseDate("2026-02-01"), Status: purchasing.StatusOpen}
		for l := 1; l <= 50; l++ {
			code := ""
			if l%3 == 0 {
				code = fmt.Sprintf("ART-%d%02d", p, l)
			}
			po.Lines = append(po.Lines, purchasing.POLine{LineNo: l, ItemCode: code,
				Description: fmt.Sprintf("Schraube M%d Länge %d verzinkt Los %d", l, 10+p, p),
				Quantity:    dec("100"), Unit: "C62", UnitPrice: dec(fmt.Sprintf("0.%02d", l)), TaxRate: dec("19")})
		}
		c := matching.Candidate{PO: po}
		for _, l := range po.Lines {
			c.Receipts = append(c.Receipts, purchasing.GoodsReceipt{ID: fmt.Sprintf("gr_%s_%d", number, l.LineNo),
				PONumber: number, LineNo: l.LineNo, Quantity: l.Quantity, ReceivedAt: receivedAt})
		}
		c.Receipts = append(c.Receipts, purchasing.GoodsReceipt{ID: "gr_extra", PONumber: number, LineNo: 7, Quantity: dec("5"), ReceivedAt: receivedAt})
		cands = append(cands, c)
	}
	var lines []invoice.Line
	var net decimal.Decimal
	for i := range 50 {
		p, l := i%3, 1+(i*7)%50
		name := fmt.Sprintf("Schraube M%d, Länge %d, verzinkt (Los %d)", l, 10+p, p)
		if l%3 == 0 {
			name = fmt.Sprintf("ART-%d%02d %s", p, l, name)
		}
		qty, price := "100", fmt.Sprintf("0.%02d", l)
		if i%10 == 0 {
			price = fmt.Sprintf("0.%02d", l+5)
		}
		if i%7 == 0 {
			qty = "120"
		}
		q, pr, rate := dec(qty), dec(price), dec("19")
		amount := q.Mul(pr).Round(2)
		net = net.Add(amount)
		lines = append(lines, invoice.Line{ID: fmt.Sprint(i + 1), Name: name, Quantity: &q, Unit: "C62", UnitPrice: &pr,
			NetAmount: &amount, TaxCategory: "S", TaxRate: &rate})
	}
	return invoice.Invoice{InvoiceNumber: "R-1001", IssueDate: invoice.MustParseDate("2026-03-15"),
		TypeCode: invoice.TypeCommercialInvoice, Currency: "EUR", PurchaseOrder: "4700, 4701, 4702",
		Seller: invoice.Party{Name: "Muster Bürobedarf GmbH"}, Totals: invoice.Totals{LineNet: &net, TaxExclusive: &net},
		Lines: lines}, cands
}
