package intake

import (
	"bytes"
)

// Kind is a file type intake accepts.
type Kind string

// The accepted kinds.
const (
	KindPDF  Kind = "pdf"
	KindPNG  Kind = "png"
	KindJPEG Kind = "jpeg"
	KindTIFF Kind = "tiff"
	KindXML  Kind = "xml"
)

// HeadSize is how many leading bytes Sniff looks at. Callers pass at least
// this many, or the whole file when it is shorter. 64 KiB because some
// invoice XML carries a licence comment of several KiB before its root.
const HeadSize = 64 << 10

// maxPDFJunk is how far into the file "%PDF-" may start. PDF readers
// (PDFium, Acrobat) look for the header within the first 1024 bytes, so a
// stricter rule would refuse files they open; what may stand before it is
// restricted by pdfJunkOK.
const maxPDFJunk = 1024

var (
	sigPNG   = []byte("\x89PNG\r\n\x1a\n")
	sigJPEG  = []byte{0xFF, 0xD8, 0xFF}
	sigTIFFI = []byte("II*\x00")
	sigTIFFM = []byte("MM\x00*")
	sigPDF   = []byte("%PDF-")
)

// refusedSigs name common things that are not invoices, for a clearer
// message. Anything not on the allowlist is refused anyway.
var refusedSigs = []struct {
	sig  string
	what string
}{
	{"MZ", "a Windows program"},
	{"\x7fELF", "a program"},
	{"\xCF\xFA\xED\xFE", "a program"},
	{"\xCA\xFE\xBA\xBE", "a program"},
	{"#!", "a script"},
	{"PK\x03\x04", "a ZIP archive or Office document"},
	{"PK\x05\x06", "a ZIP archive"},
	{"\x1F\x8B", "a compressed archive"},
	{"Rar!", "a RAR archive"},
	{"7z\xBC\xAF", "a 7-Zip archive"},
	{"%!PS", "a PostScript file"},
	{"GIF8", "a GIF image (not supported)"},
	{"II+\x00", "a BigTIFF image (not supported)"},
	{"MM\x00+", "a BigTIFF image (not supported)"},
}

// Sniff tells the kind of a file from its first bytes, never from its name.
// Errors carry apperr.UnsupportedFormat and wrap ErrUnsupported.
func Sniff(head []byte) (Kind, error) {
	switch {
	case len(head) == 0:
		return "", unsupported("The file is empty.")
	case bytes.HasPrefix(head, sigPNG):
		return KindPNG, nil
	case bytes.HasPrefix(head, sigJPEG):
		return KindJPEG, nil
	case bytes.HasPrefix(head, sigTIFFI), bytes.HasPrefix(head, sigTIFFM):
		return KindTIFF, nil
	}
	for _, r := range refusedSigs {
		if bytes.HasPrefix(head, []byte(r.sig)) {
			return "", unsupported("The file is %s, not an invoice.", r.what)
		}
	}
	if isPDF(head) {
		return KindPDF, nil
	}
	return sniffText(head)
}

// isPDF accepts "%PDF-" plus a digit within the first maxPDFJunk bytes when
// everything before it passes pdfJunkOK.
func isPDF(head []byte) bool {
	i := bytes.Index(head[:min(len(head), maxPDFJunk+len(sigPDF)+1)], sigPDF)
	if i < 0 || i > maxPDFJunk {
		return false
	}
	rest := head[i+len(sigPDF):]
	return len(rest) > 0 && rest[0] >= '0' && rest[0] <= '9' && pdfJunkOK(head[:i])
}

// pdfJunkOK allows a byte-order mark, white space and printable ASCII
// without '<' before the PDF header. That covers the stray newlines and
// text some generators emit while keeping programs (NUL bytes), archives
// and markup from riding in front of a PDF header (polyglots, #25).
func pdfJunkOK(junk []byte) bool {
	junk = bytes.TrimPrefix(junk, []byte("\xEF\xBB\xBF"))
	for _, c := range junk {
		if c == '<' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7E {
			return false
		}
	}
	return true
}
