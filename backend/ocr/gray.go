package ocr

import (
	"image"
	"image/color"
	"math"
	"strconv"
)

// WithDPI marks img with its resolution in dots per inch, which Words uses
// to turn pixels into points. The result draws exactly like img.
func WithDPI(img image.Image, dpi float64) image.Image {
	if d, ok := img.(dpiImage); ok {
		img = d.Image
	}
	return dpiImage{Image: img, dpi: dpi}
}

type dpiImage struct {
	image.Image
	dpi float64
}

func (d dpiImage) DPI() float64 { return d.dpi }

// Resolutions outside this range are taken as missing or wrong (Tesseract
// itself distrusts anything under 70 dpi or over 2400).
const (
	minDPI = 70
	maxDPI = 2400
	// a4Short is the short side of A4 in inches: a scan or photo without a
	// usable resolution is taken as a full A4 page.
	a4Short = 210 / 25.4
)

// ImageDPI is the resolution Words assumes for an image of bounds b whose
// file says dpi (0 when it says nothing): dpi itself when it is plausible
// (70–2400), else the image is taken as a full A4 page, its short side
// 210 mm, which gives phone photos and scans without metadata page-sized
// coordinates (a 2480 × 3508 image: 300 dpi).
func ImageDPI(b image.Rectangle, dpi float64) float64 {
	if dpi >= minDPI && dpi <= maxDPI {
		return dpi
	}
	short := math.Min(float64(b.Dx()), float64(b.Dy()))
	return math.Max(minDPI, math.Min(maxDPI, short/a4Short))
}

func dpiOf(img image.Image) float64 {
	if d, ok := img.(interface{ DPI() float64 }); ok {
		return ImageDPI(img.Bounds(), d.DPI())
	}
	return ImageDPI(img.Bounds(), 0)
}

// pgm encodes img as a binary PGM (P5): 8-bit grey, transparent parts over
// white paper. Leptonica reads it without any decoder of its own being
// exposed to the original file.
func pgm(img image.Image) []byte {
	if d, ok := img.(dpiImage); ok {
		img = d.Image
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	head := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	out := make([]byte, len(head)+w*h)
	copy(out, head)
	grayInto(out[len(head):], img)
	return out
}

// grayInto writes img's pixels row by row as 8-bit luma (ITU-R BT.601, as
// color.GrayModel) into dst, len(dst) = width × height.
func grayInto(dst []byte, img image.Image) {
	b := img.Bounds()
	w := b.Dx()
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			i := src.PixOffset(b.Min.X, b.Min.Y+y)
			copy(dst[y*w:(y+1)*w], src.Pix[i:i+w])
		}
	case *image.YCbCr: // JPEG: the Y plane is the luma
		for y := 0; y < b.Dy(); y++ {
			i := src.YOffset(b.Min.X, b.Min.Y+y)
			copy(dst[y*w:(y+1)*w], src.Y[i:i+w])
		}
	case *image.RGBA: // premultiplied: over white, c + (255 − a)
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4]
				dst[y*w+x] = uint8(min(255, int(luma8(p[0], p[1], p[2]))+255-int(p[3]))) // #nosec G115 -- 0…255
			}
		}
	case *image.NRGBA: // straight alpha: over white, c·a + 255·(1 − a)
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4]
				a := uint32(p[3])
				dst[y*w+x] = uint8((uint32(luma8(p[0], p[1], p[2]))*a + 255*(255-a) + 127) / 255) // #nosec G115 -- ≤ 255
			}
		}
	case *image.Paletted:
		var lut [256]uint8
		for i, c := range src.Palette {
			lut[i] = overWhite(c)
		}
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				dst[y*w+x] = lut[row[x]]
			}
		}
	default: // Gray16, RGBA64, CMYK, …: slower, same result
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < w; x++ {
				dst[y*w+x] = overWhite(img.At(b.Min.X+x, b.Min.Y+y))
			}
		}
	}
}

// luma8 is color.GrayModel's weighting on 8-bit values.
func luma8(r, g, b uint8) uint8 {
	return uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16) // #nosec G115 -- weights sum to 65536: ≤ 255
}

// overWhite is the grey of c drawn on white paper.
func overWhite(c color.Color) uint8 {
	r, g, b, a := c.RGBA() // premultiplied, 16 bits
	y := (19595*r + 38470*g + 7471*b + 1<<15) >> 16
	return uint8((y + 0xffff - a) >> 8) // #nosec G115 -- premultiplied: y ≤ a, so ≤ 255
}

// toGray copies img into a new *image.Gray (origin 0,0), over white.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	grayInto(g.Pix, img)
	return g
}

// orient turns an image stored with EXIF/TIFF orientation o (2–8) upright,
// as viewers show it. The result is grey: OCR needs nothing more.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := toGray(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if o >= 5 { // the transposing ones swap width and height
		dw, dh = h, w
	}
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // stored rotated 90° counter-clockwise: turn clockwise
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // stored rotated 90° clockwise: turn counter-clockwise
				dx, dy = y, w-1-x
			}
			dst.Pix[dy*dw+dx] = src.Pix[y*w+x]
		}
	}
	return dst
}
