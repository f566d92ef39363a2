package core

import (
	"context"
	"encoding/json"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/checks"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/matching"
	"github.com/smartap/desktop/backend/store"
)

// Review is what the review screen shows beside the invoice: how sure the
// reader was of each field and the last 3-way match.
type Review struct {
	ID            string
	Confidence    map[string]float64
	LowConfidence float64          // the checks flag fields below this
	Match         *matching.Result // nil when none was run
}

// Review loads an invoice's review data (audited like showing it).
func (s *Session) Review(ctx context.Context, id string) (Review, error) {
	out := Review{ID: id, Confidence: map[string]float64{}, LowConfidence: checks.DefaultConfig().LowConfidence}
	err := s.do(ctx, identity.InvoiceShow, id, func(tx *store.Tx, rec *record) error {
		r, err := s.visible(tx, id)
		if err != nil {
			return err
		}
		rec.Reason = "opened for review"
		for k, v := range r.Invoice.Confidence {
			out.Confidence[k] = v
		}
		if len(r.Workflow.Match) == 0 {
			return nil
		}
		var m matching.Result
		if err := json.Unmarshal(r.Workflow.Match, &m); err != nil {
			return apperr.Wrap(err, apperr.Integrity, "the stored match of invoice %s is unreadable", id)
		}
		out.Match = &m
		return nil
	})
	return out, err
}
