package pagereader

import (
	"fmt"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
)

// ErrNoText is returned for a document without any text: a scanned page
// must go through OCR first.
var ErrNoText = &apperr.Error{Code: apperr.UnsupportedFormat, Message: "the page has no text (a scan? OCR needed)"}

// maxWords bounds the work on hostile input; real invoices have a few
// thousand words.
const maxWords = 200_000

// reader holds the state of reading one document.
type reader struct {
	lay       Layout
	style     numStyle
	foldCache map[[2]int]string
	inv       invoice.Invoice
	conf      map[string]float64
	warn      []string
	numLine   int // line of the invoice number, -1 when none
	sections  []section
	tables    []table
	// headerLines are the lines of item table headers: "Nettobetrag" there
	// names a column, not the total.
	headerLines map[int]bool
	rows        []tableRow
}

// Read reads one invoice from the positioned words of all its pages.
// Errors: ErrNoText when there is no usable text at all.
func Read(words []Word) (invoice.Invoice, error) {
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	lay := BuildLayout(words)
	if len(lay.Lines) == 0 {
		return invoice.Invoice{}, ErrNoText
	}
	r := &reader{lay: lay, style: detectStyle(lay.Lines), foldCache: map[[2]int]string{},
		conf: map[string]float64{}, numLine: -1, headerLines: map[int]bool{}}
	r.inv.TypeCode = invoice.TypeCode("380")
	r.sections = r.findSections()
	r.readHeader()
	r.readParties()
	r.readBank()
	r.readTable()
	r.readTotals()
	r.inv.Confidence = r.conf
	r.inv.Warnings = r.warn
	r.inv.Normalize()
	return r.inv, nil
}

// set records a field's confidence (the JSON path of the field).
func (r *reader) set(path string, c float64) { r.conf[path] = c }

func (r *reader) warnf(format string, args ...any) {
	r.warn = append(r.warn, fmt.Sprintf(format, args...))
}
