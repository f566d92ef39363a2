package opcodec

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/sync/wire"
)

func TestAuditOpRoundTrip(t *testing.T) {
	first := audit.Next(nil, audit.Entry{Device: "dev-1", Actor: "anna", Time: time.UnixMilli(1767225600000).UTC(),
		Action: "invoice.approve", Target: "inv-1", Decision: audit.Allowed, Reason: "role approver"})
	e := audit.Next(&first, audit.Entry{Device: "dev-1", Actor: "anna", Time: time.UnixMilli(1767225601000).UTC(),
		Action: "invoice.export", Target: "inv-1"})
	c := wire.HLC{Wall: 1767225601000, Device: "dev-1"}
	op, err := AuditOp("0190f3a2-7c1e-7b2a-9f00-000000000009", "anna", c, e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := AuditEntry(op)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("got %+v, want %+v", got, e)
	}

	tampered := op
	tampered.Changes = append([]wire.Field(nil), op.Changes...)
	other := "1"
	tampered.Changes[0].Value = &other
	forged := op
	forged.Device, forged.Clock.Device, forged.Entity.ID = "dev-2", "dev-2", "dev-2"
	for name, o := range map[string]wire.Op{"seq mismatch": tampered, "other device": forged} {
		if _, err := AuditEntry(o); !errors.Is(err, ErrDecode) {
			t.Errorf("%s: err = %v, want ErrDecode", name, err)
		}
	}
}
