package opcodec

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/sync/wire"
)

// EntityAudit is the entity type of audit operations. Audit entries are a
// union (ARCHITECTURE §6–7): they are appended to the log and never merged,
// and the server folds them, in log order, into its Merkle log.
//
// An audit op carries one entry of the device's chain: entity
// {audit, <device>}, changes "seq" (the entry's index in the device chain),
// "entry" (base64 of audit.Entry.Encode) and "hash" (hex of the chain hash).
const EntityAudit = "audit"

// AuditOp wraps one audit entry as an operation. id must be a fresh UUID;
// clock is the device's clock when the entry is queued.
func AuditOp(id, user string, clock wire.HLC, e audit.Entry) (wire.Op, error) {
	op := wire.Op{
		ID: id, Device: e.Device, User: user, Clock: clock,
		Entity: wire.Entity{Type: EntityAudit, ID: e.Device},
		Changes: []wire.Field{
			{Name: "seq", Value: ptr(strconv.FormatUint(e.Seq, 10))},
			{Name: "entry", Value: ptr(base64.StdEncoding.EncodeToString(e.Encode()))},
			{Name: "hash", Value: ptr(hex.EncodeToString(e.Hash[:]))},
		},
	}
	if err := op.Validate(); err != nil {
		return wire.Op{}, fmt.Errorf("%w: audit entry %d: %w", ErrEncode, e.Seq, err)
	}
	return op, nil
}

// AuditEntry unwraps an audit op and checks that its parts agree: the
// decoded entry's device and sequence match the op, and the stated hash is
// the entry's chain hash.
func AuditEntry(op wire.Op) (audit.Entry, error) {
	bad := func(format string, a ...any) (audit.Entry, error) {
		return audit.Entry{}, fmt.Errorf("%w: audit op %s: %s", ErrDecode, op.ID, fmt.Sprintf(format, a...))
	}
	if op.Entity.Type != EntityAudit || op.Cmd != nil || len(op.Changes) != 3 {
		return bad("not an audit entry")
	}
	vals := map[string]string{}
	for _, f := range op.Changes {
		if f.Value == nil {
			return bad("field %s has no value", f.Name)
		}
		vals[f.Name] = *f.Value
	}
	raw, err := base64.StdEncoding.DecodeString(vals["entry"])
	if err != nil {
		return bad("entry: %v", err)
	}
	e, err := audit.Decode(raw)
	if err != nil {
		return bad("entry: %v", err)
	}
	h, err := hex.DecodeString(vals["hash"])
	if err != nil || len(h) != len(e.Hash) {
		return bad("hash is not 32 bytes of hex")
	}
	copy(e.Hash[:], h)
	switch {
	case e.Device != op.Device || op.Entity.ID != op.Device:
		return bad("entry of device %q sent by %q", e.Device, op.Device)
	case strconv.FormatUint(e.Seq, 10) != vals["seq"]:
		return bad("seq %q is not the entry's %d", vals["seq"], e.Seq)
	case audit.ComputeHash(e) != e.Hash:
		return bad("hash does not match the entry")
	}
	return e, nil
}
