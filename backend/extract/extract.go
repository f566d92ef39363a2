// Package extract turns an accepted file into the canonical invoice: XML is
// read exactly (backend/einvoice); a PDF is searched for its embedded
// invoice XML (Factur-X, ZUGFeRD, XRechnung) through PDFium, which starts
// only when the first PDF arrives, never on the app's start path. A PDF
// without XML (or with --source visual) is read from its visible page
// (backend/pagereader); a PDF with XML has its page read too, and a page
// that shows another IBAN, total, number or seller than the XML raises
// the critical finding "xml_page_mismatch".
package extract

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/bankid"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/ocr"
	"github.com/smartap/desktop/backend/pagereader"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// Source says how an invoice was read (CLI.md `extract --json`).
type Source string

// The sources of CLI.md.
const (
	SourceUBL      Source = "ubl"
	SourceCII      Source = "cii"
	SourceZUGFeRD1 Source = "zugferd1"
	SourceFacturX  Source = "facturx" // invoice XML embedded in a PDF
	SourcePDFText  Source = "pdf-text"
	SourceOCR      Source = "ocr"
	SourceLLM      Source = "llm"
)

// Mode chooses what to read (`--source`).
type Mode string

// The modes of `extract --source`.
const (
	ModeAuto       Mode = "auto"
	ModeStructured Mode = "structured"
	ModeVisual     Mode = "visual"
)

// ParseMode checks a --source value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case "", ModeAuto:
		return ModeAuto, nil
	case ModeStructured, ModeVisual:
		return m, nil
	}
	return "", apperr.New(apperr.InvalidInput, "--source %q: use auto, structured or visual", s)
}

// Finding is a check result attached while reading (e.g. active PDF content).
type Finding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Fields   []string `json:"fields"`
}

// Result is one read invoice.
type Result struct {
	Invoice  invoice.Invoice
	Source   Source
	Kind     intake.Kind
	XMLName  string // the embedded file the invoice came from, for PDFs
	Findings []Finding
	// PageText is the page's text, line by line, for read (not structured)
	// sources: what an optional model may be shown.
	PageText string
}

