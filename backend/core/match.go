package core

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/matching"
	"github.com/smartap/desktop/backend/store"
)

// match runs the 3-way match for r against the purchase orders it names
// or that fit it, with what other invoices already billed, and keeps the
// result and its findings on r. others are the vendor's other invoices.
func (s *Session) match(tx *store.Tx, r *store.InvoiceRecord, others []store.InvoiceRecord) ([]store.Finding, error) {
	pos, err := tx.POs(r.VendorID)
	if err != nil {
		return nil, err
	}
	for _, n := range strings.FieldsFunc(r.Invoice.PurchaseOrder, func(c rune) bool { return strings.ContainsRune(" ,;+&", c) }) {
		if po, err := tx.POByNumber(n); err == nil && po.VendorID != r.VendorID {
			pos = append(pos, po) // named but another vendor's: matching reports it
		}
	}
	cfg := matching.DefaultConfig()
	found := matching.FindCandidates(r.Invoice, r.VendorID, pos, cfg)
	billed := billedByOthers(r.ID, others)
	cands := make([]matching.Candidate, 0, len(found))
	for _, po := range found {
		rs, err := tx.Receipts(po.ID)
		if err != nil {
			return nil, err
		}
		cands = append(cands, matching.Candidate{PO: po, Receipts: rs, Billed: billed[po.Number]})
	}
	res := matching.Match(r.Invoice, cands, cfg)
	if r.Workflow.Match, err = json.Marshal(res); err != nil {
		return nil, err
	}
	out := make([]store.Finding, 0, len(res.Findings))
	for _, f := range res.Findings {
		out = append(out, store.Finding{Code: f.Code, Severity: f.Severity, Message: f.Message, Fields: f.Fields})
	}
	return out, nil
}

// billedByOthers sums, per PO and line, what other live invoices billed.
func billedByOthers(self string, others []store.InvoiceRecord) map[string]map[int]decimal.Decimal {
	out := map[string]map[int]decimal.Decimal{}
	for _, o := range others {
		if o.ID == self || o.State.Status == invoice.StatusVoid || o.State.Status == invoice.StatusRejected || len(o.Workflow.Match) == 0 {
			continue
		}
		var res matching.Result
		if json.Unmarshal(o.Workflow.Match, &res) != nil {
			continue
		}
		for _, l := range res.Lines {
			if l.PONumber == "" {
				continue
			}
			if out[l.PONumber] == nil {
				out[l.PONumber] = map[int]decimal.Decimal{}
			}
			out[l.PONumber][l.POLine] = out[l.PONumber][l.POLine].Add(l.InvoicedQty)
		}
	}
	return out
}

// Match runs the checks and the 3-way match again (after new POs or
// receipts arrived) and returns the match.
func (s *Session) Match(ctx context.Context, id string) (json.RawMessage, error) {
	r, err := s.change(ctx, identity.InvoiceMatch, id, func(tx *store.Tx, r *store.InvoiceRecord, rec *record) error {
		rec.Reason = "checks and 3-way match run again"
		return s.check(tx, r)
	})
	return r.Workflow.Match, err
}
