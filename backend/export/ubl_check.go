package export

import (
	"fmt"
	"unicode/utf8"

	"github.com/smartap/desktop/backend/invoice"
)

// checkXMLText refuses text that XML 1.0 cannot carry. encoding/xml would
// write U+FFFD instead, so the file would silently say something else
// than the invoice; an error names the field so it can be corrected.
func checkXMLText(inv *invoice.Invoice) error {
	for _, f := range textFields(inv) {
		if problem := xmlTextProblem(f.value); problem != "" {
			return ublError(f.name, problem)
		}
	}
	return nil
}

type textField struct{ name, value string }

// textFields lists every text the UBL document carries, with its
// business term for messages.
func textFields(inv *invoice.Invoice) []textField {
	f := []textField{
		{"invoice number (BT-1)", inv.InvoiceNumber}, {"type code (BT-3)", string(inv.TypeCode)},
		{"currency (BT-5)", inv.Currency}, {"tax currency (BT-6)", inv.TaxCurrency},
		{"buyer reference (BT-10)", inv.BuyerReference}, {"purchase order (BT-13)", inv.PurchaseOrder},
		{"payment terms (BT-20)", inv.PaymentTerms},
		{"payment means code (BT-81)", inv.Payment.MeansCode}, {"payment account (BT-84)", inv.Payment.IBAN},
		{"payment account name (BT-85)", inv.Payment.AccountName}, {"BIC (BT-86)", inv.Payment.BIC},
	}
	for i, n := range inv.Notes {
		f = append(f, textField{fmt.Sprintf("note %d (BT-22)", i+1), n})
	}
	f = append(f, partyFields("seller", &inv.Seller)...)
	f = append(f, partyFields("buyer", &inv.Buyer)...)
	for i, t := range inv.TaxBreakdown {
		f = append(f, textField{fmt.Sprintf("VAT category of breakdown row %d (BT-118)", i+1), t.Category})
	}
	for _, l := range inv.Lines {
		f = append(f,
			textField{"line id (BT-126)", l.ID},
			textField{fmt.Sprintf("line %s item name (BT-153)", l.ID), l.Name},
			textField{fmt.Sprintf("line %s unit (BT-130)", l.ID), l.Unit},
			textField{fmt.Sprintf("line %s VAT category (BT-151)", l.ID), l.TaxCategory})
	}
	return f
}

func partyFields(role string, p *invoice.Party) []textField {
	return []textField{
		{role + " name", p.Name}, {role + " VAT id", p.VATID}, {role + " tax id", p.TaxID},
		{role + " street", p.Address.Line1}, {role + " city", p.Address.City},
		{role + " postcode", p.Address.Postcode}, {role + " country", p.Address.Country},
	}
}

// xmlTextProblem says why s cannot be XML character data, or "".
// XML 1.0 allows TAB, LF, CR and everything from U+0020 except the
// surrogates and U+FFFE/U+FFFF.
func xmlTextProblem(s string) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validRuneAt(s, i):
			return "is not valid UTF-8"
		case !isXMLChar(r):
			return fmt.Sprintf("contains the character %U, which XML does not allow", r)
		}
	}
	return ""
}

// validRuneAt tells a real U+FFFD in s from the decoding error marker.
func validRuneAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return r != utf8.RuneError || size == 3
}

func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
