package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"sync"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// fakeEngine records what it is asked to read and answers one word in the
// image's top-left corner, in points at the image's dpi.
type fakeEngine struct {
	mu   sync.Mutex
	imgs []image.Image
	err  error
}

func (f *fakeEngine) Words(ctx context.Context, img image.Image) ([]pdfdoc.TextRun, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.imgs = append(f.imgs, img)
	if f.err != nil {
		return nil, f.err
	}
	b := img.Bounds()
	s := 72 / dpiOf(img)
	return []pdfdoc.TextRun{{Text: "w", W: float64(b.Dx()) * s, H: float64(b.Dy()) * s}}, nil
}

func grayImage(w, h int, fill uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = fill
	}
	return g
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withPNGChunk inserts a chunk after IHDR.
func withPNGChunk(b []byte, typ string, body []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	var c bytes.Buffer
	_ = binary.Write(&c, binary.BigEndian, uint32(len(body)))
	c.WriteString(typ)
	c.Write(body)
	_ = binary.Write(&c, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), body...)))
	out := append([]byte{}, b[:ihdrEnd]...)
	out = append(out, c.Bytes()...)
	return append(out, b[ihdrEnd:]...)
}

func pHYs(dpi float64) []byte {
	b := make([]byte, 9)
	ppm := uint32(math.Round(dpi / 0.0254))
	binary.BigEndian.PutUint32(b[0:], ppm)
	binary.BigEndian.PutUint32(b[4:], ppm)
	b[8] = 1
	return b
}

func TestImagePNG(t *testing.T) {
	f := &fakeEngine{}
	data := withPNGChunk(encodePNG(t, grayImage(200, 100, 255)), "pHYs", pHYs(200))
	pages, err := Image(context.Background(), f, data, intake.KindPNG)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || len(pages[0]) != 1 || pages[0][0].Page != 1 {
		t.Fatalf("pages %v", pages)
	}
	// 200 px at 200 dpi: one inch, 72 points.
	if w := pages[0][0]; math.Abs(w.W-72) > 0.5 || math.Abs(w.H-36) > 0.5 {
		t.Errorf("box %.1f × %.1f pt, want 72 × 36", w.W, w.H)
	}
}

func TestImageDPI(t *testing.T) {
	a4 := image.Rect(0, 0, 2480, 3508)
	for _, tc := range []struct {
		b    image.Rectangle
		dpi  float64
		want float64
	}{
		{a4, 300, 300},
		{a4, 0, 300},     // no metadata: an A4 page
		{a4, 72, 72},     // plausible, taken as given
		{a4, 1, 300},     // implausible: estimated
		{a4, 96000, 300}, // implausible: estimated
		{image.Rect(0, 0, 3508, 2480), 0, 300},
		{image.Rect(0, 0, 100, 100), 0, 70}, // never under Tesseract's minimum
	} {
		if got := ImageDPI(tc.b, tc.dpi); math.Abs(got-tc.want) > 0.5 {
			t.Errorf("ImageDPI(%v, %v) = %.1f, want %v", tc.b, tc.dpi, got, tc.want)
		}
	}
	if got := dpiOf(WithDPI(WithDPI(grayImage(10, 10, 0), 150), 600)); got != 600 {
		t.Errorf("WithDPI twice: %v", got)
	}
}

// jpegWith encodes img as JPEG with segs (APP0, APP1, …) after SOI.
func jpegWith(t *testing.T, img image.Image, segs ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	out := append([]byte{}, b[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, b[2:]...)
}

func segment(marker byte, body []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(body)+2))
	return append(s, body...)
}

func jfif(units byte, density uint16) []byte {
	body := []byte("JFIF\x00\x01\x02")
	body = append(body, units)
	body = binary.BigEndian.AppendUint16(body, density)
	body = binary.BigEndian.AppendUint16(body, density)
	return segment(0xE0, append(body, 0, 0))
}

