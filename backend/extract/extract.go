// Package extract turns an accepted file into the canonical invoice: XML is
// read exactly (backend/einvoice); a PDF is searched for its embedded
// invoice XML (Factur-X, ZUGFeRD, XRechnung) through PDFium, which starts
// only when the first PDF arrives, never on the app's start path.
package extract

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/invoice"
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
}

// PDF is what extraction needs from a PDF engine.
type PDF interface {
	Attachments(pdf []byte) ([]pdfdoc.Attachment, error)
}

// Extractor reads invoices. Safe for concurrent use.
type Extractor struct {
	start func(context.Context) (PDF, error)
	once  sync.Once
	pdf   PDF
	err   error
}

// New makes an Extractor; start opens the PDF engine on first use.
func New(start func(context.Context) (PDF, error)) *Extractor { return &Extractor{start: start} }

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

// ErrVisualUnavailable is returned for files that have no structured
// invoice, until reading the visible page is built.
var ErrVisualUnavailable = &apperr.Error{Code: apperr.Unavailable,
	Message: "this file has no embedded e-invoice, and reading the visible page or a scan is not available in this version"}

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
		return Result{}, ErrVisualUnavailable
	}
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
	if mode == ModeVisual {
		return Result{}, ErrVisualUnavailable
	}
	eng, err := x.engine(ctx)
	if err != nil {
		return Result{}, err
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
		return Result{}, ErrVisualUnavailable
	}
	inv, _, err := einvoice.Read(att.Data)
	if err != nil {
		return Result{}, fmt.Errorf("embedded %s: %w", att.Name, err)
	}
	return Result{Invoice: inv, Source: SourceFacturX, Kind: intake.KindPDF, XMLName: att.Name, Findings: findings}, nil
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
