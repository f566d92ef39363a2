package core

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/intake"
)

func TestRenderPageOfASealedPDF(t *testing.T) {
	_, ss := team(t)
	carl := ss["carl"]
	id := importOne(t, carl, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	p, err := carl.RenderPage(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.MIME != "image/png" || p.Page != 1 || p.Pages < 1 || p.DPI != RenderDPI {
		t.Fatalf("page: %+v", p)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(p.Data))
	if err != nil || cfg.Width != p.Width || cfg.Height != p.Height || p.Width < 900 || p.Height < p.Width {
		t.Fatalf("png %+v %v, page %dx%d", cfg, err, p.Width, p.Height)
	}
	if _, err := carl.RenderPage(ctx, id, p.Pages+1); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("page past the end: %v", err)
	}
	if _, err := carl.RenderPage(ctx, id, 0); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("page 0: %v", err)
	}
	// Out of scope looks like missing, for the page as for the invoice.
	if _, err := carl.Set(ctx, id, map[string]string{"cost_centre": "CC-9"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ss["anna"].RenderPage(ctx, id, 1); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("anna, out of scope: %v", err)
	}
	carl.Lock()
	if _, err := carl.RenderPage(ctx, id, 1); apperr.CodeOf(err) != apperr.Locked {
		t.Fatalf("locked: %v", err)
	}
}

func TestRenderPageOfXMLSaysThereIsNone(t *testing.T) {
	_, ss := team(t)
	id := importOne(t, ss["carl"], "en16931-cen-examples/cii/examples/CII_example1.xml")
	if _, err := ss["carl"].RenderPage(ctx, id, 1); err != ErrNoPage {
		t.Fatalf("xml: %v", err)
	}
}

func testImage() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 40, 60))
	img.SetGray(3, 4, color.Gray{Y: 9})
	return img
}

// Scans are shown as imported; TIFF, which webviews do not show, as PNG.
func TestScansShownAsTheyAre(t *testing.T) {
	var pb, tb bytes.Buffer
	if err := png.Encode(&pb, testImage()); err != nil {
		t.Fatal(err)
	}
	p, err := scanAsIs(pb.Bytes(), intake.KindPNG, 1)
	if err != nil || !bytes.Equal(p.Data, pb.Bytes()) || p.Width != 40 || p.Height != 60 || p.MIME != "image/png" {
		t.Fatalf("png: %+v %v", p, err)
	}
	if _, err := scanAsIs(pb.Bytes(), intake.KindPNG, 2); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("page 2 of a png: %v", err)
	}
	if _, err := scanAsIs([]byte("not an image"), intake.KindJPEG, 1); apperr.CodeOf(err) != apperr.UnsupportedFormat {
		t.Fatalf("broken jpeg: %v", err)
	}
	if err := tiff.Encode(&tb, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	tp, err := tiffPage(tb.Bytes(), 1)
	if err != nil || tp.MIME != "image/png" || tp.Width != 40 || tp.Height != 60 {
		t.Fatalf("tiff: %+v %v", tp, err)
	}
	img, err := png.Decode(bytes.NewReader(tp.Data))
	if err != nil || img.At(3, 4).(color.Gray).Y != 9 {
		t.Fatalf("tiff pixels not kept: %v", err)
	}
}