// exif builds an APP1 EXIF segment with an orientation and a resolution.
func exif(orientation uint16, dpi uint32) []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00")
	t = le.AppendUint32(t, 8)
	t = le.AppendUint16(t, 3)
	entry := func(tag, typ uint16, count, val uint32) {
		t = le.AppendUint16(t, tag)
		t = le.AppendUint16(t, typ)
		t = le.AppendUint32(t, count)
		t = le.AppendUint32(t, val)
	}
	entry(tagOrientation, 3, 1, uint32(orientation))
	entry(tagXResolution, 5, 1, 8+2+3*12+4) // the rational follows the IFD
	entry(tagResolutionUnit, 3, 1, 2)
	t = le.AppendUint32(t, 0)
	t = le.AppendUint32(t, dpi)
	t = le.AppendUint32(t, 1)
	return segment(0xE1, append([]byte("Exif\x00\x00"), t...))
}

func TestImageJPEG(t *testing.T) {
	// A tall image stored lying down (EXIF orientation 6, as phones do): Words
	// gets it upright, width and height swapped.
	img := grayImage(300, 100, 255)
	for x := 0; x < 10; x++ { // a dark mark at the stored top-left
		for y := 0; y < 10; y++ {
			img.SetGray(x, y, color.Gray{})
		}
	}
	for name, tc := range map[string]struct {
		data []byte
		w, h int
		dpi  float64
	}{
		"JFIF dpi":            {jpegWith(t, img, jfif(1, 150)), 300, 100, 150},
		"JFIF dots per cm":    {jpegWith(t, img, jfif(2, 118)), 300, 100, 299.72},
		"JFIF aspect only":    {jpegWith(t, img, jfif(0, 1)), 300, 100, 70},
		"EXIF orientation 6":  {jpegWith(t, img, exif(6, 200)), 100, 300, 200},
		"JFIF and EXIF":       {jpegWith(t, img, jfif(1, 300), exif(1, 72)), 300, 100, 300},
		"no metadata":         {jpegWith(t, img), 300, 100, 70},
		"EXIF orientation 99": {jpegWith(t, img, exif(99, 200)), 300, 100, 200},
	} {
		f := &fakeEngine{}
		if _, err := Image(context.Background(), f, tc.data, intake.KindJPEG); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := f.imgs[0]
		if b := got.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h || math.Abs(dpiOf(got)-tc.dpi) > 0.5 {
			t.Errorf("%s: %v at %.2f dpi, want %d×%d at %v", name, b, dpiOf(got), tc.w, tc.h, tc.dpi)
		}
		if name == "EXIF orientation 6" { // turned clockwise: the mark is now top-right
			g := got.(dpiImage).Image.(*image.Gray)
			if g.GrayAt(95, 5).Y > 64 || g.GrayAt(5, 5).Y < 192 {
				t.Errorf("%s: mark not turned to the top-right", name)
			}
		}
	}
}

func TestOrient(t *testing.T) {
	// 3×2 image with distinct pixels; each orientation against its definition.
	src := image.NewGray(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(10 * (i + 1))
	}
	want := map[int][]uint8{ // displayed rows, top to bottom
		2: {30, 20, 10, 60, 50, 40},
		3: {60, 50, 40, 30, 20, 10},
		4: {40, 50, 60, 10, 20, 30},
		5: {10, 40, 20, 50, 30, 60},
		6: {40, 10, 50, 20, 60, 30},
		7: {60, 30, 50, 20, 40, 10},
		8: {30, 60, 20, 50, 10, 40},
	}
	for o, w := range want {
		g := orient(src, o).(*image.Gray)
		if !bytes.Equal(g.Pix, w) {
			t.Errorf("orientation %d: %v, want %v", o, g.Pix, w)
		}
	}
}

// tiffPage is one page of a hand-built multi-page TIFF.
type tiffPage struct {
	w, h    int
	fill    uint8
	dpi     uint32 // 0: no XResolution
	reduced bool
	comp    uint16 // 0: none (1)
}

