package einvoice

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// benchDocs loads every corpus XML file once.
func benchDocs(b *testing.B) ([][]byte, int64) {
	b.Helper()
	var docs [][]byte
	var total int64
	for _, rel := range corpusXML(b) {
		d := readCorpus(b, rel)
		docs = append(docs, d)
		total += int64(len(d))
	}
	return docs, total
}

// BenchmarkRead reads the whole corpus per iteration: detect, decode into
// the syntax's structs, map, normalize.
func BenchmarkRead(b *testing.B) {
	docs, total := benchDocs(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, _, err := Read(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBareDecode is the floor: encoding/xml tokenizing the same
// bytes with nothing built. Read's time over this one is the cost of
// detection, struct filling and mapping.
func BenchmarkBareDecode(b *testing.B) {
	docs, total := benchDocs(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			dec := xml.NewDecoder(bytes.NewReader(d))
			for {
				_, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
