package app

import (
	"time"

	"github.com/smartap/desktop/backend/core"
)

// Dashboard returns the aggregates the dashboard charts, computed in Go
// from the invoices the user may see.
func (a *App) Dashboard() (DashboardView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return DashboardView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	d, err := s.Dashboard(ctx)
	if err != nil {
		return DashboardView{}, err
	}
	return dashboardView(d), nil
}

func dashboardView(d core.Dashboard) DashboardView {
	v := DashboardView{AsOf: d.AsOf.UTC().Format(time.RFC3339), Currency: d.Currency, OtherCurrency: d.OtherCurrency,
		Invoices: d.Invoices, Open: d.Open, Weeks: make([]WeekVolumeView, 0, len(d.Weeks)),
		Cycle: CycleTimeView{Count: d.Cycle.Count, MedianHours: d.Cycle.MedianHours, P90Hours: d.Cycle.P90Hours,
			Weeks: make([]CycleWeekView, 0, len(d.Cycle.Weeks))},
		Ageing: make([]AgeingView, 0, len(d.Ageing)), Vendors: make([]VendorSpendView, 0, len(d.Vendors))}
	for _, w := range d.Weeks {
		v.Weeks = append(v.Weeks, WeekVolumeView{Week: w.Week, Start: w.Start.String(), Count: w.Count, Amount: w.Amount.String()})
	}
	for _, w := range d.Cycle.Weeks {
		v.Cycle.Weeks = append(v.Cycle.Weeks, CycleWeekView{Week: w.Week, Start: w.Start.String(), Count: w.Count, MedianHours: w.MedianHours})
	}
	for _, b := range d.Ageing {
		v.Ageing = append(v.Ageing, AgeingView{Bucket: b.Bucket, Label: b.Label, Count: b.Count, Amount: b.Amount.String()})
	}
	for _, x := range d.Vendors {
		v.Vendors = append(v.Vendors, VendorSpendView{Vendor: x.Vendor, Count: x.Count, Amount: x.Amount.String()})
	}
	return v
}