type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// buildTIFF writes uncompressed 8-bit grey pages, each with its own IFD,
// chained, little or big endian.
func buildTIFF(pages []tiffPage, bo byteOrder) []byte {
	var b []byte
	if bo == binary.BigEndian {
		b = []byte("MM\x00*")
	} else {
		b = []byte("II*\x00")
	}
	b = bo.AppendUint32(b, 0) // patched below
	prevNext := 4
	for _, p := range pages {
		stripOff := len(b)
		for range p.w * p.h {
			b = append(b, p.fill)
		}
		resOff := len(b)
		b = bo.AppendUint32(b, p.dpi)
		b = bo.AppendUint32(b, 1)
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
		ifd := len(b)
		bo.PutUint32(b[prevNext:], uint32(ifd))
		type ent struct {
			tag, typ uint16
			val      uint32
		}
		comp := p.comp
		if comp == 0 {
			comp = 1
		}
		var es []ent
		if p.reduced {
			es = append(es, ent{254, 4, 1})
		}
		es = append(es, ent{256, 4, uint32(p.w)}, ent{257, 4, uint32(p.h)}, ent{258, 3, 8}, ent{259, 3, uint32(comp)},
			ent{262, 3, 1}, ent{273, 4, uint32(stripOff)}, ent{277, 3, 1}, ent{278, 4, uint32(p.h)},
			ent{279, 4, uint32(p.w * p.h)})
		if p.dpi != 0 {
			es = append(es, ent{282, 5, uint32(resOff)}, ent{296, 3, 2})
		}
		b = bo.AppendUint16(b, uint16(len(es)))
		for _, e := range es {
			b = bo.AppendUint16(b, e.tag)
			b = bo.AppendUint16(b, e.typ)
			b = bo.AppendUint32(b, 1)
			if e.typ == 3 && bo == binary.BigEndian { // SHORT values sit left-justified
				b = bo.AppendUint16(b, uint16(e.val))
				b = bo.AppendUint16(b, 0)
			} else {
				b = bo.AppendUint32(b, e.val)
			}
		}
		prevNext = len(b)
		b = bo.AppendUint32(b, 0)
	}
	return b
}

func TestImageTIFF(t *testing.T) {
	for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		data := buildTIFF([]tiffPage{
			{w: 40, h: 30, fill: 10, dpi: 200},
			{w: 8, h: 6, fill: 99, reduced: true}, // a thumbnail: skipped
			{w: 50, h: 20, fill: 20, dpi: 300},
			{w: 60, h: 10, fill: 30},
		}, bo)
		f := &fakeEngine{}
		pages, err := Image(context.Background(), f, data, intake.KindTIFF)
		if err != nil {
			t.Fatalf("%v: %v", bo, err)
		}
		if len(pages) != 3 || pages[2][0].Page != 3 {
			t.Fatalf("%v: %d pages, want 3", bo, len(pages))
		}
		for i, want := range []struct {
			w    int
			fill uint8
			dpi  float64
		}{{40, 10, 200}, {50, 20, 300}, {60, 30, 70}} {
			img := f.imgs[i]
			if img.Bounds().Dx() != want.w || dpiOf(img) != want.dpi {
				t.Errorf("%v page %d: %v at %v dpi, want width %d at %v", bo, i+1, img.Bounds(), dpiOf(img), want.w, want.dpi)
			}
			if r, _, _, _ := img.At(0, 0).RGBA(); uint8(r>>8) != want.fill {
				t.Errorf("%v page %d: pixel %d, want %d (wrong page decoded)", bo, i+1, r>>8, want.fill)
			}
		}
	}
	// A TIFF written by x/image/tiff itself (one page, deflate).
	var buf bytes.Buffer
	if err := tiff.Encode(&buf, grayImage(30, 20, 128), &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	if pages, err := Image(context.Background(), &fakeEngine{}, buf.Bytes(), intake.KindTIFF); err != nil || len(pages) != 1 {
		t.Errorf("x/image/tiff output: %d pages, %v", len(pages), err)
	}
}

