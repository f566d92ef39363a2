package app

import (
	"github.com/smartap/desktop/backend/core"
)

// SearchInvoices filters the invoice list as the user types: query words
// match number, seller, amount, currency, dates and status (">1000"
// compares the amount); status "" is every status. The session keeps the
// list's small sealed summaries open in memory, so each call filters in Go
// without reading invoices from disk.
func (a *App) SearchInvoices(query, status string, offset, limit int) (SearchView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return SearchView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	r, err := s.SearchInvoices(ctx, core.SearchQuery{Text: query, Status: status, Offset: offset, Limit: limit})
	if err != nil {
		return SearchView{}, err
	}
	out := SearchView{Total: r.Total, Rows: make([]InvoiceSummary, 0, len(r.Rows))}
	for _, x := range r.Rows {
		out.Rows = append(out.Rows, InvoiceSummary(x))
	}
	return out, nil
}
