package core

import (
	"context"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// HistoryEntry is one audited action on an invoice.
type HistoryEntry struct {
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Decision string    `json:"decision"`
	Reason   string    `json:"reason"`
}

// InvoiceDetail is `show --json` (CLI.md): the invoice, how it was read,
// what the checks found, and its history. Matching and approvals come with
// the AP-work features; until then they are empty, not invented.
type InvoiceDetail struct {
	ID          string              `json:"id"`
	Status      string              `json:"status"`
	Invoice     invoice.Invoice     `json:"invoice"`
	Source      store.InvoiceSource `json:"source"`
	Findings    []store.Finding     `json:"findings"`
	Match       any                 `json:"match"`
	Approvals   []store.Approval    `json:"approvals"`
	Corrections []store.Correction  `json:"corrections"`
	Decisions   []store.Decision    `json:"decisions"`
	History     []HistoryEntry      `json:"history"`
}

// Invoice shows one invoice.
func (s *Session) Invoice(ctx context.Context, id string) (InvoiceDetail, error) {
	var d InvoiceDetail
	err := s.do(ctx, identity.InvoiceShow, id, func(tx *store.Tx, _ *record) error {
		r, err := s.visible(tx, id)
		if err != nil {
			return err
		}
		d = InvoiceDetail{ID: r.ID, Status: string(r.State.Status), Invoice: r.Invoice, Source: r.Source,
			Findings: nonNilSlice(r.Findings), Approvals: nonNilSlice(r.Workflow.Approvals),
			Corrections: nonNilSlice(r.Workflow.Corrections), Decisions: nonNilSlice(r.Workflow.Decisions),
			History: []HistoryEntry{}}
		if len(r.Workflow.Match) > 0 {
			d.Match = r.Workflow.Match
		}
		entries, _, err := tx.AuditLog(s.deviceID)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Target == id {
				d.History = append(d.History, HistoryEntry{Time: e.Time, Actor: e.Actor, Action: e.Action,
					Decision: string(e.Decision), Reason: e.Reason})
			}
		}
		return nil
	})
	return d, err
}

// nonNilSlice makes empty lists print as [] rather than null.
func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