func TestImageErrors(t *testing.T) {
	good := encodePNG(t, grayImage(64, 64, 255))
	flipped := append([]byte{}, good...)
	flipped[len(flipped)-20] ^= 0xff
	huge := append([]byte{}, good...) // IHDR claims 100000 × 100000
	binary.BigEndian.PutUint32(huge[16:], 100000)
	binary.BigEndian.PutUint32(huge[20:], 100000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	many := make([]tiffPage, MaxPages+1)
	for i := range many {
		many[i] = tiffPage{w: 2, h: 2}
	}
	jpegTIFF := buildTIFF([]tiffPage{{w: 4, h: 4, comp: 7}}, binary.LittleEndian)
	loop := buildTIFF([]tiffPage{{w: 4, h: 4}}, binary.LittleEndian)
	binary.LittleEndian.PutUint32(loop[len(loop)-4:], binary.LittleEndian.Uint32(loop[4:])) // next IFD: itself
	for _, tc := range []struct {
		name string
		data []byte
		kind intake.Kind
		code apperr.Code
	}{
		{"corrupt PNG", flipped, intake.KindPNG, apperr.InvalidInput},
		{"truncated PNG", good[:len(good)/2], intake.KindPNG, apperr.InvalidInput},
		{"not a PNG", []byte("\x89PNG\r\n\x1a\nnonsense"), intake.KindPNG, apperr.InvalidInput},
		{"empty", nil, intake.KindPNG, apperr.InvalidInput},
		{"PNG bomb", huge, intake.KindPNG, apperr.TooLarge},
		{"corrupt JPEG", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF garbage"), intake.KindJPEG, apperr.InvalidInput},
		{"corrupt TIFF", []byte("II*\x00\xff\xff\xff\x00"), intake.KindTIFF, apperr.InvalidInput},
		{"JPEG in TIFF", jpegTIFF, intake.KindTIFF, apperr.UnsupportedFormat},
		{"TIFF of 51 pages", buildTIFF(many, binary.LittleEndian), intake.KindTIFF, apperr.TooLarge},
		{"PDF", []byte("%PDF-1.7"), intake.KindPDF, apperr.UnsupportedFormat},
		{"XML", []byte("<Invoice/>"), intake.KindXML, apperr.UnsupportedFormat},
	} {
		f := &fakeEngine{}
		_, err := Image(context.Background(), f, tc.data, tc.kind)
		if apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if len(f.imgs) != 0 {
			t.Errorf("%s: the engine was called", tc.name)
		}
	}
	// A TIFF whose IFD chain loops reads as one page.
	if pages, err := Image(context.Background(), &fakeEngine{}, loop, intake.KindTIFF); err != nil || len(pages) != 1 {
		t.Errorf("IFD loop: %d pages, %v", len(pages), err)
	}
}

func TestGrayConversion(t *testing.T) {
	const w, h = 3, 1
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	nrgba.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 0})     // transparent: paper
	nrgba.SetNRGBA(1, 0, color.NRGBA{0, 0, 0, 255})   // black ink
	nrgba.SetNRGBA(2, 0, color.NRGBA{255, 0, 0, 128}) // half-transparent red
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))     // premultiplied
	rgba.SetRGBA(0, 0, color.RGBA{0, 0, 0, 0})        //
	rgba.SetRGBA(1, 0, color.RGBA{0, 0, 0, 255})      //
	rgba.SetRGBA(2, 0, color.RGBA{128, 0, 0, 128})    //
	pal := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Transparent, color.Black, color.NRGBA{255, 0, 0, 128}})
	pal.Pix = []uint8{0, 1, 2}
	cmyk := image.NewCMYK(image.Rect(0, 0, w, h))
	cmyk.Set(0, 0, color.White)
	cmyk.Set(1, 0, color.Black)
	cmyk.Set(2, 0, color.NRGBA{255, 127, 127, 255})
	for _, img := range []image.Image{nrgba, rgba, pal, cmyk} {
		p := pgm(img)
		head := "P5\n3 1\n255\n"
		if string(p[:len(head)]) != head {
			t.Fatalf("%T: header %q", img, p[:len(head)])
		}
		px := p[len(head):]
		// paper, ink, and red over white ≈ luma of (255,127,127) = 165
		if px[0] < 250 || px[1] > 5 || px[2] < 155 || px[2] > 175 {
			t.Errorf("%T: %v", img, px)
		}
	}
	// Sub-images start at their own origin.
	g := grayImage(10, 10, 255)
	g.SetGray(5, 5, color.Gray{})
	sub := g.SubImage(image.Rect(5, 5, 7, 7))
	if p := pgm(sub); !bytes.Equal(p[len(p)-4:], []byte{0, 255, 255, 255}) {
		t.Errorf("sub-image: %v", p[len(p)-4:])
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 2, 1), image.YCbCrSubsampleRatio420)
	ycc.Y[0], ycc.Y[1] = 17, 230
	if p := pgm(ycc); !bytes.Equal(p[len(p)-2:], []byte{17, 230}) {
		t.Errorf("YCbCr: %v", p[len(p)-2:])
	}
}

