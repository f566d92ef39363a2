package checks

import (
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
)

// cleanUBL is issued 2013-06-30, due 2013-07-20; base checks it on
// 2013-07-01. cleanCII is issued and due 2015-01-09.
func TestDateVariants(t *testing.T) {
	day := func(s string) time.Time {
		d := invoice.MustParseDate(s)
		return time.Date(d.Year, d.Month, d.Day, 15, 30, 0, 0, time.UTC)
	}
	tests := []struct {
		name   string
		file   string
		change func(*invoice.Invoice, *Config)
		want   []string
		msgs   []string
	}{
		{"due before issue", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.DueDate = i.IssueDate.AddDays(-10) },
			[]string{CodeDateInvalid}, []string{"due date 2014-12-30 is before the issue date 2015-01-09"}},
		{"issue and due date swapped: due first, issue ahead", cleanUBL,
			func(i *invoice.Invoice, _ *Config) { i.IssueDate, i.DueDate = i.DueDate, i.IssueDate },
			[]string{CodeDateInvalid, CodeDateInvalid},
			[]string{"due date 2013-06-30 is before the issue date 2013-07-20",
				"issue date 2013-07-20 is in the future (today is 2013-07-01; up to 7 days ahead are accepted)"}},
		{"issue date 8 days ahead", cleanCII,
			func(_ *invoice.Invoice, c *Config) { c.Now = day("2015-01-01") },
			[]string{CodeDateInvalid}, []string{"issue date 2015-01-09 is in the future"}},
		{"issue date 7 days ahead is accepted", cleanCII,
			func(_ *invoice.Invoice, c *Config) { c.Now = day("2015-01-02") },
			nil, nil},
		{"future window configurable", cleanCII,
			func(_ *invoice.Invoice, c *Config) { c.Now, c.FutureDays = day("2015-01-08"), 0 },
			[]string{CodeDateInvalid}, []string{"up to 0 days ahead"}},
		{"issue date 366 days ago", cleanCII,
			func(_ *invoice.Invoice, c *Config) { c.Now = day("2016-01-10") },
			[]string{CodeDateInvalid}, []string{"issue date 2015-01-09 is more than 365 days ago (today is 2016-01-10)"}},
		{"issue date 365 days ago is accepted", cleanCII,
			func(_ *invoice.Invoice, c *Config) { c.Now = day("2016-01-09") },
			nil, nil},
		{"MaxAgeDays 0 turns the age check off", cleanCII,
			func(_ *invoice.Invoice, c *Config) { c.Now, c.MaxAgeDays = day("2030-01-01"), 0 },
			nil, nil},
		{"zero Now: only the order of the dates is checked", cleanCII,
			func(i *invoice.Invoice, c *Config) { c.Now, i.DueDate = time.Time{}, i.IssueDate.AddDays(-1) },
			[]string{CodeDateInvalid}, []string{"due date 2015-01-08 is before"}},
		{"Now is read as a calendar day in its own location", cleanCII,
			func(_ *invoice.Invoice, c *Config) {
				// 2015-01-01 23:30 in UTC-10 is 2015-01-02 in UTC: the user's
				// day is the 1st, so the 9th is 8 days ahead.
				c.Now = time.Date(2015, 1, 1, 23, 30, 0, 0, time.FixedZone("HST", -10*3600))
			},
			[]string{CodeDateInvalid}, []string{"today is 2015-01-01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, tc.file)
			tc.change(&inv, &cfg)
			fs := Run(inv, ctx, cfg)
			expect(t, fs, tc.want, tc.msgs...)
			for _, f := range fs {
				if f.Severity != SeverityWarning {
					t.Errorf("%q: severity %s, want warning", f.Message, f.Severity)
				}
			}
		})
	}
}
