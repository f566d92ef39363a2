package core

import (
	"context"
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vendor"
)

// DefaultRetention is how long invoices and their documents are kept
// after their issue date (10 years, the longest common statutory period).
const DefaultRetention = 10 * 365 * 24 * time.Hour

// AddContact records a vendor's contact person (a data subject).
func (s *Session) AddContact(ctx context.Context, c vendor.Contact) (vendor.Contact, error) {
	err := s.do(ctx, identity.ContactAdd, c.VendorID, func(tx *store.Tx, rec *record) error {
		n, err := c.Normalize()
		if err != nil {
			return invalid(err)
		}
		if _, err := tx.Vendor(n.VendorID); err != nil {
			return err
		}
		n.ID = newID()
		c = n
		// The audit entry names the subject by id only: erasing the person
		// later must not require touching the chain.
		rec.Target, rec.Reason = n.ID, "contact person added to vendor "+n.VendorID
		return tx.InsertContact(n, s.c.now())
	})
	return c, err
}

// Contacts lists a vendor's contact persons (erased ones without data).
func (s *Session) Contacts(ctx context.Context, vendorID string) ([]vendor.Contact, error) {
	var out []vendor.Contact
	err := s.do(ctx, identity.VendorShow, vendorID, func(tx *store.Tx, _ *record) error {
		var err error
		out, err = tx.Contacts(vendorID)
		return err
	})
	return out, err
}

// SubjectExport is everything held about one data subject.
type SubjectExport struct {
	Subject string         `json:"subject"`
	Contact vendor.Contact `json:"contact"`
	Vendor  struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"vendor"`
	Events []HistoryEntry `json:"events"`
}

// GDPRExport returns everything about a data subject as JSON-ready data.
func (s *Session) GDPRExport(ctx context.Context, subject string) (SubjectExport, error) {
	out := SubjectExport{Subject: subject, Events: []HistoryEntry{}}
	err := s.do(ctx, identity.GDPRExport, subject, func(tx *store.Tx, rec *record) error {
		c, err := tx.Contact(subject)
		if err != nil {
			return err
		}
		v, err := tx.Vendor(c.VendorID)
		if err != nil {
			return err
		}
		out.Contact, out.Vendor.ID, out.Vendor.Name = c, v.ID, v.Name
		entries, _, err := tx.AuditLog(s.deviceID)
		for _, e := range entries {
			if e.Target == subject {
				out.Events = append(out.Events, HistoryEntry{Time: e.Time, Actor: e.Actor, Action: e.Action, Decision: string(e.Decision), Reason: e.Reason})
			}
		}
		rec.Reason = "data subject export"
		return err
	})
	return out, err
}

// GDPRErase erases a data subject by destroying its key. The audit chain,
// which names the subject by id only, stays intact and verifiable.
func (s *Session) GDPRErase(ctx context.Context, subject string) error {
	return s.do(ctx, identity.GDPRErase, subject, func(tx *store.Tx, rec *record) error {
		rec.Reason = "data subject erased (key destroyed)"
		return tx.EraseSubject(subject, s.c.now())
	})
}

// SetLegalHold stops retention from purging an invoice, or every invoice
// of a vendor when target is a vendor id.
func (s *Session) SetLegalHold(ctx context.Context, target, reason string, on bool) error {
	return s.do(ctx, identity.LegalHold, target, func(tx *store.Tx, rec *record) error {
		if !on {
			rec.Reason = "legal hold lifted"
			return tx.RemoveLegalHold(target)
		}
		if reason == "" {
			return apperr.New(apperr.InvalidInput, "a legal hold needs a reason")
		}
		_, errInv := tx.Invoice(target)
		_, errVen := tx.Vendor(target)
		if errInv != nil && errVen != nil {
			return apperr.New(apperr.NotFound, "no invoice or vendor %s", target)
		}
		rec.Reason = "legal hold: " + reason
		return tx.SetLegalHold(target, reason, s.c.now())
	})
}

// RetentionReport says what a retention run did.
type RetentionReport struct {
	Purged []string `json:"purged"`
	Held   []string `json:"held"` // due, but under a legal hold
	DryRun bool     `json:"dry_run"`
}

// RunRetention purges invoices (and their sealed originals) whose issue
// date is older than keep, except those under a legal hold or not yet
// finished (paid, exported, rejected or void).
func (s *Session) RunRetention(ctx context.Context, keep time.Duration, dryRun bool) (RetentionReport, error) {
	rep := RetentionReport{Purged: []string{}, Held: []string{}, DryRun: dryRun}
	err := s.do(ctx, identity.RetentionRun, "", func(tx *store.Tx, rec *record) error {
		rs, err := tx.Invoices("")
		if err != nil {
			return err
		}
		cutoff := invoice.DateOf(s.c.now().Add(-keep))
		for _, r := range rs {
			if !finished(r.State.Status) || r.Invoice.IssueDate.IsZero() || !r.Invoice.IssueDate.Before(cutoff) {
				continue
			}
			held, err := tx.OnHold(r.ID, r.VendorID)
			if err != nil {
				return err
			}
			if held {
				rep.Held = append(rep.Held, r.ID)
				continue
			}
			rep.Purged = append(rep.Purged, r.ID)
			if !dryRun {
				if err := tx.PurgeInvoice(r.ID, filepath.Join(s.c.opts.DataDir, "attachments"), r.Source.Attachment); err != nil {
					return err
				}
			}
		}
		b, _ := json.Marshal(rep)
		rec.Reason = "retention run: " + string(b)
		return nil
	})
	return rep, err
}

func finished(st invoice.Status) bool {
	switch st {
	case invoice.StatusPaid, invoice.StatusExported, invoice.StatusRejected, invoice.StatusVoid:
		return true
	}
	return false
}

// LegalHoldInfo is one legal hold as listed: what it holds and why.
type LegalHoldInfo struct {
	Target    string    `json:"target"`
	Kind      string    `json:"kind"`  // invoice, vendor, or "" when the target no longer exists
	Label     string    `json:"label"` // the invoice number and seller, or the vendor name
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// LegalHolds lists the current legal holds, oldest first.
func (s *Session) LegalHolds(ctx context.Context) ([]LegalHoldInfo, error) {
	out := []LegalHoldInfo{}
	err := s.do(ctx, identity.HoldList, "", func(tx *store.Tx, _ *record) error {
		hs, err := tx.LegalHolds()
		if err != nil {
			return err
		}
		for _, h := range hs {
			info := LegalHoldInfo{Target: h.Target, Reason: h.Reason, CreatedAt: h.CreatedAt}
			if r, err := tx.Invoice(h.Target); err == nil {
				info.Kind, info.Label = "invoice", r.Invoice.InvoiceNumber+" ("+r.Invoice.Seller.Name+")"
			} else if v, err := tx.Vendor(h.Target); err == nil {
				info.Kind, info.Label = "vendor", v.Name
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}
