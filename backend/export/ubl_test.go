package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
)

func TestUBLGolden(t *testing.T) {
	cases := []struct {
		name     string
		inv      invoice.Invoice
		root, ns string
		empty    string // elements left empty because the model lacks a mandatory value
	}{
		{"invoice", fullInvoice(), "Invoice", nsUBLInvoice, ""},
		// The credit note's due date needs a PaymentMeans; its code is
		// not in the model and is not invented.
		{"creditnote", creditNote(), "CreditNote", nsUBLCreditNote, "PaymentMeansCode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := UBL(c.inv)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "ubl-"+c.name+".xml.golden", out)
			root := rootOf(t, out)
			if root.Local != c.root || root.Space != c.ns {
				t.Errorf("root {%s}%s, want {%s}%s", root.Space, root.Local, c.ns, c.root)
			}
			if !bytes.Contains(out, []byte("<cbc:CustomizationID>"+en16931+"</cbc:CustomizationID>")) {
				t.Error("no EN 16931 CustomizationID")
			}
			if e := strings.Join(emptyElements(t, out), ","); e != c.empty {
				t.Errorf("empty elements %q, want %q", e, c.empty)
			}
			assertRoundTrip(t, c.inv, out)
		})
	}
}

// A credit note uses the CreditNote vocabulary throughout and carries its
// due date in PaymentMeans, where UBL 2.1 has it.
func TestUBLCreditNote(t *testing.T) {
	out, err := UBL(creditNote())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", "<cac:CreditNoteLine>",
		`<cbc:CreditedQuantity unitCode="C62">2.5</cbc:CreditedQuantity>`,
		"<cbc:PaymentDueDate>2024-03-20</cbc:PaymentDueDate>",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %s", want)
		}
	}
	for _, absent := range []string{"InvoiceTypeCode", "InvoiceLine", "InvoicedQuantity", "<cbc:DueDate>"} {
		if bytes.Contains(out, []byte(absent)) {
			t.Errorf("credit note contains %s", absent)
		}
	}
	back, err := einvoice.ReadUBL(out)
	if err != nil {
		t.Fatal(err)
	}
	if !back.IsCreditNote() || back.DueDate != creditNote().DueDate {
		t.Errorf("read back as type %s, due %s", back.TypeCode, back.DueDate)
	}
}

// Every credit note type code gives a CreditNote; other codes an Invoice.
func TestUBLRootByTypeCode(t *testing.T) {
	for _, c := range []struct {
		code invoice.TypeCode
		root string
	}{{"380", "Invoice"}, {"384", "Invoice"}, {"389", "Invoice"}, {"381", "CreditNote"}, {"261", "CreditNote"}, {"396", "CreditNote"}} {
		inv := payableInvoice("1", "2024-01-01", "1.00")
		inv.TypeCode = c.code
		out, err := UBL(inv)
		if err != nil {
			t.Fatal(err)
		}
		if got := rootOf(t, out).Local; got != c.root {
			t.Errorf("%s: root %s, want %s", c.code, got, c.root)
		}
		assertRoundTrip(t, inv, out)
	}
}

// Absent amounts are absent elements (nil after reading), a stated zero
// is an element; scale and sign are kept.
func TestUBLAmountsExact(t *testing.T) {
	inv := payableInvoice("1", "2024-01-01", "-0.50")
	inv.Totals.Prepaid = dec("0")
	inv.Totals.Rounding = dec("0.000")
	out, err := UBL(inv)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("TaxInclusiveAmount")) {
		t.Error("an absent amount was written")
	}
	assertRoundTrip(t, inv, out)
}

