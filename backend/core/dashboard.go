package core

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// DashboardWeeks is how many ISO weeks the volume and cycle-time series
// cover, this week included.
const DashboardWeeks = 12

// DashboardVendors is how many vendors the spend chart names; the rest are
// summed as "Other vendors".
const DashboardVendors = 8

// Dashboard are the aggregates of the invoices a user can see. Amounts are
// in Currency only (the approval policy's); invoices in another currency
// are counted but left out of every amount, and OtherCurrency says how many.
type Dashboard struct {
	AsOf          time.Time     `json:"as_of"`
	Currency      string        `json:"currency"`
	OtherCurrency int           `json:"other_currency"`
	Invoices      int           `json:"invoices"`
	Open          int           `json:"open"`
	Weeks         []WeekVolume  `json:"weeks"`
	Cycle         CycleTime     `json:"cycle"`
	Ageing        []AgeBucket   `json:"ageing"`
	Vendors       []VendorSpend `json:"vendors"`
}

// WeekVolume is what came in during one ISO week (by import time).
type WeekVolume struct {
	Week   string          `json:"week"`  // 2026-W48
	Start  invoice.Date    `json:"start"` // its Monday
	Count  int             `json:"count"`
	Amount decimal.Decimal `json:"amount"`
}

// CycleTime is the time from import to final approval of approved (and
// later exported or paid) invoices: overall, and the median per week of
// approval.
type CycleTime struct {
	Count       int         `json:"count"`
	MedianHours float64     `json:"median_hours"`
	P90Hours    float64     `json:"p90_hours"`
	Weeks       []CycleWeek `json:"weeks"`
}

// CycleWeek is the median cycle time of the invoices approved in one week.
type CycleWeek struct {
	Week        string       `json:"week"`
	Start       invoice.Date `json:"start"`
	Count       int          `json:"count"`
	MedianHours float64      `json:"median_hours"`
}

// AgeBucket counts open invoices by days past their due date.
type AgeBucket struct {
	Bucket string          `json:"bucket"`
	Label  string          `json:"label"`
	Count  int             `json:"count"`
	Amount decimal.Decimal `json:"amount"`
}

// VendorSpend is what was approved for one vendor.
type VendorSpend struct {
	Vendor string          `json:"vendor"`
	Count  int             `json:"count"`
	Amount decimal.Decimal `json:"amount"`
}

// ageBuckets are the ageing buckets in display order; max is the last
// overdue day that belongs to the bucket.
var ageBuckets = []struct {
	id, label string
	max       int
}{
	{"not_due", "Not yet due", 0},
	{"1_30", "1–30 days overdue", 30},
	{"31_60", "31–60 days overdue", 60},
	{"61_90", "61–90 days overdue", 90},
	{"over_90", "Over 90 days overdue", math.MaxInt},
	{"no_due_date", "No due date", math.MaxInt},
}

// Dashboard computes the aggregates over the invoices the user may see.
func (s *Session) Dashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	err := s.do(ctx, identity.InvoiceList, "", func(tx *store.Tx, _ *record) error {
		rs, err := tx.Invoices("")
		if err != nil {
			return fmt.Errorf("dashboard: %w", err)
		}
		a, err := s.authz(tx)
		if err != nil {
			return fmt.Errorf("dashboard: %w", err)
		}
		visible := rs[:0]
		for _, r := range rs {
			if a.canSee(r) {
				visible = append(visible, r)
			}
		}
		names := map[string]string{}
		for _, r := range visible {
			if _, ok := names[r.VendorID]; !ok && r.VendorID != "" {
				if v, err := tx.Vendor(r.VendorID); err == nil {
					names[r.VendorID] = v.Name
				}
			}
		}
		d = Aggregate(visible, names, a.pol.Currency, s.c.now())
		return nil
	})
	return d, err
}

