package export

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

func TestSEPAGolden(t *testing.T) {
	var buf bytes.Buffer
	items := sepaItems()
	included, refused, err := SEPA(&buf, testDebtor(), items, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sepa.xml.golden", buf.Bytes())
	if want := []string{items[0].ID, items[1].ID, items[2].ID}; !slices.Equal(included, want) {
		t.Errorf("included %v, want %v", included, want)
	}
	if len(refused) != 1 || refused[0].InvoiceID != items[3].ID {
		t.Errorf("refused %v, want the invoice without vendor", refused)
	}
	doc := validatePain(t, buf.Bytes())
	p := doc.PmtInf[0]
	if doc.GrpHdr.CtrlSum != "1200.50" || p.Date != "2024-03-18" || doc.GrpHdr.CreDtTm != "2024-03-15T09:30:00" {
		t.Errorf("CtrlSum %s, date %s, created %s", doc.GrpHdr.CtrlSum, p.Date, doc.GrpHdr.CreDtTm)
	}
	at := p.Txs[1]
	// The vendor master's account and holder name, never the invoice's
	// own IBAN (NL…); umlauts transliterated; UUID without hyphens.
	if at.IBAN != ibanAT || at.Name != "Juergen Mueller-Luedenscheidt" || at.EndToEndID != "0190b5a07c4e7d3a9f00000000000002" {
		t.Errorf("AT transaction: %+v", at)
	}
	if at.Amount.Value != "0.50" || at.BIC != "" || at.Ustrd != "Ae-77 special 2024-03-02" {
		t.Errorf("AT amount %s, BIC %q, Ustrd %q", at.Amount.Value, at.BIC, at.Ustrd)
	}
	if p.Txs[2].Amount.Value != "10.00" || p.Txs[2].Name != "Zuercher Kaeserei AG" {
		t.Errorf("CH transaction: %+v", p.Txs[2])
	}
	if bytes.Contains(buf.Bytes(), []byte(ibanNL)) {
		t.Error("the invoice's own IBAN made it into the payment file")
	}
}

func TestSEPADeterministic(t *testing.T) {
	var a, b bytes.Buffer
	d := testDebtor()
	d.MessageID = "" // derived: must be stable too
	if _, _, err := SEPA(&a, d, sepaItems(), fixedNow); err != nil {
		t.Fatal(err)
	}
	if _, _, err := SEPA(&b, d, sepaItems(), fixedNow); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same input, different bytes")
	}
	doc := validatePain(t, a.Bytes())
	if id := doc.GrpHdr.MsgID; !strings.HasPrefix(id, "SMARTAP-20240315-093000-") {
		t.Errorf("derived MsgId %q", id)
	}
}

// Every reason not to pay leads to a refusal with a reason, never to a
// guessed payment.
func TestSEPARefused(t *testing.T) {
	good := func() Item {
		return Item{ID: "inv-ok", Status: "approved", Invoice: payableInvoice("1", "2024-03-01", "100.00"),
			Vendor: testVendor("ACME", ibanDE, "COBADEFFXXX")}
	}
	cases := []struct {
		name   string
		modify func(*Item)
		reason string
	}{
		{"no vendor", func(it *Item) { it.Vendor = nil }, "not in the vendor master"},
		{"vendor without IBAN", func(it *Item) { it.Vendor.Bank.IBAN = "" }, "no IBAN"},
		{"invalid IBAN", func(it *Item) { it.Vendor.Bank.IBAN = "DE89370400440532013001" }, "IBAN is invalid"},
		{"invalid BIC", func(it *Item) { it.Vendor.Bank.BIC = "COBA1EFF" }, "BIC is invalid"},
		{"non-SEPA country", func(it *Item) { it.Vendor.Bank.IBAN = "SA0380000000608010167519" }, "not reachable by SEPA"},
		{"non-EEA without BIC", func(it *Item) { it.Vendor.Bank = vendor.BankDetails{IBAN: ibanCH} }, "needs the vendor's BIC"},
		{"USD invoice", func(it *Item) { it.Invoice.Currency = "USD" }, `"USD"`},
		{"credit note", func(it *Item) { it.Invoice.TypeCode = invoice.TypeCreditNote }, "credit note"},
		{"self-billed credit note", func(it *Item) { it.Invoice.TypeCode = invoice.TypeSelfBilledCreditNote }, "credit note"},
		{"zero amount", func(it *Item) { it.Invoice.Totals.Payable = dec("0.00") }, "not positive"},
		{"negative amount", func(it *Item) { it.Invoice.Totals.Payable = dec("-5.00") }, "not positive"},
		{"no amount", func(it *Item) { it.Invoice.Totals.Payable = nil }, "no payable amount"},
		{"fraction of a cent", func(it *Item) { it.Invoice.Totals.Payable = dec("10.005") }, "fractions of a cent"},
		{"above SEPA maximum", func(it *Item) { it.Invoice.Totals.Payable = dec("1000000000.00") }, "maximum"},
		{"not approved", func(it *Item) { it.Status = "needs_review" }, "only approved"},
		{"id too long", func(it *Item) { it.ID = strings.Repeat("x", 36) }, "EndToEndId"},
		{"name without SEPA characters", func(it *Item) { it.Vendor.Name = "株式会社" }, "no characters SEPA"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := good()
			bad.ID = "inv-bad"
			c.modify(&bad)
			var buf bytes.Buffer
			included, refused, err := SEPA(&buf, testDebtor(), []Item{good(), bad}, fixedNow)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(included, []string{"inv-ok"}) {
				t.Errorf("included %v", included)
			}
			if len(refused) != 1 || refused[0].InvoiceID != bad.ID || !strings.Contains(refused[0].Reason, c.reason) {
				t.Errorf("refused %v, want %s with %q", refused, bad.ID, c.reason)
			}
			validatePain(t, buf.Bytes())
		})
	}
}

