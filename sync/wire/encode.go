package wire

import (
	"slices"
	"strconv"
	"unicode/utf8"
)

// Hand-written JSON for the frames that carry operations (push, page,
// ack) and for the envelope of every frame. They are the bulk of what a
// sync server writes, and encoding/json spends most of its time there in
// reflection and in re-checking the body it embeds as a RawMessage. The
// output is byte for byte what encoding/json produces without HTML
// escaping (marshal): the golden files and TestFastEncodingMatchesJSON
// hold both to that.

// appendEnvelopeHead writes {"v":…,"type":…,"id":…,"body": ; the body
// and the closing brace follow.
func appendEnvelopeHead(dst []byte, typ, id string) []byte {
	dst = append(dst, `{"v":`...)
	dst = strconv.AppendInt(dst, Version, 10)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, typ)
	dst = append(dst, `,"id":`...)
	dst = appendString(dst, id)
	return append(dst, `,"body":`...)
}

// sizeHint guesses the encoded size of the bodies appendBody writes, so a
// frame is allocated about once instead of doubling up to its size.
func sizeHint(b Body) int {
	n := 64
	switch v := b.(type) {
	case Push:
		for i := range v.Ops {
			n += opSizeHint(&v.Ops[i])
		}
	case Page:
		for i := range v.Ops {
			n += 32 + opSizeHint(&v.Ops[i].Op)
		}
	case Ack:
		n += 64 * len(v.Ops)
	}
	return n
}

func opSizeHint(op *Op) int {
	n := 128 + len(op.ID) + len(op.Device) + len(op.User) + len(op.Clock.Device) + len(op.Entity.Type) + len(op.Entity.ID)
	if op.Cmd != nil {
		n += 32 + len(op.Cmd.Name)
		for k, v := range op.Cmd.Args {
			n += 8 + len(k) + len(v)
		}
	}
	for _, fs := range [2][]Field{op.Changes, op.Pre} {
		for _, f := range fs {
			n += 24 + len(f.Name)
			if f.Value != nil {
				n += len(*f.Value)
			}
		}
	}
	return n
}

// appendBody encodes the bodies that have a hand-written form; ok is
// false for the others (encoded with marshal).
func appendBody(dst []byte, b Body) (out []byte, ok bool) {
	switch v := b.(type) {
	case Push:
		dst = append(dst, `{"ops":`...)
		if v.Ops == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, '[')
			for i := range v.Ops {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = AppendOp(dst, &v.Ops[i])
			}
			dst = append(dst, ']')
		}
		return append(dst, '}'), true
	case Page:
		return appendPage(dst, &v), true
	case Ack:
		return appendAck(dst, &v), true
	}
	return dst, false
}

func appendPage(dst []byte, p *Page) []byte {
	dst = append(dst, `{"ops":`...)
	if p.Ops == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range p.Ops {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"seq":`...)
			dst = strconv.AppendUint(dst, p.Ops[i].Seq, 10)
			dst = append(dst, `,"op":`...)
			dst = AppendOp(dst, &p.Ops[i].Op)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"next":`...)
	dst = appendCursor(dst, p.Next)
	dst = append(dst, `,"more":`...)
	dst = strconv.AppendBool(dst, p.More)
	return append(dst, '}')
}

func appendAck(dst []byte, a *Ack) []byte {
	dst = append(dst, `{"index":`...)
	dst = appendString(dst, a.Index)
	dst = append(dst, `,"ops":`...)
	if a.Ops == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, o := range a.Ops {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"op":`...)
			dst = appendString(dst, o.Op)
			dst = append(dst, `,"seq":`...)
			dst = strconv.AppendUint(dst, o.Seq, 10)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func appendCursor(dst []byte, c Cursor) []byte {
	dst = append(dst, `{"index":`...)
	dst = appendString(dst, c.Index)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendUint(dst, c.Seq, 10)
	return append(dst, '}')
}

// AppendOp appends the JSON of op, exactly as the op appears inside a
// frame (no validation). A sync server can store these bytes as the op's
// record: they decode to the same op.
func AppendOp(dst []byte, op *Op) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, op.ID)
	dst = append(dst, `,"device":`...)
	dst = appendString(dst, op.Device)
	dst = append(dst, `,"user":`...)
	dst = appendString(dst, op.User)
	dst = append(dst, `,"hlc":"`...)
	// The clock's text form, quoted: appendString of it without the copy
	// String makes.
	dst = strconv.AppendInt(dst, op.Clock.Wall, 10)
	dst = append(dst, '-')
	dst = strconv.AppendUint(dst, uint64(op.Clock.Counter), 10)
	dst = append(dst, '-')
	dst = appendStringBody(dst, op.Clock.Device)
	dst = append(dst, `","entity":{"type":`...)
	dst = appendString(dst, op.Entity.Type)
	dst = append(dst, `,"id":`...)
	dst = appendString(dst, op.Entity.ID)
	dst = append(dst, '}')
	if op.Cmd != nil {
		dst = append(dst, `,"command":{"name":`...)
		dst = appendString(dst, op.Cmd.Name)
		if op.Cmd.Args != nil {
			dst = append(dst, `,"args":{`...)
			var room [MaxArgs]string // no allocation for a valid op
			keys := room[:0]
			for k := range op.Cmd.Args {
				keys = append(keys, k)
			}
			slices.Sort(keys) // encoding/json writes map keys sorted
			for i, k := range keys {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendString(dst, k)
				dst = append(dst, ':')
				dst = appendString(dst, op.Cmd.Args[k])
			}
			dst = append(dst, '}')
		}
		dst = append(dst, '}')
	}
	if op.Changes != nil {
		dst = append(dst, `,"changes":`...)
		dst = appendFields(dst, op.Changes)
	}
	if op.Pre != nil {
		dst = append(dst, `,"pre":`...)
		dst = appendFields(dst, op.Pre)
	}
	return append(dst, '}')
}

func appendFields(dst []byte, fs []Field) []byte {
	dst = append(dst, '[')
	for i, f := range fs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"field":`...)
		dst = appendString(dst, f.Name)
		dst = append(dst, `,"value":`...)
		if f.Value == nil {
			dst = append(dst, "null"...)
		} else {
			dst = appendString(dst, *f.Value)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping off.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendStringBody(dst, s)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// appendStringBody is appendString without the quotes. Invalid UTF-8
// becomes U+FFFD and U+2028/U+2029 are escaped, as in encoding/json.
func appendStringBody(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}