// Aggregate computes the dashboard from invoice records. vendorNames maps
// vendor ids to master-data names (the seller's name on the invoice stands
// in for invoices without a vendor). Pure, for tests.
func Aggregate(rs []store.InvoiceRecord, vendorNames map[string]string, currency string, now time.Time) Dashboard {
	now = now.UTC()
	d := Dashboard{AsOf: now, Currency: currency, Invoices: len(rs)}
	first := mondayOf(now).AddDate(0, 0, -7*(DashboardWeeks-1))
	d.Weeks = make([]WeekVolume, DashboardWeeks)
	cycles := make([][]float64, DashboardWeeks)
	for i := range d.Weeks {
		m := first.AddDate(0, 0, 7*i)
		d.Weeks[i] = WeekVolume{Week: isoWeek(m), Start: invoice.DateOf(m)}
	}
	d.Ageing = make([]AgeBucket, len(ageBuckets))
	for i, b := range ageBuckets {
		d.Ageing[i] = AgeBucket{Bucket: b.id, Label: b.label}
	}
	spend := map[string]*VendorSpend{}
	var allCycles []float64
	today := invoice.DateOf(now)
	for _, r := range rs {
		amt, inCur := amountIn(r, currency)
		if !inCur {
			d.OtherCurrency++
		}
		if w := weekIndex(first, r.CreatedAt); w >= 0 {
			d.Weeks[w].Count++
			d.Weeks[w].Amount = d.Weeks[w].Amount.Add(amt)
		}
		if !finished(r.State.Status) {
			d.Open++
			b := &d.Ageing[ageIndex(r.Invoice.DueDate, today)]
			b.Count++
			b.Amount = b.Amount.Add(amt)
		}
		if !approvedOrLater(r.State.Status) {
			continue
		}
		name := vendorNames[r.VendorID]
		if name == "" {
			name = r.Invoice.Seller.Name
		}
		vs := spend[name]
		if vs == nil {
			vs = &VendorSpend{Vendor: name}
			spend[name] = vs
		}
		vs.Count++
		vs.Amount = vs.Amount.Add(amt)
		if at, ok := approvedAt(r); ok && !r.CreatedAt.IsZero() && !at.Before(r.CreatedAt) {
			h := at.Sub(r.CreatedAt).Hours()
			allCycles = append(allCycles, h)
			if w := weekIndex(first, at); w >= 0 {
				cycles[w] = append(cycles[w], h)
			}
		}
	}
	d.Cycle = cycleTime(allCycles, cycles, d.Weeks)
	d.Vendors = topVendors(spend)
	return d
}

// amountIn is what the invoice asks to be paid, negative for a credit
// note, when it is in currency; zero and false otherwise.
func amountIn(r store.InvoiceRecord, currency string) (decimal.Decimal, bool) {
	inv := r.Invoice
	if inv.Currency != currency {
		return decimal.Decimal{}, false
	}
	p := inv.Totals.Payable
	if p == nil {
		p = inv.Totals.TaxInclusive
	}
	if p == nil {
		return decimal.Decimal{}, true
	}
	if inv.IsCreditNote() && p.Sign() > 0 {
		return p.Neg(), true
	}
	return *p, true
}

func approvedOrLater(st invoice.Status) bool {
	return st == invoice.StatusApproved || st == invoice.StatusExported || st == invoice.StatusPaid
}

// approvedAt is the time of the last approval step.
func approvedAt(r store.InvoiceRecord) (time.Time, bool) {
	var last time.Time
	for _, a := range r.Workflow.Approvals {
		if t, err := time.Parse(time.RFC3339Nano, a.At); err == nil && t.After(last) {
			last = t
		}
	}
	return last, !last.IsZero()
}

func ageIndex(due, today invoice.Date) int {
	if due.IsZero() {
		return len(ageBuckets) - 1
	}
	overdue := int(math.Round(dayTime(today).Sub(dayTime(due)).Hours() / 24))
	for i, b := range ageBuckets {
		if overdue <= b.max {
			return i
		}
	}
	return len(ageBuckets) - 2
}

func dayTime(d invoice.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func mondayOf(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// weekIndex is the index of t's week in the series starting at first, or
// -1 outside it.
func weekIndex(first, t time.Time) int {
	if t.IsZero() {
		return -1
	}
	days := mondayOf(t.UTC()).Sub(first).Hours() / 24
	w := int(math.Round(days)) / 7
	if days < 0 || w >= DashboardWeeks {
		return -1
	}
	return w
}

func cycleTime(all []float64, perWeek [][]float64, weeks []WeekVolume) CycleTime {
	c := CycleTime{Count: len(all), MedianHours: quantile(all, 0.5), P90Hours: quantile(all, 0.9),
		Weeks: make([]CycleWeek, len(weeks))}
	for i, w := range weeks {
		c.Weeks[i] = CycleWeek{Week: w.Week, Start: w.Start, Count: len(perWeek[i]), MedianHours: quantile(perWeek[i], 0.5)}
	}
	return c
}

// quantile is the nearest-rank q-quantile, rounded to a tenth of an hour;
// 0 for no values. The median of an even count is the mean of the middle two.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	var x float64
	if q == 0.5 && len(s)%2 == 0 {
		x = (s[len(s)/2-1] + s[len(s)/2]) / 2
	} else {
		x = s[int(math.Ceil(q*float64(len(s))))-1]
	}
	return math.Round(x*10) / 10
}

func topVendors(spend map[string]*VendorSpend) []VendorSpend {
	out := make([]VendorSpend, 0, len(spend))
	for _, v := range spend {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Amount.Cmp(out[j].Amount); c != 0 {
			return c > 0
		}
		return out[i].Vendor < out[j].Vendor
	})
	if len(out) <= DashboardVendors {
		return out
	}
	rest := VendorSpend{Vendor: "Other vendors"}
	for _, v := range out[DashboardVendors:] {
		rest.Count += v.Count
		rest.Amount = rest.Amount.Add(v.Amount)
	}
	return append(out[:DashboardVendors], rest)
}
