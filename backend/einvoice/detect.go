package einvoice

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Syntax is the e-invoice syntax of a document.
type Syntax string

// The syntaxes this package reads.
const (
	SyntaxUBL      Syntax = "ubl"      // OASIS UBL 2.x Invoice, CreditNote, SelfBilledInvoice, SelfBilledCreditNote
	SyntaxCII      Syntax = "cii"      // UN/CEFACT CrossIndustryInvoice D16B (Factur-X, ZUGFeRD 2.x, XRechnung CII)
	SyntaxZUGFeRD1 Syntax = "zugferd1" // ZUGFeRD 1.0 CrossIndustryDocument
)

// Root namespaces. UBL 2.0 and 2.1 share theirs, so a UBL 2.0 Invoice is
// read by the same code; only fields that moved need a fallback.
const (
	nsUBLPrefix = "urn:oasis:names:specification:ubl:schema:xsd:"
	nsCII       = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
	nsZUGFeRD1  = "urn:ferd:CrossIndustryDocument:invoice:1p0"
)

// ublInvoiceRoots are the UBL document types that are invoices; other UBL
// documents (Order, DespatchAdvice, ...) are not.
var ublInvoiceRoots = map[string]bool{
	"Invoice": true, "CreditNote": true, "SelfBilledInvoice": true, "SelfBilledCreditNote": true,
}

// utf8BOM is stripped before parsing. Several producers write it (all
// five Factur-X samples of the corpus); encoding/xml happens to skip it
// too, but the readers should not depend on that detail.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// root is what the prolog and the first element say about a document.
type root struct {
	syntax  Syntax
	local   string // root element name without prefix, e.g. "CreditNote"
	doctype bool   // a <!DOCTYPE ...> came before the root
}

// Detect names the syntax of an e-invoice by its root element and that
// element's namespace. It reads only up to the root start tag.
//
// Errors: ErrTooLarge above MaxSize; ErrNotInvoice for anything that is not
// an invoice root (no XML, HTML, a UBL Order); ErrUnsupported for an
// invoice root in an unknown namespace or an unreadable character encoding;
// ErrMalformed for a document type declaration before an invoice root.
func Detect(b []byte) (Syntax, error) {
	r, err := sniff(b)
	if err != nil {
		return "", err
	}
	return r.syntax, nil
}

// sniff reads the prolog and the root start tag.
func sniff(b []byte) (root, error) {
	if len(b) > MaxSize {
		return root{}, tooLarge(len(b))
	}
	d, cs := newDecoder(b)
	var r root
	for {
		tok, err := d.RawToken()
		if err != nil {
			return root{}, sniffError(err, cs, d)
		}
		switch t := tok.(type) {
		case xml.Directive:
			r.doctype = r.doctype || bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE"))
		case xml.StartElement:
			return classify(r, t, d)
		}
	}
}

func sniffError(err error, cs *charsetState, d *xml.Decoder) error {
	if cs.err != nil {
		return unsupported("character encoding %q is not supported", cs.label)
	}
	if errors.Is(err, io.EOF) {
		return notInvoice("no XML root element found")
	}
	line, _ := d.InputPos()
	return notInvoice("not an XML document (line %d: %v)", line, err)
}

// classify maps the root start tag to a syntax. RawToken does not resolve
// prefixes, so the namespace is looked up among the tag's own declarations:
// every e-invoice declares its root namespace on the root element.
func classify(r root, t xml.StartElement, d *xml.Decoder) (root, error) {
	r.local = t.Name.Local
	ns := rootNamespace(t)
	switch {
	case ublInvoiceRoots[r.local] && ns == nsUBLPrefix+r.local+"-2":
		r.syntax = SyntaxUBL
	case r.local == "CrossIndustryInvoice" && ns == nsCII:
		r.syntax = SyntaxCII
	case r.local == "CrossIndustryDocument" && ns == nsZUGFeRD1:
		r.syntax = SyntaxZUGFeRD1
	case ublInvoiceRoots[r.local] || r.local == "CrossIndustryInvoice" || r.local == "CrossIndustryDocument":
		return root{}, unsupported("%s in namespace %q is not a supported invoice version", r.local, ns)
	default:
		return root{}, notInvoice("the XML root element <%s> (namespace %q) is not an e-invoice", r.local, ns)
	}
	if r.doctype {
		line, _ := d.InputPos()
		return root{}, malformedAt(line, errors.New("document type declarations are not allowed in e-invoices"))
	}
	return r, nil
}

// rootNamespace resolves the root element's prefix against the namespace
// declarations on the same element.
func rootNamespace(t xml.StartElement) string {
	for _, a := range t.Attr {
		switch {
		case t.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns":
			return a.Value
		case t.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == t.Name.Space:
			return a.Value
		}
	}
	return ""
}

// newDecoder returns a strict decoder over b (without a UTF-8 BOM) that
// understands the encoding labels met in practice.
func newDecoder(b []byte) (*xml.Decoder, *charsetState) {
	b = bytes.TrimPrefix(b, utf8BOM)
	cs := &charsetState{}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = cs.reader
	return d, cs
}

// syntaxName is for messages.
func syntaxName(s Syntax) string {
	switch s {
	case SyntaxUBL:
		return "UBL"
	case SyntaxCII:
		return "CII (CrossIndustryInvoice)"
	case SyntaxZUGFeRD1:
		return "ZUGFeRD 1.0 (CrossIndustryDocument)"
	}
	return strings.ToUpper(string(s))
}