// The same invoice twice, or two ids that give one EndToEndId, is paid
// once.
func TestSEPADuplicates(t *testing.T) {
	it := func(id string) Item {
		return Item{ID: id, Status: "approved", Invoice: payableInvoice("1", "2024-03-01", "5.00"),
			Vendor: testVendor("ACME", ibanDE, "")}
	}
	var buf bytes.Buffer
	included, refused, err := SEPA(&buf, testDebtor(), []Item{it("a1"), it("a1"), it("a/1"), it("b")}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(included, []string{"a1", "b"}) || len(refused) != 2 {
		t.Fatalf("included %v refused %v", included, refused)
	}
	if !strings.Contains(refused[0].Reason, "twice") || !strings.Contains(refused[1].Reason, "same as invoice a1") {
		t.Errorf("reasons %v", refused)
	}
	validatePain(t, buf.Bytes())
}

// With nothing payable the export fails and writes nothing, but still
// says why each invoice was refused.
func TestSEPANothingPayable(t *testing.T) {
	items := sepaItems()[3:]
	var buf bytes.Buffer
	included, refused, err := SEPA(&buf, testDebtor(), items, fixedNow)
	if !errors.Is(err, apperr.ErrInvalid) {
		t.Fatalf("err = %v, want invalid_input", err)
	}
	if buf.Len() != 0 || included != nil || len(refused) != 1 {
		t.Errorf("wrote %d bytes, included %v, refused %v", buf.Len(), included, refused)
	}
	if _, _, err := SEPA(&buf, testDebtor(), nil, fixedNow); !errors.Is(err, apperr.ErrInvalid) || buf.Len() != 0 {
		t.Errorf("no items: err %v, %d bytes", err, buf.Len())
	}
}

func TestSEPADebtorErrors(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Debtor)
		msg    string
	}{
		{"no name", func(d *Debtor) { d.Name = "  " }, "name"},
		{"name without SEPA characters", func(d *Debtor) { d.Name = "株式会社" }, "name"},
		{"bad IBAN", func(d *Debtor) { d.IBAN = "DE02120300000000202052" }, "IBAN"},
		{"non-SEPA IBAN", func(d *Debtor) { d.IBAN = "SA0380000000608010167519" }, "SA"},
		{"bad BIC", func(d *Debtor) { d.BIC = "BYLADEM" }, "BIC"},
		{"no date", func(d *Debtor) { d.ExecutionDate = invoice.Date{} }, "execution date"},
		{"date in the past", func(d *Debtor) { d.ExecutionDate = invoice.MustParseDate("2024-03-14") }, "in the past"},
		{"message id too long", func(d *Debtor) { d.MessageID = strings.Repeat("M", 36) }, "message id"},
		{"message id with space", func(d *Debtor) { d.MessageID = "MSG 1" }, "message id"},
		{"message id with slashes", func(d *Debtor) { d.MessageID = "MSG//1" }, "message id"},
		{"message id umlaut", func(d *Debtor) { d.MessageID = "MSG-Ä" }, "message id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := testDebtor()
			c.modify(&d)
			var buf bytes.Buffer
			_, _, err := SEPA(&buf, d, sepaItems(), fixedNow)
			if !errors.Is(err, apperr.ErrInvalid) || !strings.Contains(err.Error(), c.msg) || buf.Len() != 0 {
				t.Errorf("err %v (%d bytes written), want invalid_input about %q", err, buf.Len(), c.msg)
			}
		})
	}
	// Today is a valid execution date; no BIC means IBAN-only.
	d := testDebtor()
	d.ExecutionDate, d.BIC, d.InitiatingParty = invoice.DateOf(fixedNow), "", "Buchhaltung Süd"
	var buf bytes.Buffer
	if _, _, err := SEPA(&buf, d, sepaItems(), fixedNow); err != nil {
		t.Fatal(err)
	}
	doc := validatePain(t, buf.Bytes())
	if doc.PmtInf[0].DbtrOther != "NOTPROVIDED" || doc.GrpHdr.InitgPty != "Buchhaltung Sued" {
		t.Errorf("DbtrAgt Othr %q, InitgPty %q", doc.PmtInf[0].DbtrOther, doc.GrpHdr.InitgPty)
	}
}

func TestSEPAErrorString(t *testing.T) {
	e := SEPAError{InvoiceID: "x", Reason: "why"}
	if got := fmt.Sprint(e); got != "invoice x: why" {
		t.Errorf("got %q", got)
	}
}