// pdfdoc's engine is a Renderer: ocr.PDF takes it as it is.
var _ Renderer = (*pdfdoc.Engine)(nil)

// fakePDF renders n blank pages.
type fakePDF struct {
	n     int
	calls int
	err   error
}

func (f *fakePDF) RenderPage(pdf []byte, page, dpi int) (image.Image, int, error) {
	f.calls++
	if f.err != nil {
		return nil, 0, f.err
	}
	return grayImage(dpi*8, dpi*11, 255), f.n, nil
}

func TestPDF(t *testing.T) {
	f := &fakeEngine{}
	r := &fakePDF{n: 3}
	pages, err := PDF(context.Background(), f, r, []byte("%PDF"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 || r.calls != 3 {
		t.Fatalf("%d pages in %d renders", len(pages), r.calls)
	}
	for i, p := range pages {
		// 8 × 11 inches at 300 dpi: 576 × 792 points.
		if p[0].Page != i+1 || math.Abs(p[0].W-576) > 0.01 || math.Abs(p[0].H-792) > 0.01 {
			t.Errorf("page %d: %+v", i+1, p[0])
		}
	}

	if _, err := PDF(context.Background(), f, &fakePDF{n: MaxPages + 1}, nil); apperr.CodeOf(err) != apperr.TooLarge {
		t.Errorf("too many pages: %v", err)
	}
	broken := apperr.Wrap(pdfdoc.ErrBroken, apperr.InvalidInput, "damaged")
	if _, err := PDF(context.Background(), f, &fakePDF{err: broken}, nil); !errors.Is(err, pdfdoc.ErrBroken) {
		t.Errorf("render error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r = &fakePDF{n: 2}
	if _, err := PDF(ctx, f, r, nil); !errors.Is(err, context.Canceled) || r.calls != 0 {
		t.Errorf("cancelled: %v after %d renders", err, r.calls)
	}
	words := errors.New("engine failed")
	if _, err := PDF(context.Background(), &fakeEngine{err: words}, &fakePDF{n: 1}, nil); !errors.Is(err, words) {
		t.Errorf("engine error: %v", err)
	}
}

// A page without words is an empty slice, not nil: callers can range and
// JSON-encode it alike.
func TestEmptyPage(t *testing.T) {
	pages, err := Image(context.Background(), noWords{}, encodePNG(t, grayImage(5, 5, 255)), intake.KindPNG)
	if err != nil || len(pages) != 1 || pages[0] == nil {
		t.Errorf("%#v, %v", pages, err)
	}
}

type noWords struct{}

func (noWords) Words(context.Context, image.Image) ([]pdfdoc.TextRun, error) { return nil, nil }
