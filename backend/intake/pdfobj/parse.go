package pdfobj

import (
	"bytes"
	"errors"
	"strconv"
)

// maxDepth bounds nesting of arrays and dictionaries. Real files stay far
// below it; a crafted "[[[[..." must not blow the stack.
const maxDepth = 64

// Sentinel errors of the parser.
var (
	ErrSyntax   = errors.New("pdfobj: syntax error")
	ErrTooDeep  = errors.New("pdfobj: objects nested too deeply")
	errEndToken = errors.New("pdfobj: end token")     // "]" or ">>": closes a container
	errEndObj   = errors.New("pdfobj: end of object") // "endobj", "stream"...: closes everything
)

// parser reads objects from b starting at pos. It is tolerant: on garbage it
// reports ErrSyntax but always moves forward, so callers cannot loop.
type parser struct {
	b   []byte
	pos int
}

func isWhite(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// skipSpace skips white space and comments.
func (p *parser) skipSpace() {
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		switch {
		case isWhite(c):
			p.pos++
		case c == '%':
			for p.pos < len(p.b) && p.b[p.pos] != '\n' && p.b[p.pos] != '\r' {
				p.pos++
			}
		default:
			return
		}
	}
}

// keyword reads a run of regular characters ("true", "obj", "R", numbers).
func (p *parser) keyword() []byte {
	start := p.pos
	for p.pos < len(p.b) && isRegular(p.b[p.pos]) {
		p.pos++
	}
	return p.b[start:p.pos]
}

// hasKeyword reports whether the keyword kw follows (after white space),
// consuming it if so.
func (p *parser) hasKeyword(kw string) bool {
	save := p.pos
	p.skipSpace()
	if bytes.Equal(p.keyword(), []byte(kw)) {
		return true
	}
	p.pos = save
	return false
}

// object parses one object. depth counts the enclosing containers.
func (p *parser) object(depth int) (Object, error) {
	if depth > maxDepth {
		return nil, ErrTooDeep
	}
	p.skipSpace()
	if p.pos >= len(p.b) {
		return nil, ErrSyntax
	}
	switch c := p.b[p.pos]; c {
	case '/':
		p.pos++
		return p.name(), nil
	case '(':
		p.pos++
		return p.literal(), nil
	case '[':
		p.pos++
		return p.array(depth + 1)
	case ']':
		p.pos++
		return nil, errEndToken
	case '<':
		if p.pos+1 < len(p.b) && p.b[p.pos+1] == '<' {
			p.pos += 2
			return p.dict(depth + 1)
		}
		p.pos++
		return p.hexString(), nil
	case '>':
		p.pos++
		if p.pos < len(p.b) && p.b[p.pos] == '>' {
			p.pos++
			return nil, errEndToken
		}
		return nil, ErrSyntax
	case ')', '{', '}':
		p.pos++
		return nil, ErrSyntax
	}
	return p.atom()
}

// atom parses numbers, references and keywords.
func (p *parser) atom() (Object, error) {
	kw := p.keyword()
	switch string(kw) {
	case "true":
		return Bool(true), nil
	case "false":
		return Bool(false), nil
	case "null":
		return Null{}, nil
	case "endobj", "obj", "stream", "endstream", "xref", "trailer", "startxref":
		// A container left open by a broken writer ends with its object.
		p.pos -= len(kw)
		return nil, errEndObj
	}
	n, err := strconv.ParseInt(string(kw), 10, 64)
	if err != nil {
		if isNumeric(kw) {
			f, _ := strconv.ParseFloat(string(kw), 64)
			return Real(f), nil // malformed numbers ("1.2.3") read as 0, as readers do
		}
		if len(kw) == 0 {
			p.pos++ // never stall on a stray byte
		}
		return nil, ErrSyntax
	}
	if ref, ok := p.refTail(n); ok {
		return ref, nil
	}
	return Int(n), nil
}

// refTail tries to read "G R" after the number n.
func (p *parser) refTail(n int64) (Ref, bool) {
	save := p.pos
	p.skipSpace()
	gen, err := strconv.ParseInt(string(p.keyword()), 10, 64)
	if err == nil && n >= 0 && gen >= 0 && p.hasKeyword("R") {
		return Ref{Num: n, Gen: gen}, true
	}
	p.pos = save
	return Ref{}, false
}

// recoverable reports whether a container may go on after err: plain
// syntax errors are skipped (a junk token must not hide the keys after it),
// the end of input, nesting limits and object ends are not.
func (p *parser) recoverable(err error) bool {
	return errors.Is(err, ErrSyntax) && p.pos < len(p.b)
}

func (p *parser) array(depth int) (Object, error) {
	var arr Array
	for {
		o, err := p.object(depth)
		switch {
		case err == nil:
			arr = append(arr, o)
		case errors.Is(err, errEndToken):
			return arr, nil
		case !p.recoverable(err):
			return arr, err
		}
	}
}

func (p *parser) dict(depth int) (Object, error) {
	d := Dict{}
	for {
		k, err := p.object(depth)
		switch {
		case errors.Is(err, errEndToken):
			return d, nil
		case err != nil && !p.recoverable(err):
			return d, err
		}
		key, ok := k.(Name)
		if !ok {
			continue // tolerate junk where a key belongs
		}
		v, err := p.object(depth)
		switch {
		case err == nil:
			d[key] = v
		case errors.Is(err, errEndToken):
			d[key] = Null{}
			return d, nil
		case p.recoverable(err):
			d[key] = Null{} // keep the key: "/JS junk" still names JS
		default:
			d[key] = Null{}
			return d, err
		}
	}
}

// isNumeric reports whether kw is made of PDF number characters only;
// strconv alone would also take "Inf", "NaN" and hex floats.
func isNumeric(kw []byte) bool {
	if len(kw) == 0 {
		return false
	}
	for _, c := range kw {
		if (c < '0' || c > '9') && c != '.' && c != '+' && c != '-' {
			return false
		}
	}
	return true
}
