package approval

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

// gen builds random but plausible worlds from a small pool of names, so
// that importers, editors, approvers, delegators and overriders collide
// often: collisions are where separation of duties can break.
type gen struct{ r *rand.Rand }

var (
	genNames   = []string{"ann", "ben", "cat", "dan", "eve", "fay"}
	genCCs     = []string{"CC1", "CC2", "IT", ""}
	genRoles   = append([]identity.Role{"", "boss"}, identity.Roles...)
	genVendors = []string{"V-1", "V-ACME", "V-NAMED"}
)

func (g gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g gen) some(s []string) []string {
	var out []string
	for _, x := range s {
		if g.r.IntN(4) == 0 {
			out = append(out, x)
		}
	}
	return out
}

func (g gen) user() User {
	return User{Name: g.pick(genNames), Role: genRoles[g.r.IntN(len(genRoles))], CostCentres: g.some(genCCs)}
}

func (g gen) invoice() Invoice {
	statuses := invoice.Statuses()
	inv := Invoice{
		ID:                  "INV",
		Amount:              decimal.New(g.r.Int64N(20_000_000)-2_000_000, 2),
		Currency:            g.pick([]string{"EUR", "EUR", "USD"}),
		VendorID:            g.pick(genVendors),
		CostCentre:          g.pick(genCCs),
		Risk:                Risk(g.r.IntN(4)),
		Status:              invoice.StatusReadyForApproval,
		ImportedBy:          g.pick(genNames),
		ChangedBy:           g.some(genNames),
		SubmittedAt:         t0.Add(-time.Duration(g.r.IntN(100)) * time.Hour),
		HasBlockingFindings: g.r.IntN(3) == 0,
	}
	if g.r.IntN(4) == 0 {
		inv.Status = statuses[g.r.IntN(len(statuses))]
	}
	for i := range g.r.IntN(3) {
		a := Approval{By: g.pick(genNames), Level: i + 1}
		if g.r.IntN(3) == 0 {
			a.OnBehalfOf = g.pick(genNames)
		}
		inv.Approvals = append(inv.Approvals, a)
	}
	return inv
}

func (g gen) delegations(to string) []Delegation {
	var out []Delegation
	for range g.r.IntN(3) {
		target := to
		if g.r.IntN(3) == 0 {
			target = g.pick(genNames)
		}
		start := time.Duration(g.r.IntN(96)-48) * time.Hour
		out = append(out, Delegation{From: g.user(), To: target, Start: t0.Add(start),
			End: t0.Add(start + time.Duration(g.r.IntN(96))*time.Hour)})
	}
	return out
}

func (g gen) override() *Override {
	if g.r.IntN(2) == 0 {
		return nil
	}
	return &Override{By: g.user(), Reason: g.pick([]string{"", " ", "confirmed by phone"})}
}

// conflicted: name entered, changed or already approved the invoice.
func conflicted(inv Invoice, name string) bool {
	if name == inv.ImportedBy || strings.Contains(","+strings.Join(inv.ChangedBy, ",")+",", ","+name+",") {
		return true
	}
	for _, a := range inv.Approvals {
		if a.By == name || a.OnBehalfOf == name {
			return true
		}
	}
	return false
}

// TestApproveNeverBreaksSoD: whatever the world, an allowed approval has
// a clean actor and principal, an approving role, a ready invoice, an
// open level and, with blocking findings, a valid override by someone else.
func TestApproveNeverBreaksSoD(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	p := testPolicy()
	allowed := 0
	for i := range 50_000 {
		u, inv := g.user(), g.invoice()
		dels, ov := g.delegations(u.Name), g.override()
		d := p.CanApprove(u, inv, dels, ov)
		if d.Rule == "" || d.Route == "" {
			t.Fatalf("case %d: decision without rule: %+v", i, d)
		}
		if !d.Allowed {
			continue
		}
		allowed++
		bad := func(why string) {
			t.Fatalf("case %d: %s\nuser %+v\ninvoice %+v\ndelegations %+v\noverride %+v\ndecision %+v", i, why, u, inv, dels, ov, d)
		}
		switch {
		case conflicted(inv, u.Name):
			bad("actor in conflict")
		case d.OnBehalfOf != "" && conflicted(inv, d.OnBehalfOf):
			bad("delegator in conflict")
		case d.OnBehalfOf == u.Name:
			bad("acting on behalf of self")
		case u.Role != identity.Approver && u.Role != identity.Admin:
			bad("role cannot approve")
		case inv.Status != invoice.StatusReadyForApproval:
			bad("invoice not ready")
		case d.Level != len(inv.Approvals)+1 || d.Level > d.Levels || d.Complete != (d.Level == d.Levels):
			bad("level bookkeeping")
		case inv.HasBlockingFindings && (ov == nil || ov.By.Role != identity.Admin ||
			strings.TrimSpace(ov.Reason) == "" || ov.By.Name == u.Name || conflicted(inv, ov.By.Name) && !approvedBy(inv, ov.By.Name) || !inScope(ov.By, inv)):
			bad("blocking findings passed without a valid override")
		case d.OnBehalfOf == "" && !p.CanSee(u, inv, nil), !p.CanSee(u, inv, dels):
			bad("approved an invoice the user cannot see")
		}
	}
	if allowed < 100 {
		t.Fatalf("only %d allowed approvals: the generator is not exercising the allow path", allowed)
	}
}

// Rejections need a reason and an approving role, in every world.
func TestRejectNeedsReasonAndRole(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(3, 4))}
	p := testPolicy()
	for i := range 20_000 {
		u, inv := g.user(), g.invoice()
		reason := g.pick([]string{"", "  ", "duplicate"})
		d := p.CanReject(u, inv, reason, g.delegations(u.Name))
		if d.Rule == "" {
			t.Fatalf("case %d: decision without rule: %+v", i, d)
		}
		if d.Allowed && (strings.TrimSpace(reason) == "" || (u.Role != identity.Approver && u.Role != identity.Admin) ||
			inv.Status != invoice.StatusReadyForApproval) {
			t.Fatalf("case %d: reject allowed: %+v\n%+v\n%+v", i, u, inv, d)
		}
	}
}
