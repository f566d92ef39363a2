package rawclient

import (
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// Device makes a device's ops: its clock (Now, which a test may skew) and
// its audit chain. Safe for concurrent use.
type Device struct {
	ID, User string
	// Now is the device's clock; nil: time.Now.
	Now func() time.Time

	mu    sync.Mutex
	hlc   merge.HLC
	chain *audit.Entry
}

func (d *Device) tick() merge.HLC {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	d.hlc = merge.Now(now().UnixMilli(), d.hlc)
	d.hlc.Device = d.ID
	return d.hlc
}

// Audit returns the device's next audit op (the next entry of its chain).
func (d *Device) Audit(action, target string) (wire.Op, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.tick()
	e := audit.Next(d.chain, audit.Entry{Device: d.ID, Actor: d.User, Time: time.UnixMilli(c.Wall).UTC(),
		Action: action, Target: target, Decision: audit.Allowed})
	op, err := opcodec.AuditOp(uuid.NewString(), d.User, wire.HLC{Wall: c.Wall, Counter: uint16(min(c.Logical, 65535)), Device: d.ID}, e) // #nosec G115 -- clamped
	if err != nil {
		return wire.Op{}, err
	}
	d.chain = &e
	return op, nil
}

// NewInvoice returns the two ops that create invoice id as a clerk does:
// extract, then a set of its header fields.
func (d *Device) NewInvoice(id string, fields map[string]string) ([]wire.Op, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ent := merge.Entity{Type: merge.EntityInvoice, ID: id}
	extract := merge.Op{ID: uuid.NewString(), Device: d.ID, User: d.User, Clock: d.tick(), Entity: ent,
		Kind: merge.KindCommand, Command: invoice.Command{Kind: invoice.Extract}, BaseStatus: invoice.StatusReceived}
	set := merge.Op{ID: uuid.NewString(), Device: d.ID, User: d.User, Clock: d.tick(), Entity: ent,
		Kind: merge.KindSet, Fields: map[string]merge.FieldChange{}, BaseStatus: invoice.StatusExtracted}
	for k, v := range fields {
		set.Fields[k] = merge.FieldChange{Value: v}
	}
	out := make([]wire.Op, 0, 2)
	for _, m := range []merge.Op{extract, set} {
		w, err := opcodec.ToWire(m)
		if err != nil {
			return nil, fmt.Errorf("rawclient: invoice %s: %w", id, err)
		}
		out = append(out, w)
	}
	return out, nil
}

// Fields is a plausible header for invoice number n.
func Fields(n int) map[string]string {
	return map[string]string{
		"invoice_number":       fmt.Sprintf("R2026-%07d", n),
		"issue_date":           "2026-11-02",
		"currency":             "EUR",
		"seller.name":          fmt.Sprintf("Nordwind Handel %03d GmbH", n%500),
		"seller.vat_id":        fmt.Sprintf("DE%09d", 100000000+n%500),
		"buyer.name":           "SmartAP Test AG",
		"totals.tax_exclusive": fmt.Sprintf("%d.00", 100+n%900),
		"totals.tax":           fmt.Sprintf("%d.00", 19+n%171),
		"totals.payable":       fmt.Sprintf("%d.00", 119+n%1071),
		"payment.iban":         "DE02120300000000202051",
		"cost_centre":          fmt.Sprintf("CC-%02d", n%10),
	}
}
