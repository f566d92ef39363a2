package wire

import (
	"fmt"
	"strings"
)

// Cursor is a position in a team's operation log: the server sequence of
// the last operation seen, within one index. The index id names the server's
// sequence space (the Syncthing IndexID model): if the server's index id
// differs from the cursor's, the sequence numbers mean something else (a
// restored or rebuilt server) and the client must bootstrap again instead of
// pulling (security checklist #24).
type Cursor struct {
	Index string `json:"index"`
	Seq   uint64 `json:"seq"`
}

// SameIndex reports whether c and o count in the same sequence space.
func (c Cursor) SameIndex(o Cursor) bool { return c.Index == o.Index }

// String is the text form "<index>:<seq>", for storing a cursor locally.
func (c Cursor) String() string { return fmt.Sprintf("%s:%d", c.Index, c.Seq) }

// ParseCursor parses the text form.
func ParseCursor(s string) (Cursor, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return Cursor{}, fmt.Errorf("%w: cursor %q: want <index>:<seq>", ErrInvalid, s)
	}
	seq, err := parseCanonical(s[i+1:], 64)
	if err != nil {
		return Cursor{}, fmt.Errorf("%w: cursor %q: %v", ErrInvalid, s, err)
	}
	c := Cursor{Index: s[:i], Seq: seq}
	if err := c.check(); err != nil {
		return Cursor{}, fmt.Errorf("%w: cursor %q: %v", ErrInvalid, s, err)
	}
	return c, nil
}

// check requires an index id; sequence 0 means "before the first operation".
func (c Cursor) check() error { return checkID("index", c.Index) }
