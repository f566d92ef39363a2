package pagereader

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRead: any words, any positions: Read never panics, and what it
// returns is consistent (confidences in 0..1, lines with amounts).
func FuzzRead(f *testing.F) {
	f.Add([]byte("Rechnungsnummer: 4711\nNettobetrag 100,00\nMwSt. 19,00\nBruttobetrag 119,00"), uint64(1))
	f.Add([]byte("Invoice No: INV-1\nPos Description Qty Unit price Amount\n1 Item 2 5.00 10.00\nTotal 10.00"), uint64(7))
	f.Add([]byte("IBAN DE89 3704 0044 0532 0130 00\nUSt-IdNr. DE136695976\n5. Juni 2018"), uint64(42))
	f.Add([]byte("Facture N° : F-1\nTotal HT\n1 234,56\nTVA 20 %\n246,91\nTotal TTC\n1 481,47"), uint64(3))
	f.Add([]byte("\x00\xff-- 1.2.3 ,,, 99999999999999999999999999999999999999999,9 %%%"), uint64(0))
	f.Fuzz(func(t *testing.T, text []byte, seed uint64) {
		inv, err := Read(fuzzWords(text, seed))
		if err != nil {
			return
		}
		for k, v := range inv.Confidence {
			if v < 0 || v > 1 || math.IsNaN(v) {
				t.Fatalf("confidence %s = %v", k, v)
			}
		}
		for i, l := range inv.Lines {
			if l.NetAmount == nil {
				t.Fatalf("line %d without amount", i)
			}
		}
	})
}

// fuzzWords turns bytes into words: each text line becomes a line of
// words whose positions and sizes come from the seed, some of them wild.
func fuzzWords(text []byte, seed uint64) []Word {
	if !utf8.Valid(text) {
		text = []byte(strings.ToValidUTF8(string(text), "?"))
	}
	var out []Word
	next := func() float64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], seed)
		return float64(b[7]) + float64(b[6])/256
	}
	for i, line := range strings.Split(string(text), "\n") {
		x := next()
		for _, w := range strings.Fields(line) {
			size := next() / 10
			if seed%17 == 0 {
				size = 0 // OCR: no font size
			}
			out = append(out, Word{Page: 1 + int(seed%3), Text: w, X: x, Y: float64(i)*12 + next()/64,
				W: float64(len(w)) * 4, H: size * 0.7, Size: size})
			x += float64(len(w))*4 + next()/8
		}
	}
	return out
}
