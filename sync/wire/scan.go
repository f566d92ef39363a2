package wire

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// A hand-written reader for push and page frames exactly as Encode writes
// them: the keys in Encode's order, no whitespace, no unknown keys,
// strings without \u escapes. These frames carry every operation a server
// receives and every operation a client is sent; reading them with
// encoding/json is mostly reflection. Anything outside that narrow form,
// including every malformed frame, makes the reader give up (ok false) and
// Decode takes its general path, so errors and unusual spellings are
// handled exactly as before. Within the form, the value is the one
// encoding/json gives (FuzzOnePassMatchesGeneral compares them).

// scanner reads b from i; a failed expectation sets bad and every later
// call does nothing.
type scanner struct {
	b   []byte
	i   int
	bad bool
	// names interns the short strings that repeat across the ops of a
	// frame (devices, users, entity types, field names): one allocation
	// per distinct name instead of one per occurrence.
	names map[string]string
	// scratch collects one op's fields before they get their final,
	// exactly sized storage.
	scratch []scannedField
}

// scannedField is a field as read: its value is either b[from:to] (no
// escapes) or, when it had escapes, value.
type scannedField struct {
	name, value string
	from, to    int
	null        bool
}

// maxNames bounds the interned names of one frame.
const maxNames = 256

// name is str for a string that is likely to repeat in the frame.
func (s *scanner) name() string {
	if s.bad || s.i >= len(s.b) || s.b[s.i] != '"' {
		s.bad = true
		return ""
	}
	end := s.i + 1
	for end < len(s.b) && s.b[end] != '"' && s.b[end] != '\\' && s.b[end] >= 0x20 && s.b[end] < utf8.RuneSelf {
		end++
	}
	if end >= len(s.b) || s.b[end] != '"' {
		return s.str() // escapes, non-ASCII or malformed: the general reader
	}
	raw := s.b[s.i+1 : end]
	s.i = end + 1
	if v, ok := s.names[string(raw)]; ok {
		return v
	}
	v := string(raw)
	if s.names == nil {
		s.names = make(map[string]string)
	}
	if len(s.names) < maxNames {
		s.names[v] = v
	}
	return v
}

// lit consumes s exactly.
func (s *scanner) lit(lit string) {
	if s.bad {
		return
	}
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		s.bad = true
		return
	}
	s.i += len(lit)
}

// peek reports whether the next bytes are lit, without consuming them.
func (s *scanner) peek(lit string) bool {
	return !s.bad && len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit
}

// str reads a JSON string. Plain bytes and the one-letter escapes are
// decoded; a \u escape, a control byte or invalid UTF-8 gives up (what
// encoding/json does with them is left to it).
func (s *scanner) str() string {
	if s.bad || s.i >= len(s.b) || s.b[s.i] != '"' {
		s.bad = true
		return ""
	}
	s.i++
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			v := s.b[start:s.i]
			s.i++
			if !utf8.Valid(v) {
				s.bad = true
				return ""
			}
			return string(v)
		case c == '\\':
			return s.escaped(start)
		case c < 0x20:
			s.bad = true
			return ""
		}
		s.i++
	}
	s.bad = true
	return ""
}

// escaped finishes a string that has escapes, from its start.
func (s *scanner) escaped(start int) string {
	out := append([]byte(nil), s.b[start:s.i]...)
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			if !utf8.Valid(out) {
				s.bad = true
				return ""
			}
			return string(out)
		case c < 0x20:
			s.bad = true
			return ""
		case c != '\\':
			out = append(out, c)
			s.i++
			continue
		}
		if s.i+1 >= len(s.b) {
			break
		}
		r, ok := unescape(s.b[s.i+1])
		if !ok {
			break
		}
		out = append(out, r)
		s.i += 2
	}
	s.bad = true
	return ""
}

