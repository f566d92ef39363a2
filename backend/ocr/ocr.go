// Package ocr reads the words of scanned invoices (PNG, JPEG, TIFF images
// and image-only PDFs) with Tesseract, as positioned pdfdoc.TextRun values
// that the page reader takes like PDF text (ARCHITECTURE.md §3.3).
//
// Tesseract is a C++ library (cgo, github.com/otiai10/gosseract/v2), so it
// is behind the build tag "ocr": with it (and libtesseract-dev installed,
// scripts/deps.sh), New starts the real engine; without it, or without cgo
// (the Windows cross-build), New returns an apperr.Unavailable error and
// the rest of the app builds and runs without Tesseract. Everything else
// here (decoding images, walking PDF pages) is plain Go, in both builds.
//
// Untrusted bytes never reach Tesseract or Leptonica: images are decoded in
// Go (with size limits) and handed over as an uncompressed grey bitmap.
package ocr

import (
	"context"
	"errors"
	"image"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// Engine finds the words on a page image.
//
// Words returns one TextRun per word, in reading order, boxes in points
// (pixels × 72/dpi) from the image's top-left corner, so they line up with
// pdfdoc.PageText runs of the same page rendered at that dpi. Page is left
// 0 (the caller knows the page) and FontSize 0 (OCR does not know it; H is
// the height of the word's ink). The dpi comes from a DPI() float64 method
// of img when it has one (WithDPI; Image and PDF set it), else it is
// estimated as for a full A4 page (see ImageDPI). A page without text gives
// no runs and no error.
type Engine interface {
	Words(ctx context.Context, img image.Image) ([]pdfdoc.TextRun, error)
}

// DefaultLanguages are the Tesseract languages New uses when given none.
var DefaultLanguages = []string{"eng", "deu", "fra"}

// ErrUnavailable is wrapped (with apperr.Unavailable) by New's errors when
// this build has no OCR or Tesseract's language data is missing, and by
// Words after Close.
var ErrUnavailable = errors.New("ocr: unavailable")

// Limits on what is read.
const (
	// MaxPages is the most pages Image (multi-page TIFF) and PDF read; a
	// longer document is refused with apperr.TooLarge rather than kept busy
	// for minutes (OCR takes about a second per page).
	MaxPages = 50
	// MaxPixels bounds one page image: A3 at 600 dpi (≈ 69.6 million
	// pixels). Larger images are refused with apperr.TooLarge before they
	// are decoded.
	MaxPixels = 70_000_000
	// PDFDPI is the resolution PDF renders pages at for OCR.
	PDFDPI = 300
)

// Renderer renders PDF pages; *pdfdoc.Engine is one.
type Renderer interface {
	RenderPage(pdf []byte, page, dpi int) (image.Image, int, error)
}

// PDF renders each page of pdf at 300 dpi and reads its words, one slice
// per page (Page set, 1-based). It reads every page, text layer or not:
// whether a page needs OCR is the caller's call. Pages are rendered and
// read one at a time, so memory stays at one page whatever the length.
// ctx is checked between pages (Tesseract cannot be interrupted within
// one, ≈ 1 s). Errors: those of RenderPage (pdfdoc.ErrBroken,
// ErrEncrypted, …), apperr.TooLarge beyond MaxPages, ctx.Err(), Words'.
func PDF(ctx context.Context, e Engine, pdf Renderer, data []byte) ([][]pdfdoc.TextRun, error) {
	var pages [][]pdfdoc.TextRun
	for p, n := 1, 1; p <= n; p++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img, count, err := pdf.RenderPage(data, p, PDFDPI)
		if err != nil {
			return nil, err
		}
		if n = count; n > MaxPages {
			return nil, tooManyPages(n)
		}
		runs, err := e.Words(ctx, WithDPI(img, PDFDPI))
		if err != nil {
			return nil, err
		}
		pages = append(pages, setPage(runs, p))
	}
	return pages, nil
}

// Image decodes a PNG, JPEG or TIFF (every page of a multi-page TIFF) and
// reads its words, one slice per page (Page set, 1-based). The dpi of the
// file's metadata (PNG pHYs, JFIF, EXIF, TIFF tags) scales the boxes; an
// EXIF or TIFF orientation is applied first, as viewers do. Errors:
// apperr.InvalidInput for a damaged image, apperr.UnsupportedFormat for
// another kind or an unsupported variant (e.g. JPEG-compressed TIFF),
// apperr.TooLarge beyond MaxPixels or MaxPages, ctx.Err(), Words'.
func Image(ctx context.Context, e Engine, data []byte, kind intake.Kind) ([][]pdfdoc.TextRun, error) {
	src, err := openImage(data, kind)
	if err != nil {
		return nil, err
	}
	pages := make([][]pdfdoc.TextRun, 0, src.pages)
	for i := range src.pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img, err := src.page(i)
		if err != nil {
			return nil, err
		}
		runs, err := e.Words(ctx, img)
		if err != nil {
			return nil, err
		}
		pages = append(pages, setPage(runs, i+1))
	}
	return pages, nil
}

func setPage(runs []pdfdoc.TextRun, page int) []pdfdoc.TextRun {
	for i := range runs {
		runs[i].Page = page
	}
	if runs == nil {
		runs = []pdfdoc.TextRun{}
	}
	return runs
}

func tooManyPages(n int) error {
	return apperr.New(apperr.TooLarge, "The document has %d pages; OCR reads at most %d.", n, MaxPages)
}
