package intake

import (
	"bytes"
	"unicode/utf16"
)

// htmlRoots are element names that make a browser run or render a
// document; a file whose root (or DOCTYPE) is one of them is refused even
// though it is well-formed XML. Compared case-insensitively, as browsers do.
var htmlRoots = map[string]bool{
	"html": true, "head": true, "body": true, "script": true, "svg": true,
	"iframe": true, "frameset": true, "object": true, "embed": true,
	"style": true, "meta": true, "img": true, "div": true, "form": true,
}

// sniffText accepts XML: an optional UTF-8 or UTF-16 byte-order mark, then
// an XML declaration or a root element, with only white space, comments,
// processing instructions and a DOCTYPE allowed before the root. The root
// must be found within the head: a prolog longer than HeadSize is refused,
// so padding cannot push an <svg> out of sight.
func sniffText(head []byte) (Kind, error) {
	text := xmlText(head)
	if len(text) == 0 || text[0] != '<' {
		return "", unsupported("The file is not a PDF, PNG, JPEG, TIFF or XML file.")
	}
	root, err := rootElement(text)
	if err != nil {
		return "", err
	}
	if htmlRoots[string(bytes.ToLower(localName(root)))] {
		return "", unsupported("The file is a web page or image (<%s>), not an invoice.", root)
	}
	return KindXML, nil
}

// xmlText strips a byte-order mark and leading white space, turning UTF-16
// into UTF-8 so one scanner serves all.
func xmlText(head []byte) []byte {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		head = head[3:]
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		head = utf16To8(head[2:], false)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		head = utf16To8(head[2:], true)
	}
	return bytes.TrimLeft(head, " \t\r\n")
}

func utf16To8(b []byte, bigEndian bool) []byte {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// rootElement walks the prolog and returns the root element's name.
func rootElement(t []byte) ([]byte, error) {
	for {
		t = bytes.TrimLeft(t, " \t\r\n")
		switch {
		case len(t) == 0:
			return nil, unsupported("The XML file has no root element in its first %d KiB.", HeadSize>>10)
		case bytes.HasPrefix(t, []byte("<?")):
			t = skipPast(t, "?>")
		case bytes.HasPrefix(t, []byte("<!--")):
			t = skipPast(t, "-->")
		case hasPrefixFold(t, "<!DOCTYPE"):
			name := xmlName(bytes.TrimLeft(t[len("<!DOCTYPE"):], " \t\r\n"))
			if htmlRoots[string(bytes.ToLower(name))] {
				return nil, unsupported("The file is a web page or image (<!DOCTYPE %s>), not an invoice.", name)
			}
			t = skipDoctype(t)
		case t[0] == '<' && len(xmlName(t[1:])) > 0:
			return xmlName(t[1:]), nil
		default:
			return nil, unsupported("The file is not a PDF, PNG, JPEG, TIFF or XML file.")
		}
	}
}

// skipPast returns what follows end, or nothing when end is absent.
func skipPast(t []byte, end string) []byte {
	i := bytes.Index(t, []byte(end))
	if i < 0 {
		return nil
	}
	return t[i+len(end):]
}

// skipDoctype skips <!DOCTYPE ...>, including an internal subset [...].
func skipDoctype(t []byte) []byte {
	depth := 0
	for i, c := range t {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				return t[i+1:]
			}
		}
	}
	return nil
}

// xmlName reads an XML name (with prefix) from the start of t. Non-ASCII
// bytes count as name characters, as XML allows most of them.
func xmlName(t []byte) []byte {
	if len(t) == 0 || !isNameStart(t[0]) {
		return nil
	}
	i := 1
	for i < len(t) && (isNameStart(t[i]) || t[i] == '-' || t[i] == '.' || (t[i] >= '0' && t[i] <= '9')) {
		i++
	}
	return t[:i]
}

func isNameStart(c byte) bool {
	return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func localName(n []byte) []byte {
	if i := bytes.LastIndexByte(n, ':'); i >= 0 {
		return n[i+1:]
	}
	return n
}

func hasPrefixFold(t []byte, p string) bool {
	return len(t) >= len(p) && bytes.EqualFold(t[:len(p)], []byte(p))
}
