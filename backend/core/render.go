package core

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"path/filepath"

	"golang.org/x/image/tiff"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/attach"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
)

// RenderDPI is the resolution pages are shown at: A4 becomes 1034 × 1462
// pixels, sharp beside the fields at the review screen's width and about
// 150 to 300 KB as a grey PNG.
const RenderDPI = 125

// maxOriginal bounds the sealed original read back for showing (intake
// accepts 50 MiB by default; a folder's own setting may be lower).
const maxOriginal = 256 << 20

// PageImage is one page of an invoice's original, ready to show: a PNG
// rendered from a PDF (or a TIFF scan), or a PNG or JPEG scan as it was
// imported.
type PageImage struct {
	MIME   string // image/png or image/jpeg
	Data   []byte
	Width  int // pixels
	Height int
	Page   int // 1-based
	Pages  int
	DPI    int // the PDF's render resolution; 0 for a scan shown as it is
}

// ErrNoPage is returned for an invoice received as XML: it has no page.
var ErrNoPage = &apperr.Error{Code: apperr.NotFound, Message: "this invoice was received as XML data: it has no page to show"}

// RenderPage shows page (1-based) of an invoice's sealed original. Reading
// the original is audited like showing the invoice; rendering runs outside
// any transaction.
func (s *Session) RenderPage(ctx context.Context, id string, page int) (PageImage, error) {
	if page < 1 {
		return PageImage{}, apperr.New(apperr.InvalidInput, "pages are numbered from 1")
	}
	var src store.InvoiceSource
	var sum string
	err := s.do(ctx, identity.InvoiceShow, id, func(tx *store.Tx, rec *record) error {
		r, err := s.visible(tx, id)
		src, sum, rec.Reason = r.Source, r.SHA256, "showed the original's page"
		return err
	})
	if err != nil {
		return PageImage{}, err
	}
	if src.Kind == string(intake.KindXML) {
		return PageImage{}, ErrNoPage
	}
	switch {
	case src.Attachment == "" && sum != "":
		// Synced from another desktop: the original travels separately.
		return PageImage{}, apperr.New(apperr.Unavailable, "the original of this invoice has not been downloaded from the sync server yet; sync, then try again")
	case src.Attachment == "":
		return PageImage{}, apperr.New(apperr.NotFound, "the original file of this invoice is not kept")
	}
	data, err := s.readOriginal(src.Attachment)
	if err != nil {
		return PageImage{}, err
	}
	switch intake.Kind(src.Kind) {
	case intake.KindPDF:
		return s.renderPDF(ctx, data, page)
	case intake.KindPNG, intake.KindJPEG:
		return scanAsIs(data, intake.Kind(src.Kind), page)
	case intake.KindTIFF:
		return tiffPage(data, page)
	}
	return PageImage{}, apperr.New(apperr.UnsupportedFormat, "a %s original cannot be shown", src.Kind)
}

// readOriginal opens the sealed original; the attachment key lives only
// for the call.
func (s *Session) readOriginal(name string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.keys == nil {
		return nil, ErrSessionLocked
	}
	key := vault.Subkey(s.dek, vault.PurposeAttachments)
	defer key.Wipe()
	st, err := attach.Open(filepath.Join(s.c.opts.DataDir, "attachments"), key)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot open the attachments folder")
	}
	rc, err := st.Open(name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.NotFound, "the original file of this invoice is missing")
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxOriginal+1))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Integrity, "the original file of this invoice does not authenticate")
	}
	if len(data) > maxOriginal {
		return nil, apperr.New(apperr.TooLarge, "the original file is too large to show")
	}
	return data, nil
}

func (s *Session) renderPDF(ctx context.Context, data []byte, page int) (PageImage, error) {
	eng, err := s.c.extractor.PDFEngine(ctx)
	if err != nil {
		return PageImage{}, err
	}
	img, n, err := eng.RenderPage(data, page, RenderDPI)
	if err != nil {
		return PageImage{}, err
	}
	out, err := encodePNG(img)
	if err != nil {
		return PageImage{}, err
	}
	out.Page, out.Pages, out.DPI = page, n, RenderDPI
	return out, nil
}

func encodePNG(img image.Image) (PageImage, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return PageImage{}, apperr.Wrap(err, apperr.Internal, "the page could not be encoded")
	}
	b := img.Bounds()
	return PageImage{MIME: "image/png", Data: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
}

// scanAsIs hands a PNG or JPEG over unchanged: the webview decodes it.
func scanAsIs(data []byte, kind intake.Kind, page int) (PageImage, error) {
	if page != 1 {
		return PageImage{}, apperr.New(apperr.InvalidInput, "the scan has no page %d (it has 1)", page)
	}
	decode, mime := png.DecodeConfig, "image/png"
	if kind == intake.KindJPEG {
		decode, mime = jpeg.DecodeConfig, "image/jpeg"
	}
	cfg, err := decode(bytes.NewReader(data))
	if err != nil {
		return PageImage{}, apperr.Wrap(err, apperr.UnsupportedFormat, "the scan cannot be shown: it is not a readable image")
	}
	return PageImage{MIME: mime, Data: data, Width: cfg.Width, Height: cfg.Height, Page: 1, Pages: 1}, nil
}

// tiffPage shows a TIFF scan as PNG (webviews do not show TIFF). Only its
// first image is decoded; x/image/tiff reads no further pages.
func tiffPage(data []byte, page int) (PageImage, error) {
	if page != 1 {
		return PageImage{}, apperr.New(apperr.InvalidInput, "only the first page of a TIFF scan can be shown")
	}
	cfg, err := tiff.DecodeConfig(bytes.NewReader(data))
	if err == nil && int64(cfg.Width)*int64(cfg.Height) > 70_000_000 {
		err = errors.New("too many pixels")
	}
	if err != nil {
		return PageImage{}, apperr.Wrap(err, apperr.UnsupportedFormat, "the scan cannot be shown")
	}
	img, err := tiff.Decode(bytes.NewReader(data))
	if err != nil {
		return PageImage{}, apperr.Wrap(err, apperr.UnsupportedFormat, "the scan cannot be shown")
	}
	out, err := encodePNG(img)
	out.Page, out.Pages = 1, 1
	return out, err
}
