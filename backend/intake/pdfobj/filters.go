package pdfobj

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
)

// Sentinel errors of stream decoding.
var (
	ErrBudget  = errors.New("pdfobj: decompression limit reached")
	ErrFilter  = errors.New("pdfobj: unsupported filter")
	ErrCorrupt = errors.New("pdfobj: corrupt stream data")
)

// Budget caps what decompression may produce for one file, in total and per
// stream as a multiple of the stream's encoded size, so that a small file
// cannot unfold into gigabytes (a "zip bomb" made of Flate streams, possibly
// nested, since filters chain). It is not safe for concurrent use.
type Budget struct {
	Left  int64 // bytes still allowed in total
	Ratio int64 // per stream: output ≤ Ratio × input + Floor
	Floor int64
}

// NewBudget returns a budget of total bytes with the default ratio cap.
// Flate alone tops out near 1032:1; 200:1 leaves room for real text and XML
// (10–30:1) while a chain of filters cannot multiply.
func NewBudget(total int64) *Budget {
	return &Budget{Left: total, Ratio: 200, Floor: 1 << 20}
}

// limit is what one stage may produce from n input bytes.
func (b *Budget) limit(n int) int64 {
	l := int64(n)*b.Ratio + b.Floor
	if l > b.Left {
		l = b.Left
	}
	return l
}

// Decode applies the stream's filters. On ErrCorrupt the data decoded so far
// is returned too: readers show what they can, and so may a caller.
func (s *Stream) Decode(b *Budget) ([]byte, error) {
	filters, params := filterList(s.Dict)
	data := s.Raw
	var corrupt error
	for i, f := range filters {
		out, err := decodeOne(f, params[i], data, b)
		if errors.Is(err, ErrCorrupt) && len(out) > 0 {
			corrupt, err = err, nil
		}
		if err != nil {
			return nil, fmt.Errorf("filter %s: %w", f, err)
		}
		data = out
	}
	return data, corrupt
}

// filterList normalises /Filter and /DecodeParms to parallel slices.
func filterList(d Dict) ([]Name, []Dict) {
	var names []Name
	switch f := d["Filter"].(type) {
	case Name:
		names = []Name{f}
	case Array:
		for _, o := range f {
			if n, ok := o.(Name); ok {
				names = append(names, n)
			}
		}
	}
	params := make([]Dict, len(names))
	switch p := d["DecodeParms"].(type) {
	case Dict:
		if len(params) > 0 {
			params[0] = p
		}
	case Array:
		for i := 0; i < len(p) && i < len(params); i++ {
			params[i], _ = p[i].(Dict)
		}
	}
	return names, params
}

func decodeOne(f Name, parms Dict, in []byte, b *Budget) ([]byte, error) {
	limit := b.limit(len(in))
	var out []byte
	var err error
	switch f {
	case "FlateDecode", "Fl":
		out, err = inflate(in, limit)
		if err == nil || errors.Is(err, ErrCorrupt) {
			out, err = unpredict(out, parms, err)
		}
	case "ASCIIHexDecode", "AHx":
		p := parser{b: in}
		out = p.hexString()
	case "ASCII85Decode", "A85":
		out, err = decode85(in)
	case "RunLengthDecode", "RL":
		out, err = runLength(in, limit)
	case "Crypt":
		if parms.Name("Name") != "" && parms.Name("Name") != "Identity" {
			return nil, ErrFilter
		}
		out = in
	default:
		return nil, ErrFilter
	}
	if int64(len(out)) > limit {
		return nil, ErrBudget
	}
	b.Left -= int64(len(out))
	return out, err
}

// inflate reads zlib data, falling back to raw deflate for writers that
// omit the zlib header, and stops one byte past limit.
func inflate(in []byte, limit int64) ([]byte, error) {
	var r io.Reader
	zr, err := zlib.NewReader(bytes.NewReader(in))
	if err != nil {
		r = flate.NewReader(bytes.NewReader(in))
	} else {
		r = zr
	}
	var buf bytes.Buffer
	_, err = io.Copy(&buf, io.LimitReader(r, limit+1))
	if int64(buf.Len()) > limit {
		return nil, ErrBudget
	}
	if err != nil {
		return buf.Bytes(), fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return buf.Bytes(), nil
}

func decode85(in []byte) ([]byte, error) {
	in = bytes.TrimSpace(in)
	in = bytes.TrimPrefix(in, []byte("<~"))
	if i := bytes.Index(in, []byte("~>")); i >= 0 {
		in = in[:i]
	}
	dst := make([]byte, 4*len(in)+4) // 'z' turns 1 byte into 4
	n, _, err := ascii85.Decode(dst, in, true)
	if err != nil {
		return dst[:n], fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return dst[:n], nil
}

func runLength(in []byte, limit int64) ([]byte, error) {
	var out []byte
	for i := 0; i < len(in); {
		l := int(in[i])
		i++
		switch {
		case l == 128:
			return out, nil
		case l < 128:
			end := min(i+l+1, len(in))
			out = append(out, in[i:end]...)
			i = end
		case i < len(in):
			out = append(out, bytes.Repeat(in[i:i+1], 257-l)...)
			i++
		}
		if int64(len(out)) > limit {
			return nil, ErrBudget
		}
	}
	return out, nil
}
