package app

import (
	"errors"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/core"
)

// Audit pages: the viewer asks for a page as it scrolls, so a trail of
// many thousands of entries never crosses the bridge in one piece.
const (
	DefaultAuditPage = 200
	MaxAuditPage     = 1000
)

// ListAudit returns one page of this device's audit trail, newest first,
// optionally filtered. Reading the trail is itself audited by core.
func (a *App) ListAudit(q AuditQuery) (AuditPage, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return AuditPage{}, err
	}
	if q.Offset < 0 || q.Limit < 0 || q.Limit > MaxAuditPage {
		return AuditPage{}, apperr.New(apperr.InvalidInput, "ask for 1 to %d audit entries from offset 0 on", MaxAuditPage)
	}
	if q.Limit == 0 {
		q.Limit = DefaultAuditPage
	}
	ctx, cancel := callCtx()
	defer cancel()
	entries, err := s.AuditLog(ctx)
	if err != nil {
		return AuditPage{}, err
	}
	return auditPage(entries, q), nil
}

// auditPage filters and pages entries (oldest first, as core gives them).
func auditPage(entries []audit.Entry, q AuditQuery) AuditPage {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	page := AuditPage{All: len(entries), Offset: q.Offset, Entries: []AuditEntryView{}}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if (q.Before > 0 && e.Seq >= q.Before) || (q.Denied && e.Decision != audit.Denied) {
			continue
		}
		if text != "" && !auditMatches(e, text) {
			continue
		}
		if page.Total >= q.Offset && len(page.Entries) < q.Limit {
			page.Entries = append(page.Entries, auditView(e))
		}
		page.Total++
	}
	return page
}

func auditMatches(e audit.Entry, lower string) bool {
	for _, f := range []string{e.Actor, e.Action, e.Target, e.Reason, e.Rule} {
		if strings.Contains(strings.ToLower(f), lower) {
			return true
		}
	}
	return false
}

func auditView(e audit.Entry) AuditEntryView {
	return AuditEntryView{Seq: e.Seq, Time: e.Time.UTC().Format(time.RFC3339), Actor: e.Actor, Action: e.Action,
		Target: e.Target, Decision: string(e.Decision), Reason: e.Reason, Rule: e.Rule}
}

// VerifyAudit checks the hash chain and the signed head of this device's
// trail. A broken trail is a result naming the first bad entry; the call
// fails only when verification could not run (locked, forbidden).
func (a *App) VerifyAudit() (AuditVerifyView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return AuditVerifyView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	n, err := s.VerifyAudit(ctx)
	var ve *audit.VerifyError
	switch {
	case err == nil:
		return AuditVerifyView{OK: true, Checked: n}, nil
	case errors.As(err, &ve):
		return AuditVerifyView{Checked: n, BadIndex: ve.Index, Reason: ve.Reason}, nil
	case errors.Is(err, core.ErrSessionLocked), apperr.CodeOf(err) != apperr.Integrity:
		return AuditVerifyView{}, err
	}
	_, msg, _ := apperr.Public(err)
	return AuditVerifyView{Checked: n, Reason: msg}, nil
}
