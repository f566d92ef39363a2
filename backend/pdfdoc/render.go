package pdfdoc

import (
	"errors"
	"image"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/smartap/desktop/backend/apperr"
)

// Render limits. A PDF may declare any page size, so the pixels of one page
// and of one RenderPages call are bounded before anything is allocated.
const (
	maxRenderDPI = 1200
	// maxRenderPixels is one page: A3 at 600 dpi (≈ 69.6 million pixels,
	// 70 MB in grey). A4 at 300 dpi is 8.7 million.
	maxRenderPixels = 70_000_000
	// maxRenderTotalPixels is all pages of one RenderPages call (400 MB in
	// grey, ≈ 46 A4 pages at 300 dpi). Longer documents: RenderPage.
	maxRenderTotalPixels = 400_000_000
)

// RenderPages renders every page of pdf at dpi, like RenderPage, and
// returns them in order. All pages are held at once (≈ 8.7 MB per A4 page at
// 300 dpi); to work through a long document page by page, use RenderPage.
// Errors: as RenderPage; apperr.TooLarge when all pages together exceed
// 400 million pixels.
func (e *Engine) RenderPages(pdf []byte, dpi int) ([]image.Image, error) {
	first, n, err := e.RenderPage(pdf, 1, dpi)
	if err != nil {
		return nil, err
	}
	pages := make([]image.Image, 0, n)
	pages = append(pages, first)
	total := pixels(first)
	for p := 2; p <= n; p++ {
		img, _, err := e.RenderPage(pdf, p, dpi)
		if err != nil {
			return nil, err
		}
		if total += pixels(img); total > maxRenderTotalPixels {
			return nil, apperr.New(apperr.TooLarge,
				"The PDF's %d pages are too large to render together at %d dpi.", n, dpi)
		}
		pages = append(pages, img)
	}
	return pages, nil
}

// RenderPage renders one page (1-based) of pdf at dpi as a viewer shows it
// on white paper: the crop box, the page's /Rotate applied, annotations
// drawn from their appearance streams (form fields included, no form
// scripts run), in 8-bit grey (an *image.Gray), which is what OCR reads. It
// also returns the document's page count, so a caller can go on to the next
// page. Pixel (x, y) is the point (x, y)·72/dpi in TextRun coordinates.
// Each call opens the document anew and runs under the engine's time limit.
// Errors: ErrBroken (also for a page PDFium cannot load), ErrEncrypted,
// ErrClosed; apperr.InvalidInput for a page or dpi out of range;
// apperr.TooLarge for a page over 70 million pixels at dpi (A3 at 600 dpi).
func (e *Engine) RenderPage(pdf []byte, page, dpi int) (image.Image, int, error) {
	if dpi < 1 || dpi > maxRenderDPI {
		return nil, 0, apperr.New(apperr.InvalidInput, "Cannot render at %d dpi (1 to %d).", dpi, maxRenderDPI)
	}
	var (
		img *image.Gray
		n   int
	)
	err := e.withDoc(pdf, func(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) error {
		cnt, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
		if err != nil {
			return crashed("page count", err)
		}
		if n = cnt.PageCount; n <= 0 {
			return broken(nil, "The PDF has no pages.")
		}
		if page < 1 || page > n {
			return apperr.New(apperr.InvalidInput, "The PDF has no page %d (it has %d).", page, n)
		}
		img, err = renderPage(inst, doc, page, dpi)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return img, n, nil
}

func renderPage(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, page, dpi int) (*image.Gray, error) {
	p, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: page - 1})
	if err != nil {
		if pdfiumFailed(err) {
			return nil, crashed("load page", err)
		}
		return nil, broken(err, "Page %d of the PDF is damaged and cannot be shown.", page)
	}
	defer func() { _, _ = inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: p.Page}) }()
	ref := requests.Page{ByReference: &p.Page}
	size, err := inst.GetPageSizeInPixels(&requests.GetPageSizeInPixels{Page: ref, DPI: dpi})
	if err != nil {
		return nil, crashed("page size", err)
	}
	if size.Width <= 0 || size.Height <= 0 {
		return nil, broken(nil, "Page %d of the PDF has no area.", page)
	}
	if int64(size.Width)*int64(size.Height) > maxRenderPixels {
		return nil, apperr.New(apperr.TooLarge, "Page %d of the PDF is too large to render at %d dpi (%d × %d pixels).",
			page, dpi, size.Width, size.Height)
	}
	r, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{
		Page: ref, DPI: dpi,
		// Annotation appearance streams, as viewers and pdftoppm show them.
		// RenderForm would need a form-fill environment, which pdfdoc never
		// sets up (document scripts run there).
		RenderFlags: enums.FPDF_RENDER_FLAG_ANNOT,
		// Grey bitmaps are filled white; RGBA ones are transparent black
		// under a page with transparency, which OCR would read as ink.
		ImageFormat: requests.RenderImageFormatGrayscale,
	})
	if err != nil {
		return nil, crashed("render", err)
	}
	defer r.Cleanup() // the pixels live in PDFium's memory until then
	src, ok := r.Result.RenderedImage.(*image.Gray)
	if !ok || src == nil {
		return nil, crashed("render", errUnexpectedImage)
	}
	// Copy out of the WebAssembly memory, dropping PDFium's row padding.
	b := src.Bounds()
	dst := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		copy(dst.Pix[y*dst.Stride:(y+1)*dst.Stride], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
	}
	return dst, nil
}

var errUnexpectedImage = errors.New("unexpected image type from PDFium")

func pixels(img image.Image) int64 {
	b := img.Bounds()
	return int64(b.Dx()) * int64(b.Dy())
}
