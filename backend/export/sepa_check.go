package export

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/bankid"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// maxSEPAAmount is the largest amount a SEPA credit transfer may carry.
var maxSEPAAmount = decimal.MustParse("999999999.99")

// sepaEEA are the SEPA countries in the EEA; sepaNonEEA the other SEPA
// scheme countries, for which the EPC rules require the creditor's BIC.
// Territories that use another country's IBANs (French overseas
// departments, Åland, Jersey, …) are covered by that country's code. An
// IBAN from any other country cannot be paid by SEPA: refused, not tried.
var (
	sepaEEA = countrySet("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK")
	// Albania, Moldova, Montenegro, North Macedonia and Serbia joined the
	// scheme from 2025; add them here once the bank confirms reachability.
	sepaNonEEA = countrySet("AD CH GB GI MC SM VA")
)

func countrySet(list string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(list) {
		m[c] = true
	}
	return m
}

// sepaTx is one payable invoice, checked, in SEPA form.
type sepaTx struct {
	endToEnd, name, iban, bic, remittance string
	amount                                decimal.Decimal // scale 2
}

// payable checks one item and builds its transaction, or says why it
// cannot be paid. The order of the checks decides which reason a person
// sees first: what is wrong with the invoice, then with the vendor master.
func payable(it *Item) (sepaTx, string) {
	inv := &it.Invoice
	tx := sepaTx{endToEnd: endToEndID(it.ID)}
	if tx.endToEnd == "" {
		return sepaTx{}, fmt.Sprintf("the invoice id cannot be an EndToEndId (at most %d letters, digits, '.' or '-')", maxSEPAID)
	}
	if it.Status != string(invoice.StatusApproved) {
		return sepaTx{}, fmt.Sprintf("the invoice is %q, only approved invoices are paid", it.Status)
	}
	if inv.IsCreditNote() {
		return sepaTx{}, "a credit note is money owed to us, not a payment; offset it against an invoice of the vendor"
	}
	amount, reason := sepaAmount(inv)
	if reason != "" {
		return sepaTx{}, reason
	}
	tx.amount = amount
	if reason := creditor(it, &tx); reason != "" {
		return sepaTx{}, reason
	}
	tx.remittance = remittance(inv)
	return tx, ""
}

// sepaAmount is the payable amount (BT-115) with exactly two decimals.
// A value with fractions of a cent is refused rather than rounded: the
// invoice then says something no bank transfer can pay.
func sepaAmount(inv *invoice.Invoice) (decimal.Decimal, string) {
	if cur := strings.ToUpper(strings.TrimSpace(inv.Currency)); cur != "EUR" {
		return decimal.Decimal{}, fmt.Sprintf("the invoice is in %q; SEPA pays only EUR", inv.Currency)
	}
	p := inv.Totals.Payable
	switch {
	case p == nil:
		return decimal.Decimal{}, "the invoice has no payable amount (BT-115)"
	case p.Sign() <= 0:
		return decimal.Decimal{}, fmt.Sprintf("the payable amount %s is not positive", p)
	case p.Cmp(maxSEPAAmount) > 0:
		return decimal.Decimal{}, fmt.Sprintf("the payable amount %s is above the SEPA maximum %s", p, maxSEPAAmount)
	}
	r := p.Round(2)
	if !r.Equal(*p) {
		return decimal.Decimal{}, fmt.Sprintf("the payable amount %s has fractions of a cent", p)
	}
	return r, ""
}

// creditor fills name, IBAN and BIC from the vendor master. The invoice's
// own payment account is deliberately not looked at.
func creditor(it *Item, tx *sepaTx) string {
	v := it.Vendor
	if v == nil {
		return "the seller is not in the vendor master"
	}
	if strings.TrimSpace(v.Bank.IBAN) == "" {
		return "the vendor master has no IBAN for this vendor"
	}
	iban, err := bankid.NormalizeIBAN(v.Bank.IBAN)
	if err != nil {
		return "the vendor master's IBAN is invalid: " + err.Error()
	}
	country := iban[:2]
	if !sepaEEA[country] && !sepaNonEEA[country] {
		return fmt.Sprintf("the vendor's IBAN is from %s, which is not reachable by SEPA", country)
	}
	tx.iban = iban
	if strings.TrimSpace(v.Bank.BIC) != "" {
		if tx.bic, err = bankid.NormalizeBIC(v.Bank.BIC); err != nil {
			return "the vendor master's BIC is invalid: " + err.Error()
		}
	} else if sepaNonEEA[country] {
		return fmt.Sprintf("a SEPA payment to %s needs the vendor's BIC, and the vendor master has none", country)
	}
	// The account holder's name is what the payee's bank compares
	// (verification of payee); the vendor's name stands in when unknown.
	name := v.Bank.AccountName
	if strings.TrimSpace(name) == "" {
		name = v.Name
	}
	if tx.name = sepaText(name, maxSEPAName); tx.name == "" {
		return "the vendor's name has no characters SEPA can carry"
	}
	return ""
}

// remittance is "<invoice number> <issue date>" in the SEPA character
// set. The number is shortened first so the date always fits.
func remittance(inv *invoice.Invoice) string {
	date := inv.IssueDate.String()
	room := maxSEPARmt
	if date != "" {
		room -= len(date) + 1
	}
	parts := []string{sepaText(inv.InvoiceNumber, room), date}
	return strings.TrimSpace(strings.Join(parts, " "))
}
