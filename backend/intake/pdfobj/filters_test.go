package pdfobj

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"testing"
)

func zlibBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func rawDeflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func a85(b []byte) []byte {
	var buf bytes.Buffer
	w := ascii85.NewEncoder(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return append(buf.Bytes(), "~>"...)
}

// pngUp encodes rows with the PNG "Up" (2) and "Sub" (1) filters alternately.
func pngEncode(data []byte, cols int) []byte {
	var out []byte
	prev := make([]byte, cols)
	for row := 0; row*cols < len(data); row++ {
		cur := data[row*cols : min((row+1)*cols, len(data))]
		typ := byte(2 - row%2)
		out = append(out, typ)
		for i, c := range cur {
			switch typ {
			case 2:
				out = append(out, c-prev[i])
			case 1:
				var left byte
				if i > 0 {
					left = cur[i-1]
				}
				out = append(out, c-left)
			}
		}
		copy(prev, cur)
	}
	return out
}

func TestDecode(t *testing.T) {
	plain := []byte("5 0 << /JS (x) >> and some more text to compress compress compress")
	tests := []struct {
		name string
		dict Dict
		raw  []byte
		want []byte
		err  error
	}{
		{"none", Dict{}, plain, plain, nil},
		{"flate", Dict{"Filter": Name("FlateDecode")}, zlibBytes(plain), plain, nil},
		{"raw deflate", Dict{"Filter": Name("Fl")}, rawDeflate(plain), plain, nil},
		{"hex", Dict{"Filter": Name("ASCIIHexDecode")}, []byte("48 69>"), []byte("Hi"), nil},
		{"a85", Dict{"Filter": Name("A85")}, a85(plain), plain, nil},
		{"chain", Dict{"Filter": Array{Name("ASCII85Decode"), Name("FlateDecode")}}, a85(zlibBytes(plain)), plain, nil},
		{"run length", Dict{"Filter": Name("RunLengthDecode")}, []byte{2, 'a', 'b', 'c', 254, 'z', 128}, []byte("abczzz"), nil},
		{"png predictor", Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": Int(12), "Columns": Int(5)}},
			zlibBytes(pngEncode(plain, 5)), plain, nil},
		{"tiff predictor", Dict{"Filter": Name("FlateDecode"), "DecodeParms": Dict{"Predictor": Int(2), "Columns": Int(3)}},
			zlibBytes([]byte{1, 1, 1, 5, 0, 0}), []byte{1, 2, 3, 5, 5, 5}, nil},
		{"truncated flate keeps what it has", Dict{"Filter": Name("FlateDecode")}, zlibBytes(plain)[:30], nil, ErrCorrupt},
		{"unsupported", Dict{"Filter": Name("DCTDecode")}, plain, nil, ErrFilter},
		{"garbage flate", Dict{"Filter": Name("FlateDecode")}, []byte("not zlib"), nil, ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := (&Stream{Dict: tc.dict, Raw: tc.raw}).Decode(NewBudget(1 << 20))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("Decode = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// A 42.zip-style stream: tiny input, huge output. Both the ratio cap and
// the total budget stop it without producing the output.
func TestDecodeBudget(t *testing.T) {
	bomb := zlibBytes(make([]byte, 16<<20))
	_, err := (&Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Raw: bomb}).Decode(NewBudget(1 << 30))
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("ratio cap: err = %v", err)
	}
	nested := zlibBytes(zlibBytes(make([]byte, 4<<20)))
	_, err = (&Stream{Dict: Dict{"Filter": Array{Name("FlateDecode"), Name("FlateDecode")}}, Raw: nested}).Decode(NewBudget(1 << 30))
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("nested: err = %v", err)
	}
	b := NewBudget(100)
	_, err = (&Stream{Dict: Dict{"Filter": Name("FlateDecode")}, Raw: zlibBytes(make([]byte, 101))}).Decode(b)
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("total: err = %v", err)
	}
}
