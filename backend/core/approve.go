package core

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/approval"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// ruleError is a refusal by an object-level rule (separation of duties,
// scope, blocking findings): do() audits it as denied with that rule.
type ruleError struct {
	rule string
	err  error
}

func (e *ruleError) Error() string { return e.err.Error() }
func (e *ruleError) Unwrap() error { return e.err }

func refused(d approval.Decision) error {
	return &ruleError{rule: d.Rule, err: apperr.New(apperr.Forbidden, "%s", d.Reason)}
}

// approvalView is what the policy needs to know about an invoice.
func approvalView(r store.InvoiceRecord) approval.Invoice {
	v := approval.Invoice{ID: r.ID, Currency: r.Invoice.Currency, VendorID: r.VendorID, CostCentre: r.Workflow.CostCentre,
		Status: r.State.Status, ImportedBy: r.Source.ImportedBy}
	if r.Invoice.Totals.Payable != nil {
		v.Amount = *r.Invoice.Totals.Payable
	}
	var codes, sevs []string
	for _, f := range r.Findings {
		codes, sevs = append(codes, f.Code), append(sevs, f.Severity)
		v.HasBlockingFindings = v.HasBlockingFindings || f.Severity == "critical"
	}
	v.Risk = approval.RiskOf(codes, sevs)
	for _, c := range r.Workflow.Corrections {
		v.ChangedBy = append(v.ChangedBy, c.By)
	}
	v.SubmittedAt, _ = time.Parse(time.RFC3339, r.Workflow.SubmittedAt)
	for _, a := range r.Workflow.Approvals {
		at, _ := time.Parse(time.RFC3339, a.At)
		v.Approvals = append(v.Approvals, approval.Approval{By: a.By, OnBehalfOf: a.OnBehalfOf, At: at, Level: a.Level})
	}
	return v
}

// visible loads an invoice the user may see; one they may not see is
// answered exactly like one that does not exist (security checklist #20).
func (s *Session) visible(tx *store.Tx, id string) (store.InvoiceRecord, error) {
	r, err := tx.Invoice(id)
	if err != nil {
		return r, err
	}
	a, err := s.authz(tx)
	if err != nil {
		return store.InvoiceRecord{}, err
	}
	if !a.canSee(r) {
		return store.InvoiceRecord{}, &ruleError{rule: "scope:not-visible", err: apperr.New(apperr.NotFound, "invoice not found")}
	}
	return r, nil
}

// Approve records one approval; the last level needed approves the
// invoice. Critical findings block it unless an admin other than the
// approver has overridden them (Override).
func (s *Session) Approve(ctx context.Context, id string) (store.InvoiceRecord, error) {
	return s.change(ctx, identity.InvoiceApprove, id, func(tx *store.Tx, r *store.InvoiceRecord, rec *record) error {
		a, err := s.authz(tx)
		if err != nil {
			return err
		}
		var ov *approval.Override
		if o := r.Workflow.Override; o != nil {
			ov = &approval.Override{By: approval.User{Name: o.By, Role: identity.Admin}, Reason: o.Reason}
		}
		d := a.pol.CanApprove(a.user, approvalView(*r), a.dels, ov)
		if !d.Allowed {
			return refused(d)
		}
		over := ""
		if ov != nil && d.OverrideBy != "" {
			over = ov.Reason
		}
		r.Workflow.Approvals = append(r.Workflow.Approvals, store.Approval{By: s.user.Name, OnBehalfOf: d.OnBehalfOf,
			At: s.c.now().Format(time.RFC3339), Level: d.Level, Rule: d.Rule, Override: over})
		rec.Reason, rec.Rule = d.Reason, d.Rule
		if d.Complete {
			return transition(r, invoice.Command{Kind: invoice.Approve})
		}
		return nil
	})
}

// Override lets an invoice with critical findings be approved, for a
// reason an admin gives; the approval itself still needs an approver who
// is not this admin (four eyes).
func (s *Session) Override(ctx context.Context, id, reason string) (store.InvoiceRecord, error) {
	return s.change(ctx, identity.InvoiceOverride, id, func(_ *store.Tx, r *store.InvoiceRecord, rec *record) error {
		if strings.TrimSpace(reason) == "" {
			return apperr.New(apperr.InvalidInput, "an override needs a reason")
		}
		if r.State.Status != invoice.StatusReadyForApproval {
			return apperr.New(apperr.Conflict, "only an invoice waiting for approval can be overridden (this one is %s)", r.State.Status)
		}
		r.Workflow.Override = &store.Override{By: s.user.Name, Reason: reason, At: s.c.now().Format(time.RFC3339)}
		rec.Reason, rec.Rule = "findings overridden: "+reason, "override:admin"
		return nil
	})
}

// Reject refuses an invoice with a reason.
func (s *Session) Reject(ctx context.Context, id, reason string) (store.InvoiceRecord, error) {
	return s.change(ctx, identity.InvoiceReject, id, func(tx *store.Tx, r *store.InvoiceRecord, rec *record) error {
		a, err := s.authz(tx)
		if err != nil {
			return err
		}
		d := a.pol.CanReject(a.user, approvalView(*r), reason, a.dels)
		if !d.Allowed {
			return refused(d)
		}
		if err := transition(r, invoice.Command{Kind: invoice.Reject, Reason: reason}); err != nil {
			return err
		}
		r.Workflow.Decisions = append(r.Workflow.Decisions, store.Decision{Action: "reject", By: s.user.Name,
			At: s.c.now().Format(time.RFC3339), Reason: reason})
		rec.Reason, rec.Rule = "rejected: "+reason, d.Rule
		return nil
	})
}

func asRuleError(err error) (*ruleError, bool) {
	var re *ruleError
	return re, errors.As(err, &re)
}
