package pdfobj

// EachName calls fn for every name token in b, decoded, skipping strings
// and comments. It looks at tokens only, not structure, so no junk or
// broken nesting can hide a name from it.
func EachName(b []byte, fn func(Name)) {
	p := &parser{b: b}
	for {
		p.skipSpace()
		if p.pos >= len(b) {
			return
		}
		switch c := b[p.pos]; {
		case c == '/':
			p.pos++
			fn(p.name())
		case c == '(':
			p.pos++
			p.literal()
		case c == '<' && p.pos+1 < len(b) && b[p.pos+1] == '<':
			p.pos += 2
		case c == '<':
			p.pos++
			p.hexString()
		case isDelim(c):
			p.pos++
		default:
			p.keyword()
		}
	}
}
