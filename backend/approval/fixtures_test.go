package approval

import (
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

// t0 is "now" in every test; clock lets a test move it.
var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func fixedNow() time.Time { return t0 }

func dp(s string) *decimal.Decimal { d := decimal.MustParse(s); return &d }

// The cast: clara enters invoices for CC1; alice and dave approve CC1, bob
// CC2, ivan IT; root and ada are admins; audrey audits.
var (
	clara  = User{Name: "clara", Role: identity.Clerk, CostCentres: []string{"CC1"}}
	alice  = User{Name: "alice", Role: identity.Approver, CostCentres: []string{"CC1"}}
	dave   = User{Name: "dave", Role: identity.Approver, CostCentres: []string{"CC1"}}
	bob    = User{Name: "bob", Role: identity.Approver, CostCentres: []string{"CC2"}}
	ivan   = User{Name: "ivan", Role: identity.Approver, CostCentres: []string{"IT"}}
	root   = User{Name: "root", Role: identity.Admin}
	ada    = User{Name: "ada", Role: identity.Admin}
	audrey = User{Name: "audrey", Role: identity.Auditor}
	scoped = User{Name: "sam", Role: identity.Admin, CostCentres: []string{"CC2"}}
	nobody = User{Name: "mallory", Role: identity.Role("boss"), CostCentres: []string{"CC1"}}
)

// testPolicy exercises every selector. Bands: small [0,1000), mid
// [1000,50000), large [50000,∞); the floor asks two levels above 10,000.
func testPolicy() Policy {
	return Policy{
		Rules: []Rule{
			{ID: "small", Name: "Small invoices", MaxAmount: dp("1000"), Levels: 1},
			{ID: "mid", Name: "Medium invoices", MinAmount: dp("1000"), MaxAmount: dp("50000"), Levels: 1},
			{ID: "large", Name: "Large invoices", MinAmount: dp("50000"), Levels: 3},
			{ID: "vendor-acme", Vendors: []string{"V-ACME"}, Levels: 2},
			{ID: "vendor-named", Vendors: []string{"V-NAMED"}, Levels: 1, Approvers: []string{"dave"}},
			{ID: "cc-it", CostCentres: []string{"IT"}, Levels: 1, ApproverRoles: []identity.Role{identity.Admin}},
			{ID: "high-risk", MinRisk: RiskHigh, Levels: 2},
		},
		DefaultLevels:       1,
		SecondApproverAbove: decimal.MustParse("10000"),
		Currency:            "EUR",
		EscalateAfter:       48 * time.Hour,
		Now:                 fixedNow,
	}
}

// baseInvoice is ready for approval, small, CC1, imported by clara.
func baseInvoice() Invoice {
	return Invoice{
		ID: "INV-1", Amount: decimal.MustParse("500.00"), Currency: "EUR", VendorID: "V-1",
		CostCentre: "CC1", Status: invoice.StatusReadyForApproval, ImportedBy: "clara",
		SubmittedAt: t0.Add(-time.Hour),
	}
}

func with(mods ...func(*Invoice)) Invoice {
	inv := baseInvoice()
	for _, m := range mods {
		m(&inv)
	}
	return inv
}

func amount(s string) func(*Invoice) { return func(i *Invoice) { i.Amount = decimal.MustParse(s) } }

func status(s invoice.Status) func(*Invoice) { return func(i *Invoice) { i.Status = s } }

func importedBy(n string) func(*Invoice) { return func(i *Invoice) { i.ImportedBy = n } }

func changedByUser(n ...string) func(*Invoice) { return func(i *Invoice) { i.ChangedBy = n } }

func costCentre(c string) func(*Invoice) { return func(i *Invoice) { i.CostCentre = c } }

func vendor(v string) func(*Invoice) { return func(i *Invoice) { i.VendorID = v } }

func blocking(i *Invoice) { i.HasBlockingFindings = true }

func approved(by ...Approval) func(*Invoice) {
	return func(i *Invoice) {
		for n, a := range by {
			a.Level = n + 1
			a.At = t0.Add(-time.Minute)
			i.Approvals = append(i.Approvals, a)
		}
	}
}

func submitted(ago time.Duration) func(*Invoice) {
	return func(i *Invoice) { i.SubmittedAt = t0.Add(-ago) }
}

// delegation from → to, active from start to end relative to t0.
func delegation(from User, to string, start, end time.Duration) Delegation {
	return Delegation{From: from, To: to, Start: t0.Add(start), End: t0.Add(end)}
}
