package pdfobj

import (
	"unicode/utf16"
	"unicode/utf8"
)

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// name reads a name after its slash and decodes #xx escapes, so that
// /J#61vaScript compares equal to /JavaScript, as it does for a reader.
func (p *parser) name() Name {
	start := p.pos
	for p.pos < len(p.b) && isRegular(p.b[p.pos]) {
		p.pos++
	}
	return DecodeName(p.b[start:p.pos])
}

// DecodeName resolves #xx escapes in the raw bytes of a name. A '#' not
// followed by two hex digits stays as it is (PDF 1.1 files used '#' plainly).
func DecodeName(raw []byte) Name {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) {
			hi, ok1 := unhex(raw[i+1])
			lo, ok2 := unhex(raw[i+2])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, raw[i])
	}
	return Name(out)
}

// literal reads a (string) after its opening parenthesis: balanced
// parentheses nest, backslash escapes are decoded, an unterminated string
// runs to the end of the input.
func (p *parser) literal() String {
	var out []byte
	depth := 1
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return String(out)
			}
		case '\\':
			out = p.escape(out)
			continue
		}
		out = append(out, c)
	}
	return String(out)
}

// escape decodes one backslash escape inside a literal string.
func (p *parser) escape(out []byte) []byte {
	if p.pos >= len(p.b) {
		return out
	}
	c := p.b[p.pos]
	p.pos++
	switch c {
	case 'n':
		return append(out, '\n')
	case 'r':
		return append(out, '\r')
	case 't':
		return append(out, '\t')
	case 'b':
		return append(out, '\b')
	case 'f':
		return append(out, '\f')
	case '\r':
		if p.pos < len(p.b) && p.b[p.pos] == '\n' {
			p.pos++
		}
		return out // line continuation
	case '\n':
		return out
	}
	if c >= '0' && c <= '7' {
		v := c - '0'
		for i := 0; i < 2 && p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '7'; i++ {
			v = v<<3 | (p.b[p.pos] - '0')
			p.pos++
		}
		return append(out, v)
	}
	return append(out, c) // \( \) \\ and unknown escapes keep the character
}

// hexString reads a <hex string> after its '<'. White space is ignored and
// an odd final digit counts as if followed by 0.
func (p *parser) hexString() String {
	var out []byte
	var hi byte
	half := false
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		if c == '>' {
			break
		}
		v, ok := unhex(c)
		if !ok {
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return String(out)
}

// Text decodes a PDF text string (file names, descriptions): UTF-16BE with
// a byte-order mark, UTF-8 with one (PDF 2.0), else PDFDocEncoding, read
// here as Latin-1, which agrees with it on every printable ASCII byte.
func Text(s String) string {
	switch {
	case len(s) >= 2 && s[0] == 0xFE && s[1] == 0xFF:
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	case len(s) >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF:
		if utf8.Valid(s[3:]) {
			return string(s[3:])
		}
	}
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}
