package pdfobj

import "fmt"

// unpredict undoes a /Predictor of /DecodeParms after inflating. Object
// streams rarely use one, but a file that does must not slip past the
// scanner, so PNG predictors (10–15) and the 8-bit TIFF predictor (2) are
// read. prevErr passes through an earlier ErrCorrupt.
func unpredict(data []byte, parms Dict, prevErr error) ([]byte, error) {
	pred, _ := parms.Int("Predictor")
	if pred <= 1 {
		return data, prevErr
	}
	colors := intOr(parms, "Colors", 1)
	bpc := intOr(parms, "BitsPerComponent", 8)
	cols := intOr(parms, "Columns", 1)
	if colors < 1 || colors > 32 || cols < 1 || cols > 1<<24 {
		return nil, fmt.Errorf("%w: predictor parameters", ErrFilter)
	}
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, fmt.Errorf("%w: predictor bits per component", ErrFilter)
	}
	bpp := max(1, (colors*bpc+7)/8)
	// No row is longer than the data; capping keeps a lying /Columns from
	// making us allocate gigabytes.
	rowLen := max(1, min((cols*colors*bpc+7)/8, len(data)))
	if pred == 2 {
		if bpc != 8 {
			return nil, fmt.Errorf("%w: TIFF predictor with %d bits", ErrFilter, bpc)
		}
		return tiffUnpredict(data, rowLen, bpp), prevErr
	}
	return pngUnpredict(data, rowLen, bpp), prevErr
}

func intOr(d Dict, key Name, def int) int {
	if v, ok := d.Int(key); ok && v >= -1<<31 && v <= 1<<31 {
		return int(v)
	}
	return def
}

func tiffUnpredict(data []byte, rowLen, bpp int) []byte {
	out := append([]byte(nil), data...)
	for row := 0; row < len(out); row += rowLen {
		end := min(row+rowLen, len(out))
		for i := row + bpp; i < end; i++ {
			out[i] += out[i-bpp]
		}
	}
	return out
}

// pngUnpredict reverses PNG row filters; each row starts with its type.
// A short last row is decoded as far as it goes.
func pngUnpredict(data []byte, rowLen, bpp int) []byte {
	out := make([]byte, 0, len(data))
	prev := make([]byte, rowLen)
	for pos := 0; pos < len(data); pos += rowLen + 1 {
		typ := data[pos]
		end := min(pos+1+rowLen, len(data))
		cur := append([]byte(nil), data[pos+1:end]...)
		for i := range cur {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = cur[i-bpp], prev[i-bpp]
			}
			cur[i] += pngPredict(typ, left, prev[i], upLeft)
		}
		out = append(out, cur...)
		copy(prev, cur)
	}
	return out
}

func pngPredict(typ, left, up, upLeft byte) byte {
	switch typ {
	case 1:
		return left
	case 2:
		return up
	case 3:
		return byte((int(left) + int(up)) / 2) // #nosec G115 -- the mean of two bytes is a byte
	case 4:
		return paeth(left, up, upLeft)
	}
	return 0
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
