package einvoice

import "github.com/smartap/desktop/backend/invoice"

// Read detects the syntax of b and reads it into the model, normalized.
// The result is exact: Confidence stays empty, and Warnings note what the
// model could not hold (a second payee account, sub-lines) or what was
// assumed (a missing type code). Errors are those of Detect plus
// ErrMalformed for broken XML or a value not in its lexical form.
func Read(b []byte) (invoice.Invoice, Syntax, error) {
	r, err := sniff(b)
	if err != nil {
		return invoice.Invoice{}, "", err
	}
	inv, err := readAs(b, r)
	return inv, r.syntax, err
}

// ReadUBL reads a UBL 2.1 Invoice, CreditNote, SelfBilledInvoice or
// SelfBilledCreditNote, or a UBL 2.0 Invoice. Another syntax gives
// ErrUnsupported.
func ReadUBL(b []byte) (invoice.Invoice, error) { return readExpecting(b, SyntaxUBL) }

// ReadCII reads a CrossIndustryInvoice D16B in any Factur-X/ZUGFeRD 2.x
// profile or XRechnung CII. Another syntax gives ErrUnsupported.
func ReadCII(b []byte) (invoice.Invoice, error) { return readExpecting(b, SyntaxCII) }

// ReadZUGFeRD1 reads a ZUGFeRD 1.0 CrossIndustryDocument (BASIC, COMFORT,
// EXTENDED). Another syntax gives ErrUnsupported.
func ReadZUGFeRD1(b []byte) (invoice.Invoice, error) { return readExpecting(b, SyntaxZUGFeRD1) }

func readExpecting(b []byte, want Syntax) (invoice.Invoice, error) {
	r, err := sniff(b)
	if err != nil {
		return invoice.Invoice{}, err
	}
	if r.syntax != want {
		return invoice.Invoice{}, unsupported("expected %s, the document is %s", syntaxName(want), syntaxName(r.syntax))
	}
	return readAs(b, r)
}

func readAs(b []byte, r root) (invoice.Invoice, error) {
	var (
		inv invoice.Invoice
		err error
	)
	switch r.syntax {
	case SyntaxUBL:
		inv, err = readUBL(b, r)
	case SyntaxCII:
		inv, err = readCII(b)
	case SyntaxZUGFeRD1:
		inv, err = readZUGFeRD1(b)
	default: // sniff returns only the syntaxes above
		return invoice.Invoice{}, unsupported("syntax %q", r.syntax)
	}
	if err != nil {
		return invoice.Invoice{}, err
	}
	inv.Confidence = nil
	inv.Normalize()
	return inv, nil
}
