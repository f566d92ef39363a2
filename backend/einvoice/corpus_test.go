package einvoice

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// facts are the fields the corpus test checks, as the element tree gives
// them. A nil pointer means the element is absent.
type facts struct {
	number, issue, currency                   string
	payable, grand, taxExclusive, tax         *string
	sellerName, sellerVAT, buyerName, payIBAN string
	lineNets                                  []*string
}

// Every XML file of the corpus is detected and read, and the read invoice
// agrees with a second, independent extraction from the element tree.
func TestCorpus(t *testing.T) {
	files := corpusXML(t)
	type tally struct{ ok, notInvoice, failed int }
	folders := map[string]*tally{}
	var report []string
	for _, rel := range files {
		folder := strings.SplitN(rel, "/", 2)[0]
		if folders[folder] == nil {
			folders[folder] = &tally{}
		}
		status := checkCorpusFile(t, rel)
		switch {
		case status == "ok":
			folders[folder].ok++
		case strings.HasPrefix(status, "not an invoice"):
			folders[folder].notInvoice++
		default:
			folders[folder].failed++
		}
		report = append(report, fmt.Sprintf("  %-8s %s", strings.SplitN(status, ":", 2)[0], rel))
	}
	t.Logf("read %d corpus XML files:\n%s", len(files), strings.Join(report, "\n"))
	names := make([]string, 0, len(folders))
	for f := range folders {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		c := folders[f]
		t.Logf("%-22s read OK %2d, not an invoice (specific error) %d, failed %d", f, c.ok, c.notInvoice, c.failed)
	}
}

// checkCorpusFile returns "ok", "not an invoice: ..." or "FAILED: ...",
// and reports failures on t.
func checkCorpusFile(t *testing.T, rel string) string {
	b := readCorpus(t, rel)
	syntax, err := Detect(b)
	if err != nil {
		if errors.Is(err, ErrNotInvoice) {
			return "not an invoice: " + err.Error()
		}
		t.Errorf("%s: detect: %v", rel, err)
		return "FAILED: " + err.Error()
	}
	inv, got, err := Read(b)
	if err != nil || got != syntax {
		t.Errorf("%s: read as %s (detected %s): %v", rel, got, syntax, err)
		return "FAILED: read"
	}
	tree, err := parseTree(b)
	if err != nil {
		t.Errorf("%s: element tree: %v", rel, err)
		return "FAILED: tree"
	}
	var want facts
	switch syntax {
	case SyntaxUBL:
		want = ublFacts(tree)
	case SyntaxCII:
		want = ciiFacts(tree, "ExchangedDocument", "SupplyChainTradeTransaction", "ApplicableHeaderTradeAgreement",
			"ApplicableHeaderTradeSettlement", "SpecifiedTradeSettlementHeaderMonetarySummation",
			"SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount")
	case SyntaxZUGFeRD1:
		want = ciiFacts(tree, "HeaderExchangedDocument", "SpecifiedSupplyChainTradeTransaction", "ApplicableSupplyChainTradeAgreement",
			"ApplicableSupplyChainTradeSettlement", "SpecifiedTradeSettlementMonetarySummation",
			"SpecifiedSupplyChainTradeSettlement/SpecifiedTradeSettlementMonetarySummation/LineTotalAmount")
	}
	if diffs := compareFacts(want, inv); len(diffs) > 0 {
		for _, d := range diffs {
			t.Errorf("%s: %s", rel, d)
		}
		return "FAILED: " + diffs[0]
	}
	return "ok"
}

func opt(n *node, p string) *string {
	if v, ok := n.val(p); ok {
		return &v
	}
	return nil
}

func ublFacts(r *node) facts {
	f := facts{
		number: r.str0("ID"), issue: r.str0("IssueDate"), currency: r.str0("DocumentCurrencyCode"),
		payable: opt(r, "LegalMonetaryTotal/PayableAmount"), grand: opt(r, "LegalMonetaryTotal/TaxInclusiveAmount"),
		taxExclusive: opt(r, "LegalMonetaryTotal/TaxExclusiveAmount"),
	}
	if f.currency == "" { // UBL 2.0: the amounts carry it
		if p := r.first("LegalMonetaryTotal/PayableAmount"); p != nil {
			f.currency = p.attrs["currencyID"]
		}
	}
	for _, tt := range r.all("TaxTotal/TaxAmount") {
		if c := tt.attrs["currencyID"]; f.tax == nil && (c == "" || c == f.currency) {
			v := tt.str()
			f.tax = &v
		}
	}
	seller, buyer := r.first("AccountingSupplierParty/Party"), r.first("AccountingCustomerParty/Party")
	f.sellerName, f.buyerName = ublName(seller), ublName(buyer)
	for _, ts := range seller.all("PartyTaxScheme") {
		if id, _ := ts.val("TaxScheme/ID"); f.sellerVAT == "" && (id == "VAT" || ts.str0("TaxScheme/TaxTypeCode") == "VAT") {
			f.sellerVAT = ts.str0("CompanyID")
		}
	}
	for _, acc := range r.all("PaymentMeans/PayeeFinancialAccount/ID") {
		if f.payIBAN == "" {
			f.payIBAN = acc.str()
		}
	}
	for _, l := range append(r.all("InvoiceLine"), r.all("CreditNoteLine")...) {
		f.lineNets = append(f.lineNets, opt(l, "LineExtensionAmount"))
	}
	return f
}

