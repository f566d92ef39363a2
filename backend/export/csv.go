package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// csvHeader is the documented column order (doc.go). Scripts rely on it:
// add columns at the end, never reorder or rename.
var csvHeader = []string{
	"id", "status", "invoice_number", "type_code", "issue_date", "due_date", "currency",
	"seller_name", "seller_vat_id", "buyer_name", "purchase_order",
	"line_net", "tax_exclusive", "tax", "tax_inclusive", "payable", "iban", "bic",
}

// CSV writes a header row and one row per item (RFC 4180, CRLF). Text
// cells are guarded against formula injection (doc.go); amounts are not.
// The only errors are those of w.
func CSV(w io.Writer, items []Item) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	for i := range items {
		if err := cw.Write(csvRow(&items[i])); err != nil {
			return fmt.Errorf("export: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}

// csvRow builds one row in csvHeader order. Dates and amounts come from
// their own types and cannot start a formula except by a minus sign,
// which must stay: they are not guarded.
func csvRow(it *Item) []string {
	inv := &it.Invoice
	t := &inv.Totals
	var iban, bic string
	if it.Vendor != nil {
		iban, bic = it.Vendor.Bank.IBAN, it.Vendor.Bank.BIC
	}
	return []string{
		cell(it.ID), cell(it.Status), cell(inv.InvoiceNumber), cell(string(inv.TypeCode)),
		inv.IssueDate.String(), inv.DueDate.String(), cell(inv.Currency),
		cell(inv.Seller.Name), cell(inv.Seller.VATID), cell(inv.Buyer.Name), cell(inv.PurchaseOrder),
		decString(t.LineNet), decString(t.TaxExclusive), decString(t.Tax), decString(t.TaxInclusive),
		decString(t.Payable), cell(iban), cell(bic),
	}
}

// lineBreaks turns CR LF and lone CR into LF. encoding/csv with UseCRLF
// writes an LF inside a quoted cell as CR LF but drops a lone CR, which
// would join two lines of, say, a seller name read from a page.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// cell guards a text value against formula injection: a value starting
// with = + - @ TAB or CR gets a leading single quote, so a spreadsheet
// shows it as text instead of evaluating it (OWASP "CSV Injection").
func cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		s = "'" + s
	}
	return lineBreaks.Replace(s)
}
