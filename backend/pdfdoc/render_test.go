package pdfdoc

import (
	"errors"
	"image"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
)

const renderSample = "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf" // two A4 pages

// Sizes follow the dpi, pages are grey on white, and the text PageText
// reports sits where the rendered page has ink: both use the same
// coordinates (top-left origin, points = pixels·72/dpi).
func TestRenderPage(t *testing.T) {
	e := engine(t)
	data := readCorpus(t, renderSample)
	img, n, err := e.RenderPage(data, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("page count %d, want 2", n)
	}
	if b := img.Bounds(); b.Min != (image.Point{}) || b.Dx() != 2480 || b.Dy() < 3508 || b.Dy() > 3509 {
		t.Errorf("A4 at 300 dpi: %v, want 2480×3508 (rounded up)", b)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("image type %T, want *image.Gray", img)
	}
	if c := g.GrayAt(5, 5).Y; c != 255 {
		t.Errorf("corner %d, want white paper", c)
	}

	pages, err := e.PageText(data)
	if err != nil {
		t.Fatal(err)
	}
	const scale = 300.0 / 72
	inked := 0
	for _, r := range pages[0] {
		box := image.Rect(int(r.X*scale), int(r.Y*scale), int((r.X+r.W)*scale)+1, int((r.Y+r.H)*scale)+1)
		if darkest(g, box) < 200 { // grey text too
			inked++
		} else {
			t.Logf("no ink under %q at %v", r.Text, box)
		}
	}
	if inked == 0 || inked < len(pages[0])*9/10 {
		t.Errorf("ink under %d of %d text runs", inked, len(pages[0]))
	}
}

func darkest(g *image.Gray, r image.Rectangle) uint8 {
	m := uint8(255)
	r = r.Intersect(g.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			m = min(m, g.GrayAt(x, y).Y)
		}
	}
	return m
}

func TestRenderPages(t *testing.T) {
	e := engine(t)
	imgs, err := e.RenderPages(readCorpus(t, renderSample), 72)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 2 {
		t.Fatalf("%d pages, want 2", len(imgs))
	}
	for i, img := range imgs {
		if b := img.Bounds(); b.Dx() != 595 || b.Dy() != 842 && b.Dy() != 843 {
			t.Errorf("page %d at 72 dpi: %v, want 595×842 (A4 in points)", i+1, b)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	e := engine(t)
	data := readCorpus(t, renderSample)
	for _, tc := range []struct {
		name      string
		page, dpi int
		code      apperr.Code
	}{
		{"page 0", 0, 72, apperr.InvalidInput},
		{"page past the end", 3, 72, apperr.InvalidInput},
		{"dpi 0", 1, 0, apperr.InvalidInput},
		{"dpi too high", 1, 5000, apperr.InvalidInput},
		{"too many pixels", 1, 1200, apperr.TooLarge}, // A4 at 1200 dpi: 140 million
	} {
		if _, _, err := e.RenderPage(data, tc.page, tc.dpi); apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := e.RenderPages([]byte("%PDF-1.7\nnot really"), 72); !errors.Is(err, ErrBroken) {
		t.Errorf("broken PDF: %v, want ErrBroken", err)
	}
	if _, _, err := e.RenderPage(nil, 1, 72); !errors.Is(err, ErrBroken) {
		t.Errorf("empty PDF: %v, want ErrBroken", err)
	}
}
