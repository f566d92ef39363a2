package ocr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/tiff"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/intake"
)

// source is a decoded-on-demand image file: page i (0-based) is decoded
// only when asked for, so a multi-page TIFF is held one page at a time.
type source struct {
	pages int
	page  func(i int) (image.Image, error)
}

func openImage(data []byte, kind intake.Kind) (*source, error) {
	switch kind {
	case intake.KindPNG:
		return single(data, png.DecodeConfig, png.Decode, meta{dpi: pngDPI(data)})
	case intake.KindJPEG:
		return single(data, jpeg.DecodeConfig, jpeg.Decode, jpegMeta(data))
	case intake.KindTIFF:
		return openTIFF(data)
	}
	return nil, apperr.New(apperr.UnsupportedFormat, "OCR reads PNG, JPEG and TIFF images, not %s files.", kindName(kind))
}

func kindName(k intake.Kind) string {
	if k == "" {
		return "unknown"
	}
	return string(k)
}

// meta is what a file says about how to show its pixels.
type meta struct {
	dpi    float64 // 0: unknown
	orient int     // EXIF/TIFF orientation 1–8; 0 or 1: as stored
}

type (
	configFunc func(io.Reader) (image.Config, error)
	decodeFunc func(io.Reader) (image.Image, error)
)

func single(data []byte, config configFunc, decode decodeFunc, m meta) (*source, error) {
	if err := checkConfig(config, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return &source{pages: 1, page: func(int) (image.Image, error) {
		return decodePage(decode, bytes.NewReader(data), m)
	}}, nil
}

// checkConfig reads the header only and refuses what cannot be read or is
// too large to decode.
func checkConfig(config configFunc, r io.Reader) (err error) {
	defer recoverDecode(&err)
	c, err := config(r)
	if err != nil {
		return decodeError(err)
	}
	if c.Width <= 0 || c.Height <= 0 {
		return apperr.New(apperr.InvalidInput, "The image has no pixels.")
	}
	if int64(c.Width)*int64(c.Height) > decodeLimit {
		return tooManyPixels(c.Width, c.Height)
	}
	return nil
}

// decodeLimit is MaxPixels; the fuzz test lowers it so that each input
// decodes in milliseconds (a 70-megapixel decode is bounded but takes
// seconds, longer than a fuzz worker's time slice).
var decodeLimit int64 = MaxPixels

func decodePage(decode decodeFunc, r io.Reader, m meta) (img image.Image, err error) {
	defer recoverDecode(&err)
	img, err = decode(r)
	if err != nil {
		return nil, decodeError(err)
	}
	if m.orient > 1 {
		img = orient(img, m.orient)
	}
	return WithDPI(img, ImageDPI(img.Bounds(), m.dpi)), nil
}

// recoverDecode turns a decoder panic on a crafted file into an error.
func recoverDecode(err *error) {
	if r := recover(); r != nil {
		*err = apperr.Wrap(fmt.Errorf("ocr: decoder panic: %v", r), apperr.InvalidInput,
			"The image is damaged and cannot be read.")
	}
}

func decodeError(err error) error {
	var (
		pngU  png.UnsupportedError
		jpgU  jpeg.UnsupportedError
		tiffU tiff.UnsupportedError
	)
	if errors.As(err, &pngU) || errors.As(err, &jpgU) || errors.As(err, &tiffU) {
		return apperr.Wrap(err, apperr.UnsupportedFormat,
			"The image uses a variant that cannot be read (%s). Save it as PNG or PDF and import it again.", err)
	}
	return apperr.Wrap(err, apperr.InvalidInput, "The image is damaged and cannot be read.")
}

func tooManyPixels(w, h int) error {
	return apperr.New(apperr.TooLarge, "The image is too large for OCR (%d × %d pixels; at most %d million).",
		w, h, MaxPixels/1_000_000)
}

// pngDPI reads the pHYs chunk (pixels per metre); 0 when absent.
func pngDPI(b []byte) float64 {
	const sig = 8
	if len(b) < sig {
		return 0
	}
	for p := sig; p+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if n < 0 || n > len(b)-p-12 {
			return 0
		}
		body := b[p+8 : p+8+n]
		switch typ {
		case "pHYs":
			if n == 9 && body[8] == 1 { // unit: metre
				return float64(binary.BigEndian.Uint32(body[0:4])) * 0.0254
			}
			return 0
		case "IDAT", "IEND":
			return 0
		}
		p += 12 + n
	}
	return 0
}

// jpegMeta reads the JFIF density and the EXIF resolution and orientation
// from the segments before the image data.
func jpegMeta(b []byte) meta {
	var m meta
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return m
	}
	for p := 2; p+4 <= len(b); {
		if b[p] != 0xFF {
			return m
		}
		marker := b[p+1]
		switch {
		case marker == 0xFF: // fill byte
			p++
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return m
		case marker >= 0xD0 && marker <= 0xD7 || marker == 0x01: // no length
			p += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || p+2+n > len(b) {
			return m
		}
		seg := b[p+4 : p+2+n]
		switch {
		case marker == 0xE0 && len(seg) >= 12 && string(seg[:5]) == "JFIF\x00":
			if d := float64(binary.BigEndian.Uint16(seg[8:10])); m.dpi == 0 {
				switch seg[7] {
				case 1:
					m.dpi = d
				case 2:
					m.dpi = d * 2.54
				}
			}
		case marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00":
			if _, dirs := tiffDirs(seg[6:], 1); len(dirs) == 1 {
				if m.dpi == 0 {
					m.dpi = dirs[0].dpi
				}
				m.orient = dirs[0].orient
			}
		}
		p += 2 + n
	}
	return m
}

