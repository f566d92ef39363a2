package audit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// EncodingVersion is the first byte of every encoded entry.
//
// Layout, version 1 (all integers big-endian):
//
//	version  1 byte  = 1
//	seq      8 bytes uint64
//	time     8 bytes int64, Unix milliseconds
//	prev     32 bytes
//	then nine strings, each a uint32 length and its bytes, in this order:
//	device, actor, action, target, decision, reason, rule, before, after
//
// Fixed-width lengths (not varints) keep exactly one encoding per entry,
// which the hash chain relies on: Encode(Decode(b)) == b for every b that
// Decode accepts.
const EncodingVersion byte = 1

const fixedLen = 1 + 8 + 8 + 32

var (
	// ErrVersion means the encoding starts with an unknown version byte.
	ErrVersion = errors.New("audit: unknown entry encoding version")
	// ErrMalformed means the bytes are not a well-formed entry encoding.
	ErrMalformed = errors.New("audit: malformed entry encoding")
)

// Encode returns the canonical bytes of e without Hash. Time is stored as
// UTC milliseconds, so round trips are exact for times normalized by Next.
// It panics if a field is 4 GiB or longer, which no caller can produce
// through the service layer.
func (e Entry) Encode() []byte {
	fields := e.stringFields()
	n := fixedLen
	for _, f := range fields {
		n += 4 + len(f)
	}
	out := make([]byte, 0, n)
	out = append(out, EncodingVersion)
	out = binary.BigEndian.AppendUint64(out, e.Seq)
	out = binary.BigEndian.AppendUint64(out, uint64(e.Time.UnixMilli())) // #nosec G115 -- two's complement round trip, see Decode
	out = append(out, e.Prev[:]...)
	for _, f := range fields {
		out = appendString(out, f)
	}
	return out
}

func (e Entry) stringFields() [9]string {
	return [9]string{e.Device, e.Actor, e.Action, e.Target, string(e.Decision),
		e.Reason, e.Rule, e.Before, e.After}
}

func appendString(out []byte, s string) []byte {
	if uint64(len(s)) > math.MaxUint32 {
		panic(fmt.Sprintf("audit: field of %d bytes cannot be encoded", len(s)))
	}
	out = binary.BigEndian.AppendUint32(out, uint32(len(s))) // #nosec G115 -- checked above
	return append(out, s...)
}

// Decode parses bytes made by Encode. It is strict, since a lenient parser
// would give one entry several encodings: an unknown version, a length that
// runs past the end, trailing bytes or an unknown decision is an error.
// The returned entry's Hash is zero; the caller recomputes or loads it.
func Decode(b []byte) (Entry, error) {
	if len(b) == 0 {
		return Entry{}, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if b[0] != EncodingVersion {
		return Entry{}, fmt.Errorf("%w %d", ErrVersion, b[0])
	}
	if len(b) < fixedLen {
		return Entry{}, fmt.Errorf("%w: %d bytes, need at least %d", ErrMalformed, len(b), fixedLen)
	}
	var e Entry
	e.Seq = binary.BigEndian.Uint64(b[1:9])
	e.Time = time.UnixMilli(int64(binary.BigEndian.Uint64(b[9:17]))).UTC() // #nosec G115 -- inverse of Encode
	copy(e.Prev[:], b[17:fixedLen])
	r := reader{b: b[fixedLen:]}
	fields := [9]*string{&e.Device, &e.Actor, &e.Action, &e.Target, nil,
		&e.Reason, &e.Rule, &e.Before, &e.After}
	for i, dst := range fields {
		s, err := r.string()
		if err != nil {
			return Entry{}, fmt.Errorf("%w: field %d: %w", ErrMalformed, i+1, err)
		}
		if dst == nil {
			e.Decision = Decision(s)
			continue
		}
		*dst = s
	}
	if len(r.b) != 0 {
		return Entry{}, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(r.b))
	}
	if !e.Decision.Valid() {
		return Entry{}, fmt.Errorf("%w: unknown decision %q", ErrMalformed, e.Decision)
	}
	return e, nil
}

var errShort = errors.New("length runs past the end")

// reader consumes length-prefixed strings. Lengths are checked against
// what is left before anything is allocated, so a forged length cannot
// make Decode allocate more than its input.
type reader struct{ b []byte }

func (r *reader) string() (string, error) {
	if len(r.b) < 4 {
		return "", errShort
	}
	n := uint64(binary.BigEndian.Uint32(r.b))
	if n > uint64(len(r.b)-4) { // #nosec G115 -- len(r.b) >= 4 here
		return "", errShort
	}
	s := string(r.b[4 : 4+n])
	r.b = r.b[4+n:]
	return s, nil
}
