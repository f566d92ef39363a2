package opcodec

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/wire"
)

// A snapshot record carries one entity's merged state (merge.State without
// AppliedOps: ops at or below the snapshot's sequence are never delivered
// again, and the server's log stores each op id once), as the state text
// (statetext.go). The text is cut into values of at most chunkLen bytes
// named t_000, t_001, ...; an entity too big for one record continues in
// the next record of the same entity, so a receiver concatenates the
// values of each entity in order.
const (
	chunkLen  = wire.MaxValue - 96
	chunkName = "t_%03d"
	maxChunks = 1000
	perRecord = wire.MaxFields
)

// StateRecords encodes s as one or more snapshot records.
func StateRecords(s merge.State) ([]wire.Record, error) {
	clk, err := HLCToWire(latest(s))
	if err != nil {
		return nil, err
	}
	text := encodeStateText(s)
	chunks := split(text, chunkLen)
	if len(chunks) > maxChunks {
		return nil, fmt.Errorf("%w: %s: state of %d bytes is too large for a snapshot", ErrEncode, s.Entity, len(text))
	}
	out := make([]wire.Record, 0, (len(chunks)+perRecord-1)/perRecord)
	for i, c := range chunks {
		if i%perRecord == 0 {
			out = append(out, wire.Record{Entity: wire.Entity{Type: s.Entity.Type, ID: s.Entity.ID}, Clock: clk,
				Fields: make([]wire.Field, 0, min(perRecord, len(chunks)-i))})
		}
		r := &out[len(out)-1]
		r.Fields = append(r.Fields, wire.Field{Name: chunkNameAt(i), Value: ptr(c)})
	}
	return out, nil
}

// StatesFromRecords decodes the records of one or more snapshot pages, in
// the order received, into states by entity. Every returned state has an
// empty AppliedOps set.
func StatesFromRecords(recs []wire.Record) (map[merge.Entity]merge.State, error) {
	raw := map[merge.Entity][]string{}
	var order []merge.Entity
	for _, r := range recs {
		e := merge.Entity{Type: r.Entity.Type, ID: r.Entity.ID}
		if _, ok := raw[e]; !ok {
			order = append(order, e)
		}
		for _, f := range r.Fields {
			if f.Value == nil || f.Name != chunkNameAt(len(raw[e])) {
				return nil, fmt.Errorf("%w: %s: snapshot field %q out of order", ErrDecode, e, f.Name)
			}
			raw[e] = append(raw[e], *f.Value)
		}
	}
	out := make(map[merge.Entity]merge.State, len(raw))
	for _, e := range order {
		parts := raw[e]
		if len(parts) == 0 {
			return nil, fmt.Errorf("%w: %s: snapshot record without fields", ErrDecode, e)
		}
		text := parts[0]
		if len(parts) != 1 {
			text = strings.Join(parts, "")
		}
		s, err := decodeStateText(e, text)
		if err != nil {
			return nil, err
		}
		out[e] = s
	}
	return out, nil
}

// chunkNameAt is the name of chunk i, without fmt for the common
// single-chunk state.
func chunkNameAt(i int) string {
	if i == 0 {
		return "t_000"
	}
	return fmt.Sprintf(chunkName, i)
}

// latest is the highest clock in s, the record's clock.
func latest(s merge.State) merge.HLC {
	var c merge.HLC
	for _, f := range s.Fields {
		if merge.Compare(f.Clock, c) > 0 {
			c = f.Clock
		}
	}
	if c.IsZero() {
		c = merge.HLC{Wall: 1, Device: "snapshot"}
	}
	return c
}

// split cuts s into pieces of at most n bytes without splitting a rune.
func split(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return append(out, s)
}