// The documented exceptions do not round-trip, and only them: the test
// keeps the list on UBL honest.
func TestUBLRoundTripExceptions(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*invoice.Invoice)
		lost   string // the path in content() that differs
	}{
		{"warnings", func(i *invoice.Invoice) { i.Warnings = []string{"read from page 2"} }, ""},
		{"confidence", func(i *invoice.Invoice) { i.Confidence = map[string]float64{"totals.payable": 0.5} }, ""},
		{"buyer tax id", func(i *invoice.Invoice) { i.Buyer.TaxID = "12/345" }, "buyer.tax_id"},
		{"unit without quantity", func(i *invoice.Invoice) { i.Lines[2].Unit = "C62" }, "lines[2].unit"},
		{"account name without account or means", func(i *invoice.Invoice) {
			i.Payment = invoice.Payment{AccountName: "ACME"}
		}, "payment.account_name"},
		{"BT-111 without tax currency", func(i *invoice.Invoice) { i.TaxCurrency = "" }, "tax_total_tax_currency"},
		{"empty type code", func(i *invoice.Invoice) { i.TypeCode = "" }, "type_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := fullInvoice()
			c.modify(&inv)
			out, err := UBL(inv)
			if err != nil {
				t.Fatal(err)
			}
			back, err := einvoice.ReadUBL(out)
			if err != nil {
				t.Fatal(err)
			}
			d := diff(content(t, inv), content(t, back))
			switch {
			case c.lost == "" && len(d) > 0:
				t.Errorf("unexpected differences: %v", d)
			case c.lost != "" && (len(d) != 1 || !strings.HasPrefix(d[0], c.lost+":")):
				t.Errorf("want only %s lost, got %v", c.lost, d)
			}
		})
	}
}

// Text XML cannot carry is an error naming the field, not a silent U+FFFD.
func TestUBLRefusesInvalidText(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*invoice.Invoice)
		field  string
	}{
		{"control character", func(i *invoice.Invoice) { i.Seller.Name = "ACME\x00" }, "seller name"},
		{"invalid UTF-8", func(i *invoice.Invoice) { i.Notes = []string{"ok", "bad \xff"} }, "note 2"},
		{"escape in line", func(i *invoice.Invoice) { i.Lines[0].Name = "\x1b[31m" }, "line 1 item name"},
		{"U+FFFE", func(i *invoice.Invoice) { i.PaymentTerms = "\uFFFE" }, "payment terms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := fullInvoice()
			c.modify(&inv)
			out, err := UBL(inv)
			if out != nil || !errors.Is(err, apperr.ErrInvalid) || !strings.Contains(err.Error(), c.field) {
				t.Errorf("got %d bytes, err %v; want invalid_input naming %q", len(out), err, c.field)
			}
		})
	}
	inv := fullInvoice()
	inv.Seller.Name = "Real \uFFFD replacement char, tab\tand line\nbreak"
	if _, err := UBL(inv); err != nil {
		t.Errorf("valid XML text refused: %v", err)
	}
}

// UBL must not change the caller's invoice (Normalize would, in place).
func TestUBLLeavesInputAlone(t *testing.T) {
	inv := fullInvoice()
	inv.Lines[0].Unit = " c62 "
	before := content(t, inv)
	if _, err := UBL(inv); err != nil {
		t.Fatal(err)
	}
	if inv.Lines[0].Unit != " c62 " {
		t.Errorf("line unit changed to %q", inv.Lines[0].Unit)
	}
	if d := diff(before, content(t, inv)); len(d) > 0 {
		t.Error(d)
	}
}

func TestUBLDeterministic(t *testing.T) {
	a, _ := UBL(fullInvoice())
	b, _ := UBL(fullInvoice())
	if !bytes.Equal(a, b) {
		t.Error("same invoice, different bytes")
	}
}

func assertRoundTrip(t *testing.T, inv invoice.Invoice, out []byte) {
	t.Helper()
	back, err := einvoice.ReadUBL(out)
	if err != nil {
		t.Fatalf("ReadUBL: %v\n%s", err, out)
	}
	if d := diff(content(t, inv), content(t, back)); len(d) > 0 {
		t.Errorf("round trip differs:\n  %s", strings.Join(d, "\n  "))
	}
	if len(back.Warnings) > 0 {
		t.Errorf("reading the written UBL warns: %v", back.Warnings)
	}
}

func rootOf(t *testing.T, b []byte) xml.Name {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("no root: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name
		}
	}
}