func ublName(p *node) string {
	if p == nil {
		return ""
	}
	if v, ok := p.val("PartyLegalEntity/RegistrationName"); ok && v != "" {
		return v
	}
	return p.str0("PartyName/Name")
}

// ciiFacts reads D16B and ZUGFeRD 1.0 alike, given their element names.
func ciiFacts(r *node, doc, tx, agreement, settlement, sum, lineNet string) facts {
	s := tx + "/" + settlement
	f := facts{
		number:   r.str0(doc + "/ID"),
		issue:    r.str0(doc + "/IssueDateTime/DateTimeString"),
		currency: r.str0(s + "/InvoiceCurrencyCode"),
		payable:  opt(r, s+"/"+sum+"/DuePayableAmount"), grand: opt(r, s+"/"+sum+"/GrandTotalAmount"),
		taxExclusive: opt(r, s+"/"+sum+"/TaxBasisTotalAmount"),
		sellerName:   r.str0(tx + "/" + agreement + "/SellerTradeParty/Name"),
		buyerName:    r.str0(tx + "/" + agreement + "/BuyerTradeParty/Name"),
	}
	if len(f.issue) == 8 {
		f.issue = f.issue[:4] + "-" + f.issue[4:6] + "-" + f.issue[6:]
	}
	for _, tt := range r.all(s + "/" + sum + "/TaxTotalAmount") {
		if c := tt.attrs["currencyID"]; f.tax == nil && (c == "" || c == f.currency) {
			v := tt.str()
			f.tax = &v
		}
	}
	for _, id := range r.all(tx + "/" + agreement + "/SellerTradeParty/SpecifiedTaxRegistration/ID") {
		if f.sellerVAT == "" && id.attrs["schemeID"] == "VA" {
			f.sellerVAT = id.str()
		}
	}
	for _, acc := range r.all(s + "/SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount") {
		if f.payIBAN == "" {
			f.payIBAN = acc.str0("IBANID") + acc.str0("ProprietaryID")
		}
	}
	for _, l := range r.all(tx + "/IncludedSupplyChainTradeLineItem") {
		if _, sub := l.val("AssociatedDocumentLineDocument/ParentLineID"); !sub {
			f.lineNets = append(f.lineNets, opt(l, lineNet))
		}
	}
	return f
}

// str0 is val without the presence flag.
func (n *node) str0(p string) string {
	if n == nil {
		return ""
	}
	v, _ := n.val(p)
	return v
}

func compareFacts(w facts, inv invoice.Invoice) []string {
	var d []string
	eq := func(field, want, got string) {
		if want != got {
			d = append(d, fmt.Sprintf("%s: XML %q, read %q", field, want, got))
		}
	}
	eq("BT-1 invoice number", strings.TrimSpace(w.number), inv.InvoiceNumber)
	eq("BT-2 issue date", w.issue, inv.IssueDate.String())
	eq("BT-5 currency", strings.ToUpper(w.currency), inv.Currency)
	eq("BT-115 payable", dec(w.payable), decOf(inv.Totals.Payable))
	eq("BT-112 total with VAT", dec(w.grand), decOf(inv.Totals.TaxInclusive))
	eq("BT-109 total without VAT", dec(w.taxExclusive), decOf(inv.Totals.TaxExclusive))
	eq("BT-110 VAT total", dec(w.tax), decOf(inv.Totals.Tax))
	eq("BT-27 seller name", strings.Join(strings.Fields(w.sellerName), " "), inv.Seller.Name)
	eq("BT-31 seller VAT id", compact(w.sellerVAT), inv.Seller.VATID)
	eq("BT-44 buyer name", strings.Join(strings.Fields(w.buyerName), " "), inv.Buyer.Name)
	eq("BT-84 IBAN", strings.ToUpper(strings.Join(strings.Fields(w.payIBAN), "")), inv.Payment.IBAN)
	eq("line count", fmt.Sprint(len(w.lineNets)), fmt.Sprint(len(inv.Lines)))
	for i := 0; i < len(w.lineNets) && i < len(inv.Lines); i++ {
		eq(fmt.Sprintf("line %d BT-131 net amount", i+1), dec(w.lineNets[i]), decOf(inv.Lines[i].NetAmount))
	}
	return d
}

// dec spells an XML number the way the decimal type keeps it (scale as
// written, "100." as "100"); "(absent)" for a missing element.
func dec(s *string) string {
	if s == nil {
		return "(absent)"
	}
	v, err := decimal.Parse(*s)
	if err != nil {
		return "(invalid " + *s + ")"
	}
	return v.String()
}

func decOf(d *decimal.Decimal) string {
	if d == nil {
		return "(absent)"
	}
	return d.String()
}

// compact spells a VAT id as Normalize does: upper case, without spaces,
// dots or dashes.
func compact(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", ".", "", "-", "", "\t", "", "\n", "").Replace(s))
}
