package core

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/approval"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// MaxSearchLimit bounds one page of SearchInvoices.
const MaxSearchLimit = 1000

// SearchQuery filters the invoice list. Text is matched word by word,
// case-insensitively, against number, seller, amount, currency, dates and
// status; a word like ">1000" or "<=50" compares the payable amount.
type SearchQuery struct {
	Text   string
	Status string // "" for every status
	Offset int
	Limit  int // 0: 100
}

// SearchResult is one page of the filtered list and how many matched.
type SearchResult struct {
	Total int              `json:"total"`
	Rows  []InvoiceSummary `json:"rows"`
}

// listCache is the session's opened invoice summaries, newest first. It is
// loaded once (one small envelope per invoice), refreshed from the rows
// changed since its stamp, and wiped when the session locks.
type listCache struct {
	mu     sync.Mutex
	rows   []listRow
	stamp  store.ListStamp
	loaded bool
}

type listRow struct {
	sum    store.Summary
	hay    string // lower-case text the words are matched against
	amount float64
	hasAmt bool
}

func (l *listCache) wipe() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.rows)
	l.rows, l.loaded, l.stamp = nil, false, store.ListStamp{}
}

// SearchInvoices filters the invoice list in memory. The first call of a
// session loads every summary in one audited read (and fills in summaries
// missing from rows stored before they existed); later calls reopen only
// rows changed since.
func (s *Session) SearchInvoices(ctx context.Context, q SearchQuery) (SearchResult, error) {
	if q.Status != "" && !invoice.Status(q.Status).Valid() {
		return SearchResult{}, apperr.New(apperr.InvalidInput, "unknown status %q", q.Status)
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	if q.Offset < 0 || q.Limit < 0 || q.Limit > MaxSearchLimit {
		return SearchResult{}, apperr.New(apperr.InvalidInput, "a page starts at 0 or later and holds 1 to %d invoices", MaxSearchLimit)
	}
	f, err := parseFilter(q.Text)
	if err != nil {
		return SearchResult{}, err
	}
	s.list.mu.Lock()
	defer s.list.mu.Unlock()
	a, err := s.refreshList(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	return searchRows(s.list.rows, q, f, func(r *listRow) bool { return a.pol.CanSee(a.user, summaryView(r.sum), a.dels) }), nil
}

// searchRows filters rows (newest first) and cuts out the page.
func searchRows(rows []listRow, q SearchQuery, f listFilter, visible func(*listRow) bool) SearchResult {
	out := SearchResult{Rows: []InvoiceSummary{}}
	for i := range rows {
		r := &rows[i]
		if (q.Status != "" && string(r.sum.State.Status) != q.Status) || !f.match(r) || !visible(r) {
			continue
		}
		if out.Total >= q.Offset && len(out.Rows) < q.Limit {
			out.Rows = append(out.Rows, rowSummary(r.sum))
		}
		out.Total++
	}
	return out
}

// ListIndex is an opened invoice list outside a session, filtered exactly
// as SearchInvoices filters (bench/ measures it on 100,000 summaries).
type ListIndex struct{ rows []listRow }

// NewListIndex prepares summaries (newest first) for filtering.
func NewListIndex(sums []store.Summary) *ListIndex {
	x := &ListIndex{rows: make([]listRow, 0, len(sums))}
	for _, s := range sums {
		x.rows = append(x.rows, newListRow(s))
	}
	return x
}

// Search filters like SearchInvoices, with every row visible.
func (x *ListIndex) Search(q SearchQuery) (SearchResult, error) {
	f, err := parseFilter(q.Text)
	if err != nil {
		return SearchResult{}, err
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	return searchRows(x.rows, q, f, func(*listRow) bool { return true }), nil
}

// refreshList brings the cache up to date and returns who may see what.
// Callers hold s.list.mu.
func (s *Session) refreshList(ctx context.Context) (authz, error) {
	if ok, _ := identity.Can(s.user.Role, identity.InvoiceList); !ok || !s.list.loaded {
		return s.loadList(ctx) // a refusal is audited there
	}
	var a authz
	full := false
	err := s.view(ctx, func(tx *store.Tx) error {
		var err error
		if a, err = s.authz(tx); err != nil {
			return err
		}
		st, err := tx.InvoiceListStamp()
		if err != nil || st == s.list.stamp {
			return err
		}
		changed, err := tx.Summaries(s.list.stamp.Seq)
		if errors.Is(err, store.ErrSummaryMissing) {
			full = true
			return nil
		}
		if err != nil {
			return err
		}
		full = !s.list.merge(changed, st)
		return nil
	})
	if err != nil || !full {
		return a, err
	}
	return s.loadList(ctx)
}

// loadList reads every summary in one audited command.
func (s *Session) loadList(ctx context.Context) (authz, error) {
	var a authz
	err := s.do(ctx, identity.InvoiceList, "", func(tx *store.Tx, rec *record) error {
		filled, err := tx.FillSummaries()
		if err != nil {
			return err
		}
		st, err := tx.InvoiceListStamp()
		if err != nil {
			return err
		}
		sums, err := tx.Summaries(0)
		if err != nil {
			return err
		}
		if a, err = s.authz(tx); err != nil {
			return err
		}
		s.list.wipeLocked()
		s.list.rows = slices.Grow(s.list.rows, len(sums))
		for _, x := range sums {
			s.list.rows = append(s.list.rows, newListRow(x))
		}
		s.list.stamp, s.list.loaded = st, true
		rec.Reason = fmt.Sprintf("opened the invoice list (%d invoices, %d summaries filled in)", len(sums), filled)
		return nil
	})
	if err != nil {
		s.list.wipeLocked()
		return a, err
	}
	// Opening every summary left the decrypted copies as garbage (tens of
	// MiB for a large list) that the runtime would keep from the OS for
	// minutes; the window's footprint should be the list it shows.
	go debug.FreeOSMemory()
	return a, nil
}

func (l *listCache) wipeLocked() {
	clear(l.rows)
	l.rows, l.loaded, l.stamp = l.rows[:0], false, store.ListStamp{}
}

// merge replaces or adds changed rows; false when the result does not add
// up to the stamp's count (an invoice was removed), which needs a reload.
func (l *listCache) merge(changed []store.Summary, st store.ListStamp) bool {
	at := make(map[string]int, len(l.rows))
	for i, r := range l.rows {
		at[r.sum.ID] = i
	}
	added := false
	for _, x := range changed {
		if i, ok := at[x.ID]; ok {
			l.rows[i] = newListRow(x)
			continue
		}
		l.rows, added = append(l.rows, newListRow(x)), true
	}
	if added {
		slices.SortStableFunc(l.rows, func(a, b listRow) int {
			if c := b.sum.CreatedAt.Compare(a.sum.CreatedAt); c != 0 {
				return c
			}
			return strings.Compare(b.sum.ID, a.sum.ID)
		})
	}
	if len(l.rows) != st.Count {
		return false
	}
	l.stamp = st
	return true
}

// view runs fn in a read transaction with the session's keys.
func (s *Session) view(ctx context.Context, fn func(*store.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.keys == nil {
		return ErrSessionLocked
	}
	return s.c.db.View(ctx, s.keys, fn)
}

func newListRow(x store.Summary) listRow {
	r := listRow{sum: x}
	r.hay = strings.ToLower(strings.Join([]string{x.Number, x.Seller, x.Currency, x.Payable, x.IssueDate, x.DueDate,
		string(x.State.Status)}, "\x00"))
	r.amount, r.hasAmt = parseAmount(x.Payable)
	return r
}

func rowSummary(x store.Summary) InvoiceSummary {
	return InvoiceSummary{ID: x.ID, Status: string(x.State.Status), InvoiceNumber: x.Number, Seller: x.Seller,
		Currency: x.Currency, Payable: x.Payable, IssueDate: x.IssueDate, DueDate: x.DueDate}
}

// summaryView is what the visibility rules need, from the summary alone.
func summaryView(x store.Summary) approval.Invoice {
	v := approval.Invoice{ID: x.ID, Currency: x.Currency, VendorID: x.VendorID, CostCentre: x.CostCentre,
		Status: x.State.Status, ImportedBy: x.ImportedBy}
	for _, a := range x.Approvals {
		v.Approvals = append(v.Approvals, approval.Approval{By: a.By, OnBehalfOf: a.OnBehalfOf, At: time.Time{}})
	}
	return v
}
