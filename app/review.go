package app

import (
	"encoding/base64"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/decimal"
)

// RenderPage shows page (1-based) of an invoice's sealed original: a PDF
// page rendered by PDFium in Go, or a scan as it was imported. The image
// travels as a data: URL; nothing is served or written to disk.
func (a *App) RenderPage(id string, page int) (PageView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return PageView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	p, err := s.RenderPage(ctx, id, page)
	if err != nil {
		return PageView{}, err
	}
	return PageView{Image: "data:" + p.MIME + ";base64," + base64.StdEncoding.EncodeToString(p.Data),
		Width: p.Width, Height: p.Height, Page: p.Page, Pages: p.Pages, DPI: p.DPI}, nil
}

// GetReview returns the per-field read confidence and the 3-way match.
func (a *App) GetReview(id string) (ReviewView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return ReviewView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	r, err := s.Review(ctx, id)
	if err != nil {
		return ReviewView{}, err
	}
	return reviewView(r), nil
}

func reviewView(r core.Review) ReviewView {
	v := ReviewView{ID: r.ID, Confidence: r.Confidence, LowConfidence: r.LowConfidence}
	if r.Match == nil {
		return v
	}
	m := r.Match
	mv := &MatchView{Status: m.Status, POs: strs(m.POs), Summary: m.Summary, Lines: make([]MatchLineView, 0, len(m.Lines)),
		Findings: make([]FindingView, 0, len(m.Findings))}
	for _, l := range m.Lines {
		mv.Lines = append(mv.Lines, MatchLineView{InvoiceLine: l.InvoiceLine, PONumber: l.PONumber, POLine: l.POLine, How: l.How,
			InvoicedQty: decStr(l.InvoicedQty), OrderedQty: decStr(l.OrderedQty), ReceivedQty: decStr(l.ReceivedQty),
			PreviouslyBilled: decStr(l.PreviouslyBilled), InvoicePrice: decStr(l.InvoicePrice), POPrice: decStr(l.POPrice),
			PriceVariance: decStr(l.PriceVariance), QtyVariance: decStr(l.QtyVariance), Status: l.Status, Explanation: l.Explanation})
	}
	for _, f := range m.Findings {
		mv.Findings = append(mv.Findings, FindingView{Code: f.Code, Severity: f.Severity, Message: f.Message, Fields: strs(f.Fields)})
	}
	v.Match = mv
	return v
}

func decStr(d decimal.Decimal) string { return d.String() }
