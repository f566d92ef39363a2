// Package opcodec maps operations between their two shapes: merge.Op, which
// the merge rules apply, and wire.Op, which travels and is stored in the
// server's log. Server and client both convert with it, so an operation
// means the same thing on every replica.
//
// Mapping (the wire shape is the protocol; never change a name):
//   - a command op carries wire Cmd{Name: command kind, Args: {"reason": ...}};
//   - a set op carries one wire change per field path, the path encoded
//     with EncodePath (wire names are snake_case, paths are dotted);
//   - Pre holds "status" (the status the device saw) and, for each field
//     whose base clock is not zero, "base__<encoded path>" = the clock;
//   - an empty value travels as null.
package opcodec

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/wire"
)

// ErrEncode: the op cannot be expressed on the wire (too many fields, a
// path or clock out of the wire's range). Callers split or refuse the op.
var ErrEncode = errors.New("opcodec: cannot encode")

// ErrDecode: a wire op is well-formed for the wire but is not a valid merge
// op (unknown command, malformed clock in Pre, missing status).
var ErrDecode = errors.New("opcodec: cannot decode")

// Names in Pre and Args.
const (
	PreStatus  = "status"
	preBase    = "base__"
	ArgReason  = "reason"
	pathSep    = "."
	wireSep    = "__"
	maxWireLen = 64
)

// MaxSetFields is the most field changes one set op can carry when every
// change has a base clock (Pre holds status plus one base per field).
const MaxSetFields = (wire.MaxFields - 1)

// EncodePath turns a dotted field path ("lines.2.net_amount") into a wire
// field name ("lines__2__net_amount").
func EncodePath(path string) (string, error) {
	if path == "" || strings.Contains(path, wireSep) {
		return "", fmt.Errorf("%w: field path %q", ErrEncode, path)
	}
	name := strings.ReplaceAll(path, pathSep, wireSep)
	if len(name)+len(preBase) > maxWireLen {
		return "", fmt.Errorf("%w: field path %q is longer than the wire allows", ErrEncode, path)
	}
	return name, nil
}

// DecodePath is EncodePath's inverse.
func DecodePath(name string) string { return strings.ReplaceAll(name, wireSep, pathSep) }

// HLCToWire converts a merge clock; the wire counter is 16 bits.
func HLCToWire(c merge.HLC) (wire.HLC, error) {
	if c.Logical > math.MaxUint16 {
		return wire.HLC{}, fmt.Errorf("%w: clock %s: logical counter above %d", ErrEncode, c, math.MaxUint16)
	}
	return wire.HLC{Wall: c.Wall, Counter: uint16(c.Logical), Device: c.Device}, nil // #nosec G115 -- range checked above
}

// HLCFromWire converts a wire clock.
func HLCFromWire(c wire.HLC) merge.HLC {
	return merge.HLC{Wall: c.Wall, Logical: uint32(c.Counter), Device: c.Device}
}

// ToWire converts a merge op; the result passes wire validation.
func ToWire(op merge.Op) (wire.Op, error) {
	if err := op.Validate(); err != nil {
		return wire.Op{}, fmt.Errorf("%w: %w", ErrEncode, err)
	}
	clk, err := HLCToWire(op.Clock)
	if err != nil {
		return wire.Op{}, err
	}
	w := wire.Op{
		ID: op.ID, Device: op.Device, User: op.User, Clock: clk,
		Entity: wire.Entity{Type: op.Entity.Type, ID: op.Entity.ID},
		Pre:    []wire.Field{{Name: PreStatus, Value: ptr(string(op.BaseStatus))}},
	}
	switch op.Kind {
	case merge.KindCommand:
		w.Cmd = &wire.Command{Name: string(op.Command.Kind)}
		if op.Command.Reason != "" {
			w.Cmd.Args = map[string]string{ArgReason: op.Command.Reason}
		}
	case merge.KindSet:
		if err := addChanges(&w, op.Fields); err != nil {
			return wire.Op{}, err
		}
	}
	if err := w.Validate(); err != nil {
		return wire.Op{}, fmt.Errorf("%w: %w", ErrEncode, err)
	}
	return w, nil
}

func addChanges(w *wire.Op, fields map[string]merge.FieldChange) error {
	for _, path := range slices.Sorted(maps.Keys(fields)) {
		ch := fields[path]
		name, err := EncodePath(path)
		if err != nil {
			return err
		}
		var v *string
		if ch.Value != "" {
			v = ptr(ch.Value)
		}
		w.Changes = append(w.Changes, wire.Field{Name: name, Value: v})
		if ch.Base.IsZero() {
			continue
		}
		base, err := HLCToWire(ch.Base)
		if err != nil {
			return err
		}
		w.Pre = append(w.Pre, wire.Field{Name: preBase + name, Value: ptr(base.String())})
	}
	if len(w.Changes) > wire.MaxFields || len(w.Pre) > wire.MaxFields {
		return fmt.Errorf("%w: %d field changes in one op (split it; at most %d with base clocks)",
			ErrEncode, len(w.Changes), MaxSetFields)
	}
	return nil
}

// FromWire converts a wire op; the result passes merge validation.
func FromWire(w wire.Op) (merge.Op, error) {
	if err := w.Validate(); err != nil {
		return merge.Op{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	op := merge.Op{
		ID: w.ID, Device: w.Device, User: w.User, Clock: HLCFromWire(w.Clock),
		Entity: merge.Entity{Type: w.Entity.Type, ID: w.Entity.ID},
	}
	bases, err := readPre(w.Pre, &op)
	if err != nil {
		return merge.Op{}, err
	}
	if w.Cmd != nil {
		op.Kind = merge.KindCommand
		op.Command = invoice.Command{Kind: invoice.CommandKind(w.Cmd.Name), Reason: w.Cmd.Args[ArgReason]}
	} else {
		op.Kind = merge.KindSet
		op.Fields = make(map[string]merge.FieldChange, len(w.Changes))
		for _, f := range w.Changes {
			ch := merge.FieldChange{Base: bases[f.Name]}
			if f.Value != nil {
				ch.Value = *f.Value
			}
			op.Fields[DecodePath(f.Name)] = ch
			delete(bases, f.Name)
		}
		if len(bases) > 0 {
			return merge.Op{}, fmt.Errorf("%w: op %s: base clocks for fields it does not change", ErrDecode, w.ID)
		}
	}
	if err := op.Validate(); err != nil {
		return merge.Op{}, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	return op, nil
}

// readPre fills op.BaseStatus and returns the base clocks by wire name.
func readPre(pre []wire.Field, op *merge.Op) (map[string]merge.HLC, error) {
	bases := map[string]merge.HLC{}
	for _, f := range pre {
		if f.Value == nil {
			return nil, fmt.Errorf("%w: op %s: pre %q has no value", ErrDecode, op.ID, f.Name)
		}
		switch {
		case f.Name == PreStatus:
			op.BaseStatus = invoice.Status(*f.Value)
		case strings.HasPrefix(f.Name, preBase):
			c, err := wire.ParseHLC(*f.Value)
			if err != nil {
				return nil, fmt.Errorf("%w: op %s: %w", ErrDecode, op.ID, err)
			}
			bases[strings.TrimPrefix(f.Name, preBase)] = HLCFromWire(c)
		default:
			return nil, fmt.Errorf("%w: op %s: unknown precondition %q", ErrDecode, op.ID, f.Name)
		}
	}
	if op.BaseStatus == "" {
		return nil, fmt.Errorf("%w: op %s: no %q precondition", ErrDecode, op.ID, PreStatus)
	}
	return bases, nil
}

func ptr(s string) *string { return &s }