// unescape decodes the one-letter escapes JSON has.
func unescape(c byte) (byte, bool) {
	switch c {
	case '"', '\\', '/':
		return c, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// uint reads a canonical unsigned integer that fits 64 bits.
func (s *scanner) uint() uint64 {
	if s.bad {
		return 0
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	digits := s.b[start:s.i]
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		s.bad = true
		return 0
	}
	v, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil {
		s.bad = true
	}
	return v
}

func (s *scanner) boolean() bool {
	switch {
	case s.peek("true"):
		s.i += 4
		return true
	case s.peek("false"):
		s.i += 5
		return false
	}
	s.bad = true
	return false
}

// list reads [item,item,...]; null gives up (encoding/json leaves a nil
// slice, which the callers do not need to special-case here).
func (s *scanner) list(item func()) {
	s.lit("[")
	if s.peek("]") {
		s.i++
		return
	}
	for !s.bad {
		item()
		if s.peek(",") {
			s.i++
			continue
		}
		s.lit("]")
		return
	}
}

// op reads an op as AppendOp writes it.
func (s *scanner) op(o *Op) {
	s.lit(`{"id":`)
	o.ID = s.str()
	s.lit(`,"device":`)
	o.Device = s.name()
	s.lit(`,"user":`)
	o.User = s.name()
	s.lit(`,"hlc":`)
	if clock := s.str(); !s.bad {
		h, err := ParseHLC(clock)
		if err != nil {
			s.bad = true // encoding/json reports it, with its own words
		}
		o.Clock = h
	}
	s.lit(`,"entity":{"type":`)
	o.Entity.Type = s.name()
	s.lit(`,"id":`)
	o.Entity.ID = s.str()
	s.lit("}")
	if s.peek(`,"command":`) {
		s.i += len(`,"command":`)
		o.Cmd = s.command()
	}
	if s.peek(`,"changes":`) {
		s.i += len(`,"changes":`)
		o.Changes = s.fields()
	}
	if s.peek(`,"pre":`) {
		s.i += len(`,"pre":`)
		o.Pre = s.fields()
	}
	s.lit("}")
}

func (s *scanner) command() *Command {
	c := &Command{}
	s.lit(`{"name":`)
	c.Name = s.str()
	if s.peek(`,"args":{`) {
		s.i += len(`,"args":{`)
		c.Args = map[string]string{}
		for !s.bad && !s.peek("}") {
			if len(c.Args) > 0 {
				s.lit(",")
			}
			k := s.str()
			s.lit(":")
			v := s.str()
			if _, dup := c.Args[k]; dup {
				s.bad = true // a repeated key: left to encoding/json
			}
			c.Args[k] = v
		}
		s.lit("}")
	}
	s.lit("}")
	return c
}

func (s *scanner) fields() []Field {
	s.scratch = s.scratch[:0]
	s.list(func() {
		var f scannedField
		s.lit(`{"field":`)
		f.name = s.name()
		s.lit(`,"value":`)
		switch {
		case s.peek("null"):
			s.i += 4
			f.null = true
		case s.plainString():
			f.from = s.i + 1
			s.i = bytes.IndexByte(s.b[f.from:], '"') + f.from + 1
			f.to = s.i - 1
		default:
			f.value = s.str()
		}
		s.lit("}")
		s.scratch = append(s.scratch, f)
	})
	return s.fieldList()
}

// plainString reports that a string without escapes or control bytes, in
// valid UTF-8, starts at i: its value is its bytes.
func (s *scanner) plainString() bool {
	if s.bad || s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	end := s.i + 1
	for end < len(s.b) && s.b[end] != '"' && s.b[end] != '\\' && s.b[end] >= 0x20 {
		end++
	}
	return end < len(s.b) && s.b[end] == '"' && utf8.Valid(s.b[s.i+1:end])
}

// fieldList turns the scratch fields into the op's list: one allocation
// for the list, one for the value pointers' targets and one string holding
// every plain value (the values of one op live and die together).
func (s *scanner) fieldList() []Field {
	fs := make([]Field, len(s.scratch))
	values, size := 0, 0
	for _, f := range s.scratch {
		if !f.null {
			values++
			size += f.to - f.from
		}
	}
	joined := make([]byte, 0, size)
	for _, f := range s.scratch {
		joined = append(joined, s.b[f.from:f.to]...)
	}
	all := string(joined)
	store := make([]string, 0, values)
	at := 0
	for i, f := range s.scratch {
		fs[i].Name = f.name
		if f.null {
			continue
		}
		v := f.value
		if n := f.to - f.from; n > 0 {
			v, at = all[at:at+n], at+n
		}
		store = append(store, v)
		fs[i].Value = &store[len(store)-1]
	}
	return fs
}
