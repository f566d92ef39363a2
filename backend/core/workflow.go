package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// change loads an invoice, lets fn change it, and stores it, all inside
// one audited command with before/after digests.
func (s *Session) change(ctx context.Context, action identity.Action, id string, fn func(*store.Tx, *store.InvoiceRecord, *record) error) (store.InvoiceRecord, error) {
	var out store.InvoiceRecord
	err := s.do(ctx, action, id, func(tx *store.Tx, rec *record) error {
		r, err := s.visible(tx, id)
		if err != nil {
			return err
		}
		rec.Before = digest(r.Invoice)
		if err := fn(tx, &r, rec); err != nil {
			return err
		}
		r.UpdatedAt = s.c.now()
		if err := tx.UpdateInvoice(r); err != nil {
			return err
		}
		rec.After, out = digest(r.Invoice), r
		return nil
	})
	return out, err
}

// transition applies a status command, explaining a refusal in the
// invoice's own terms.
func transition(r *store.InvoiceRecord, cmd invoice.Command) error {
	next, err := invoice.Transition(r.State, cmd)
	if err != nil {
		return apperr.Wrap(err, apperr.Conflict, "%s", err.Error())
	}
	r.State = next
	return nil
}

// Set corrects read fields ("totals.payable=119.00"); each correction is
// recorded with who made it, which also bars that person from approving
// the invoice (separation of duties).
func (s *Session) Set(ctx context.Context, id string, fields map[string]string) (store.InvoiceRecord, error) {
	return s.change(ctx, identity.InvoiceSet, id, func(tx *store.Tx, r *store.InvoiceRecord, rec *record) error {
		if len(fields) == 0 {
			return apperr.New(apperr.InvalidInput, "name at least one FIELD=VALUE")
		}
		if err := transition(r, invoice.Command{Kind: invoice.Correct}); err != nil {
			return err
		}
		// Approvals and overrides were given to what the invoice said before.
		r.Workflow.Approvals, r.Workflow.Override = nil, nil
		now := s.c.now().Format(time.RFC3339)
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, path := range keys {
			old, err := r.Workflow.CostCentre, error(nil)
			if path == "cost_centre" {
				r.Workflow.CostCentre = strings.TrimSpace(fields[path])
			} else if old, err = setField(&r.Invoice, path, fields[path]); err != nil {
				return err
			}
			r.Workflow.Corrections = append(r.Workflow.Corrections, store.Correction{Field: path, Old: old, New: fields[path], By: s.user.Name, At: now})
		}
		rec.Reason = fmt.Sprintf("corrected %v", keys)
		return s.check(tx, r)
	})
}

// Submit sends an invoice for approval.
func (s *Session) Submit(ctx context.Context, id string) (store.InvoiceRecord, error) {
	return s.change(ctx, identity.InvoiceSubmit, id, func(_ *store.Tx, r *store.InvoiceRecord, rec *record) error {
		if err := transition(r, invoice.Command{Kind: invoice.Submit}); err != nil {
			return err
		}
		r.Workflow.SubmittedAt, r.Workflow.SubmittedBy = s.c.now().Format(time.RFC3339), s.user.Name
		rec.Reason = "submitted for approval"
		return nil
	})
}

// decide runs a reasoned workflow command (reject, hold, release, void).
func (s *Session) decide(ctx context.Context, action identity.Action, id string, kind invoice.CommandKind, reason string) (store.InvoiceRecord, error) {
	return s.change(ctx, action, id, func(_ *store.Tx, r *store.InvoiceRecord, rec *record) error {
		if err := transition(r, invoice.Command{Kind: kind, Reason: reason}); err != nil {
			return err
		}
		r.Workflow.Decisions = append(r.Workflow.Decisions, store.Decision{Action: string(kind), By: s.user.Name,
			At: s.c.now().Format(time.RFC3339), Reason: reason})
		rec.Reason = string(kind) + ": " + reason
		return nil
	})
}

// Hold parks an invoice with a reason.
func (s *Session) Hold(ctx context.Context, id, reason string) (store.InvoiceRecord, error) {
	return s.decide(ctx, identity.InvoiceHold, id, invoice.Hold, reason)
}

// Release takes an invoice off hold, back where it was.
func (s *Session) Release(ctx context.Context, id string) (store.InvoiceRecord, error) {
	return s.decide(ctx, identity.InvoiceHold, id, invoice.Release, "")
}

// Void cancels an invoice for good, with a reason.
func (s *Session) Void(ctx context.Context, id, reason string) (store.InvoiceRecord, error) {
	return s.decide(ctx, identity.InvoiceVoid, id, invoice.Void, reason)
}
