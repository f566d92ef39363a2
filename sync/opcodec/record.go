package opcodec

import (
	"encoding/json"
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
// values of each entity in order. Values named s_000, ... hold the state
// as JSON, as servers before the state text sent it; they still decode.
const (
	chunkLen  = wire.MaxValue - 96
	chunkName = "t_%03d"
	jsonName  = "s_%03d"
	maxChunks = 1000
	perRecord = wire.MaxFields
)

// snapState is merge.State minus AppliedOps.
type snapState struct {
	Entity     merge.Entity           `json:"entity"`
	Status     json.RawMessage        `json:"status"`
	LastChange merge.StatusChange     `json:"last_change"`
	Fields     map[string]merge.Field `json:"fields"`
	Exceptions []merge.Exception      `json:"exceptions"`
}

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
		r.Fields = append(r.Fields, wire.Field{Name: chunkNameAt(chunkName, i), Value: ptr(c)})
	}
	return out, nil
}

// StatesFromRecords decodes the records of one or more snapshot pages, in
// the order received, into states by entity. Every returned state has an
// empty AppliedOps set.
func StatesFromRecords(recs []wire.Record) (map[merge.Entity]merge.State, error) {
	type parts struct {
		text []string
		json bool
	}
	raw := map[merge.Entity]*parts{}
	var order []merge.Entity
	for _, r := range recs {
		e := merge.Entity{Type: r.Entity.Type, ID: r.Entity.ID}
		p := raw[e]
		if p == nil {
			p = &parts{json: len(r.Fields) > 0 && strings.HasPrefix(r.Fields[0].Name, "s_")}
			raw[e] = p
			order = append(order, e)
		}
		name := chunkName
		if p.json {
			name = jsonName
		}
		for _, f := range r.Fields {
			if f.Value == nil || f.Name != chunkNameAt(name, len(p.text)) {
				return nil, fmt.Errorf("%w: %s: snapshot field %q out of order", ErrDecode, e, f.Name)
			}
			p.text = append(p.text, *f.Value)
		}
	}
	out := make(map[merge.Entity]merge.State, len(raw))
	for _, e := range order {
		p := raw[e]
		if len(p.text) == 0 {
			return nil, fmt.Errorf("%w: %s: snapshot record without fields", ErrDecode, e)
		}
		text := p.text[0]
		if len(p.text) != 1 {
			text = strings.Join(p.text, "")
		}
		var s merge.State
		var err error
		if p.json {
			s, err = decodeState(e, []byte(text))
		} else {
			s, err = decodeStateText(e, text)
		}
		if err != nil {
			return nil, err
		}
		out[e] = s
	}
	return out, nil
}

// chunkNameAt is fmt.Sprintf(format, i), without fmt for the common
// single-chunk state.
func chunkNameAt(format string, i int) string {
	if i == 0 && format == chunkName {
		return "t_000"
	}
	return fmt.Sprintf(format, i)
}

func decodeState(e merge.Entity, raw []byte) (merge.State, error) {
	var ss snapState
	if err := json.Unmarshal(raw, &ss); err != nil {
		return merge.State{}, fmt.Errorf("%w: %s: snapshot state: %w", ErrDecode, e, err)
	}
	if ss.Entity != e {
		return merge.State{}, fmt.Errorf("%w: snapshot record for %s holds %s", ErrDecode, e, ss.Entity)
	}
	s := merge.NewState(e)
	if err := json.Unmarshal(ss.Status, &s.Status); err != nil {
		return merge.State{}, fmt.Errorf("%w: %s: snapshot status: %w", ErrDecode, e, err)
	}
	if err := s.Status.Validate(); err != nil {
		return merge.State{}, fmt.Errorf("%w: %s: %w", ErrDecode, e, err)
	}
	s.LastChange, s.Exceptions = ss.LastChange, ss.Exceptions
	if ss.Fields != nil {
		s.Fields = ss.Fields
	}
	return s, nil
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