// layoutText joins the rebuilt lines of the pages.
func layoutText(words []pagereader.Word) string {
	var b strings.Builder
	for _, l := range pagereader.BuildLayout(words).Lines {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// PDF is what extraction needs from a PDF engine (pdfdoc.Engine).
type PDF interface {
	// Attachments lists the embedded files. Errors as pdfdoc: ErrBroken,
	// ErrEncrypted, ErrClosed.
	Attachments(pdf []byte) ([]pdfdoc.Attachment, error)
	// PageText returns the positioned text runs of every page, same errors.
	PageText(pdf []byte) ([][]pdfdoc.TextRun, error)
	// RenderPage renders one page for OCR (scanned PDFs).
	ocr.Renderer
}

var _ PDF = (*pdfdoc.Engine)(nil)

// FindingXMLPageMismatch is raised when the visible page of a PDF shows
// another invoice than its embedded XML (another IBAN, total, number or
// seller): a fraud signal, ARCHITECTURE.md §3.5.
const FindingXMLPageMismatch = "xml_page_mismatch"

// Extractor reads invoices. Safe for concurrent use.
type Extractor struct {
	start func(context.Context) (PDF, error)
	once  sync.Once
	pdf   PDF
	err   error

	ocrStart func() (ocr.Engine, error)
	ocrOnce  sync.Once
	ocr      ocr.Engine
	ocrErr   error
}

// New makes an Extractor; start opens the PDF engine on first use. OCR
// (Tesseract) also starts on first use, only for scans.
func New(start func(context.Context) (PDF, error)) *Extractor {
	return &Extractor{start: start, ocrStart: func() (ocr.Engine, error) { return ocr.New() }}
}

func (x *Extractor) ocrEngine() (ocr.Engine, error) {
	x.ocrOnce.Do(func() { x.ocr, x.ocrErr = x.ocrStart() })
	return x.ocr, x.ocrErr
}

func (x *Extractor) engine(ctx context.Context) (PDF, error) {
	x.once.Do(func() {
		if x.start == nil {
			x.err = errors.New("no PDF engine configured")
			return
		}
		x.pdf, x.err = x.start(ctx)
	})
	if x.err != nil {
		return nil, apperr.Wrap(x.err, apperr.Unavailable, "the PDF reader could not start")
	}
	return x.pdf, nil
}

// Extract reads data, whose kind intake sniffed.
func (x *Extractor) Extract(ctx context.Context, data []byte, kind intake.Kind, mode Mode) (Result, error) {
	switch kind {
	case intake.KindXML:
		if mode == ModeVisual {
			return Result{}, apperr.New(apperr.InvalidInput, "an XML file has no visible page: use --source auto or structured")
		}
		return readXML(data, kind)
	case intake.KindPDF:
		return x.readPDF(ctx, data, mode)
	default:
		if mode == ModeStructured {
			return Result{}, apperr.New(apperr.UnsupportedFormat, "a %s image holds no structured invoice", kind)
		}
		return x.readScan(ctx, data, kind)
	}
}

// readScan reads an image through OCR and the page reader.
func (x *Extractor) readScan(ctx context.Context, data []byte, kind intake.Kind) (Result, error) {
	e, err := x.ocrEngine()
	if err != nil {
		return Result{}, err
	}
	pages, err := ocr.Image(ctx, e, data, kind)
	if err != nil {
		return Result{}, err
	}
	words := pagereader.FromRuns(pages)
	inv, err := pagereader.Read(words)
	if err != nil {
		return Result{}, err
	}
	return Result{Invoice: inv, Source: SourceOCR, Kind: kind, PageText: layoutText(words)}, nil
}

func readXML(data []byte, kind intake.Kind) (Result, error) {
	inv, syn, err := einvoice.Read(data)
	if err != nil {
		return Result{}, err
	}
	return Result{Invoice: inv, Source: Source(syn), Kind: kind}, nil
}

func (x *Extractor) readPDF(ctx context.Context, data []byte, mode Mode) (Result, error) {
	var findings []Finding
	for _, f := range intake.ScanPDF(data) {
		findings = append(findings, Finding{Code: f.Code, Severity: f.Severity, Message: f.Message, Fields: []string{}})
	}
	eng, err := x.engine(ctx)
	if err != nil {
		return Result{}, err
	}
	if mode == ModeVisual {
		return x.readPage(ctx, eng, data, findings)
	}
	atts, err := eng.Attachments(data)
	if err != nil {
		return Result{}, pdfError(err)
	}
	att, ok := pdfdoc.InvoiceXML(atts)
	if !ok {
		if mode == ModeStructured {
			return Result{}, apperr.New(apperr.UnsupportedFormat, "this PDF carries no embedded invoice XML (%d other attachments)", len(atts))
		}
		return x.readPage(ctx, eng, data, findings)
	}
	inv, _, err := einvoice.Read(att.Data)
	if err != nil {
		return Result{}, fmt.Errorf("embedded %s: %w", att.Name, err)
	}
	if mode == ModeAuto {
		findings = append(findings, comparePage(eng, data, inv)...)
	}
	return Result{Invoice: inv, Source: SourceFacturX, Kind: intake.KindPDF, XMLName: att.Name, Findings: findings}, nil
}

// readPage reads the invoice from the visible page; a page without text
// (a scanned PDF) goes through OCR.
func (x *Extractor) readPage(ctx context.Context, eng PDF, data []byte, findings []Finding) (Result, error) {
	pages, err := eng.PageText(data)
	if err != nil {
		return Result{}, pdfError(err)
	}
	src := SourcePDFText
	if !hasText(pages) {
		e, err := x.ocrEngine()
		if err != nil {
			return Result{}, err
		}
		if pages, err = ocr.PDF(ctx, e, eng, data); err != nil {
			return Result{}, err
		}
		src = SourceOCR
	}
	words := pagereader.FromRuns(pages)
	inv, err := pagereader.Read(words)
	if err != nil {
		return Result{}, err
	}
	return Result{Invoice: inv, Source: src, Kind: intake.KindPDF, Findings: findings, PageText: layoutText(words)}, nil
}

// hasText reports whether the PDF's pages carry a usable text layer.
func hasText(pages [][]pdfdoc.TextRun) bool {
	n := 0
	for _, p := range pages {
		for _, r := range p {
			n += len(strings.TrimSpace(r.Text))
		}
	}
	return n >= 20
}

// comparePage reads the page of a PDF whose XML was read and reports what
// differs. A page that cannot be read (no text: a scan) says nothing.
func comparePage(eng PDF, data []byte, xml invoice.Invoice) []Finding {
	pages, err := eng.PageText(data)
	if err != nil {
		return nil
	}
	page, err := pagereader.Read(pagereader.FromRuns(pages))
	if err != nil {
		return nil
	}
	diffs := pagereader.Compare(page, xml)
	if len(diffs) == 0 {
		return nil
	}
	fields := make([]string, len(diffs))
	parts := make([]string, len(diffs))
	for i, d := range diffs {
		fields[i] = d.Field
		parts[i] = fmt.Sprintf("%s: page %s, XML %s", d.Field, shown(d.Field, d.Page), shown(d.Field, d.XML))
	}
	return []Finding{{Code: FindingXMLPageMismatch, Severity: "critical", Fields: fields,
		Message: "the visible page shows another invoice than the embedded XML (" + strings.Join(parts, "; ") + ")"}}
}

// shown masks bank accounts in messages, which end up in logs.
func shown(field, v string) string {
	if field == "payment.iban" {
		return bankid.MaskIBAN(v)
	}
	return strconv.Quote(v)
}

func pdfError(err error) error {
	if apperr.CodeOf(err) != apperr.Internal {
		return err
	}
	switch {
	case errors.Is(err, pdfdoc.ErrEncrypted):
		return apperr.Wrap(err, apperr.UnsupportedFormat, "the PDF is password-protected")
	case errors.Is(err, pdfdoc.ErrBroken):
		return apperr.Wrap(err, apperr.InvalidInput, "the PDF is damaged and cannot be opened")
	}
	return err
}
