package checkpoint

import (
	"encoding/json"
	"fmt"

	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
	"golang.org/x/mod/sumdb/tlog"
)

// IsLeaf reports whether op becomes a leaf of the log (an audit op).
func IsLeaf(op wire.Op) bool { return op.Entity.Type == opcodec.EntityAudit }

// LeafBytes returns the canonical bytes of op (see the package comment).
func LeafBytes(op wire.Op) ([]byte, error) {
	b, err := json.Marshal(op)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: leaf bytes of op %s: %w", op.ID, err)
	}
	return b, nil
}

// LeafHash returns the tree's record hash of op.
func LeafHash(op wire.Op) (wire.Hash, error) {
	b, err := LeafBytes(op)
	if err != nil {
		return wire.Hash{}, err
	}
	return wire.Hash(tlog.RecordHash(b)), nil
}
