package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/intake"
)

// FuzzImage: whatever the bytes, Image neither panics nor fails without a
// code a user can be shown.
func FuzzImage(f *testing.F) {
	g := grayImage(16, 8, 200)
	var j, t bytes.Buffer
	_ = jpeg.Encode(&j, g, nil)
	_ = tiff.Encode(&t, g, &tiff.Options{Compression: tiff.LZW})
	f.Add(withPNGChunk(encodePNGf(f, g), "pHYs", pHYs(300)))
	f.Add(append(append([]byte{0xFF, 0xD8}, exif(6, 300)...), j.Bytes()[2:]...))
	f.Add(t.Bytes())
	f.Add(buildTIFF([]tiffPage{{w: 3, h: 2, dpi: 300}, {w: 2, h: 2, reduced: true}}, binary.BigEndian))
	decodeLimit = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		head := data[:min(len(data), intake.HeadSize)]
		kind, err := intake.Sniff(head)
		if err != nil || kind == intake.KindPDF || kind == intake.KindXML {
			kind = intake.KindTIFF // exercise the hand-written parser most
		}
		_, err = Image(context.Background(), &fakeEngine{}, data, kind)
		if err != nil && apperr.CodeOf(err) == apperr.Internal {
			t.Fatalf("%s: error without a code: %v", kind, err)
		}
	})
}

func encodePNGf(f *testing.F, img *image.Gray) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}