// TIFF tags read here.
const (
	tagNewSubfileType = 254
	tagOrientation    = 274
	tagXResolution    = 282
	tagResolutionUnit = 296
)

// tiffDir is one image file directory (one page) of a TIFF.
type tiffDir struct {
	off     uint32 // where the IFD starts
	dpi     float64
	orient  int
	reduced bool // a thumbnail or other reduced-resolution copy of a page
}

// tiffDirs walks the IFD chain of a TIFF (or of EXIF, which has the same
// layout), at most max directories, stopping at a loop or anything out of
// bounds. It reads what it needs itself: x/image/tiff decodes the first
// directory only.
func tiffDirs(b []byte, max int) (binary.ByteOrder, []tiffDir) {
	if len(b) < 8 {
		return nil, nil
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return nil, nil
	}
	var dirs []tiffDir
	seen := map[uint32]bool{}
	for off := bo.Uint32(b[4:]); off != 0 && len(dirs) < max && !seen[off]; {
		seen[off] = true
		if uint64(off)+2 > uint64(len(b)) {
			break
		}
		n := uint64(bo.Uint16(b[off:]))
		end := uint64(off) + 2 + 12*n
		if end+4 > uint64(len(b)) {
			break
		}
		d := tiffDir{off: off, orient: 1}
		unit := uint16(2) // inch, the default
		var xres float64
		for e := uint64(off) + 2; e < end; e += 12 {
			tag, typ, val := bo.Uint16(b[e:]), bo.Uint16(b[e+2:]), b[e+8:e+12]
			switch {
			case tag == tagNewSubfileType && (typ == 4 || typ == 3):
				d.reduced = uintValue(bo, typ, val)&1 != 0
			case tag == tagOrientation && typ == 3:
				d.orient = int(bo.Uint16(val))
			case tag == tagResolutionUnit && typ == 3:
				unit = bo.Uint16(val)
			case tag == tagXResolution && typ == 5: // RATIONAL, stored elsewhere
				if p := uint64(bo.Uint32(val)); p+8 <= uint64(len(b)) {
					if den := bo.Uint32(b[p+4:]); den != 0 {
						xres = float64(bo.Uint32(b[p:])) / float64(den)
					}
				}
			}
		}
		switch unit {
		case 2:
			d.dpi = xres
		case 3:
			d.dpi = xres * 2.54
		}
		dirs = append(dirs, d)
		off = bo.Uint32(b[end:])
	}
	return bo, dirs
}

func uintValue(bo binary.ByteOrder, typ uint16, val []byte) uint32 {
	if typ == 3 {
		return uint32(bo.Uint16(val))
	}
	return bo.Uint32(val)
}

// openTIFF lists the pages of a (multi-page) TIFF. Each page is decoded by
// x/image/tiff from a view of the file whose header points at that page's
// directory: no copy of the file is made.
func openTIFF(data []byte) (*source, error) {
	_, dirs := tiffDirs(data, 4*MaxPages)
	var pages []tiffDir
	for _, d := range dirs {
		if !d.reduced {
			pages = append(pages, d)
		}
	}
	switch {
	case len(dirs) == 0:
		return nil, apperr.New(apperr.InvalidInput, "The TIFF image is damaged and cannot be read.")
	case len(pages) == 0: // only "reduced" images: read them anyway
		pages = dirs[:1]
	case len(pages) > MaxPages:
		return nil, tooManyPages(len(pages))
	}
	view := func(d tiffDir) *io.SectionReader {
		return io.NewSectionReader(headerView{data: data, off: d.off, le: data[0] == 'I'}, 0, int64(len(data)))
	}
	for _, d := range pages {
		if err := checkConfig(tiff.DecodeConfig, view(d)); err != nil {
			return nil, err
		}
	}
	return &source{pages: len(pages), page: func(i int) (image.Image, error) {
		d := pages[i]
		return decodePage(tiff.Decode, view(d), meta{dpi: d.dpi, orient: d.orient})
	}}, nil
}

// headerView reads data with the first-IFD offset (bytes 4–7 of the
// header) replaced by off.
type headerView struct {
	data []byte
	off  uint32
	le   bool
}

func (h headerView) ReadAt(p []byte, at int64) (int, error) {
	if at < 0 {
		return 0, errors.New("ocr: negative offset")
	}
	if at >= int64(len(h.data)) {
		return 0, io.EOF
	}
	n := copy(p, h.data[at:])
	var hdr [4]byte
	if h.le {
		binary.LittleEndian.PutUint32(hdr[:], h.off)
	} else {
		binary.BigEndian.PutUint32(hdr[:], h.off)
	}
	for i := range hdr {
		if j := int64(4+i) - at; j >= 0 && j < int64(n) {
			p[j] = hdr[i]
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
