package einvoice

import (
	"errors"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// charsetState remembers why a declared encoding was refused: encoding/xml
// flattens the CharsetReader error into text, and the caller needs to tell
// an unsupported encoding (ErrUnsupported) from broken XML.
type charsetState struct {
	label string
	err   error
}

var errUnknownCharset = errors.New("unknown character encoding")

// reader is the xml.Decoder CharsetReader. encoding/xml calls it only for
// labels other than "utf-8".
func (cs *charsetState) reader(label string, in io.Reader) (io.Reader, error) {
	enc := lookupCharset(label)
	if enc == nil {
		cs.label, cs.err = label, errUnknownCharset
		return nil, errUnknownCharset
	}
	if enc == encoding.Nop {
		return in, nil
	}
	return enc.NewDecoder().Reader(in), nil
}

// lookupCharset maps an encoding label to a decoder; encoding.Nop means the
// bytes are UTF-8 already, nil means unknown.
//
// Producers write vendor spellings of UTF-8 ("UTF-8-W/O-BOM" is in the
// ZUGFeRD corpus): any label starting with utf-8/utf8 is UTF-8. ISO-8859-1
// is taken literally (the XML meaning), not as windows-1252 the way HTML
// does, because an XML producer that declares Latin-1 writes Latin-1.
func lookupCharset(label string) encoding.Encoding {
	l := strings.ToLower(strings.TrimSpace(label))
	switch {
	case l == "":
		return nil
	case strings.HasPrefix(l, "utf-8"), strings.HasPrefix(l, "utf8"):
		return encoding.Nop
	case strings.HasPrefix(l, "utf-16"), strings.HasPrefix(l, "utf-32"):
		// The decoder has already read the declaration as single bytes, so
		// the document cannot really be UTF-16; refuse rather than guess.
		return nil
	case l == "iso-8859-1" || l == "iso8859-1" || l == "latin1" || l == "latin-1":
		return charmap.ISO8859_1
	}
	if enc, err := ianaindex.IANA.Encoding(label); err == nil && enc != nil {
		return enc
	}
	if enc, err := htmlindex.Get(label); err == nil && enc != nil {
		return enc
	}
	return nil
}
