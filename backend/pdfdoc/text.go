package pdfdoc

import (
	"math"
	"strings"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
)

// TextRun is a piece of text on one line in one font, as PDFium groups the
// characters, with its box on the page as a reader sees it: in PDF points
// (1/72 inch), origin at the top-left corner of the visible page (crop
// box), x to the right, y down, the page's /Rotate applied.
type TextRun struct {
	Page       int // 1-based page number
	Text       string
	X, Y, W, H float64
	FontSize   float64 // effective size in points (font size × text scaling)
}

// PageText returns the runs of every page, in PDFium's reading order, one
// slice per page. Runs of white space only are left out. A page PDFium
// cannot load gives an empty slice.
// Errors: ErrBroken (also for a PDF without pages), ErrEncrypted, ErrClosed.
func (e *Engine) PageText(pdf []byte) ([][]TextRun, error) {
	var pages [][]TextRun
	err := e.withDoc(pdf, func(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) error {
		n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
		if err != nil {
			return crashed("page count", err)
		}
		if n.PageCount <= 0 {
			return broken(nil, "The PDF has no pages.")
		}
		pages = make([][]TextRun, n.PageCount)
		for i := range pages {
			if pages[i], err = pageRuns(inst, doc, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
}

func pageRuns(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) ([]TextRun, error) {
	p, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		if pdfiumFailed(err) {
			return nil, crashed("load page", err)
		}
		return nil, nil
	}
	defer func() { _, _ = inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: p.Page}) }()
	page := requests.Page{ByReference: &p.Page}
	geo, err := pageGeometry(inst, page)
	if err != nil {
		return nil, crashed("page box", err)
	}
	// go-pdfium groups characters into PDFium's text rectangles on the Go
	// side; the alternatives through its public API (FPDFText_GetBoundedText
	// per rectangle, per-character wrappers) make more or heavier
	// WebAssembly calls and measured 2× slower.
	st, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{
		Page: page, Mode: requests.GetPageTextStructuredModeRects, CollectFontInformation: true,
	})
	if err != nil {
		return nil, crashed("page text", err)
	}
	runs := make([]TextRun, 0, len(st.Rects))
	for _, r := range st.Rects {
		if strings.TrimSpace(r.Text) == "" {
			continue
		}
		p := r.PointPosition
		run := geo.place(p.Left, p.Bottom, p.Right, p.Top)
		run.Page, run.Text, run.FontSize = index+1, r.Text, fontSize(r.FontInformation)
		runs = append(runs, run)
	}
	return runs, nil
}

// fontSize prefers the rendered size (font size × text matrix scale), since
// many writers set a 1 pt font and scale it.
func fontSize(fi *responses.FontInformation) float64 {
	switch {
	case fi == nil:
		return 0
	case fi.RenderedSize > 0:
		return fi.RenderedSize
	}
	return fi.Size
}

// geometry maps PDF user space (origin bottom-left, y up, unrotated) to
// the page as displayed: top-left origin, y down, /Rotate applied.
type geometry struct {
	l, b, r, t float64 // the visible page box in user space
	rot        int     // quarter turns clockwise
}

func pageGeometry(inst pdfium.Pdfium, page requests.Page) (geometry, error) {
	box, err := inst.FPDF_GetPageBoundingBox(&requests.FPDF_GetPageBoundingBox{Page: page})
	if err != nil {
		return geometry{}, err
	}
	rot, err := inst.FPDFPage_GetRotation(&requests.FPDFPage_GetRotation{Page: page})
	if err != nil {
		return geometry{}, err
	}
	x1, x2 := float64(box.Rect.Left), float64(box.Rect.Right)
	y1, y2 := float64(box.Rect.Bottom), float64(box.Rect.Top)
	return geometry{
		l: math.Min(x1, x2), r: math.Max(x1, x2), b: math.Min(y1, y2), t: math.Max(y1, y2),
		rot: int(rot.PageRotation) & 3,
	}, nil
}

// point maps one user-space point. Rotating clockwise by 90° puts the
// box's left edge at the top and its top edge at the right.
func (g geometry) point(x, y float64) (float64, float64) {
	switch g.rot {
	case 1:
		return y - g.b, x - g.l
	case 2:
		return g.r - x, y - g.b
	case 3:
		return g.t - y, g.r - x
	}
	return x - g.l, g.t - y
}

// place maps a user-space rectangle.
func (g geometry) place(left, bottom, right, top float64) TextRun {
	x1, y1 := g.point(left, bottom)
	x2, y2 := g.point(right, top)
	return TextRun{
		X: math.Min(x1, x2), Y: math.Min(y1, y2),
		W: math.Abs(x2 - x1), H: math.Abs(y2 - y1),
	}
}
