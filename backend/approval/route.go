package approval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
)

// Rule routes the invoices it matches to a number of approval levels and
// to who may approve them. Every selector left empty matches anything.
type Rule struct {
	ID   string // stable; it is written into every decision
	Name string
	// MinAmount ≤ |amount| < MaxAmount; nil leaves that side open.
	MinAmount, MaxAmount *decimal.Decimal
	Vendors              []string // vendor ids
	CostCentres          []string
	MinRisk              Risk
	Levels               int // approvals needed, at least 1
	// ApproverRoles who may approve; empty means approver and admin.
	ApproverRoles []identity.Role
	// Approvers, when set, are the only users who may approve (they still
	// need an approving role and the cost centre). It narrows, never widens:
	// a rule is not the place to grant access to an invoice.
	Approvers []string
}

// Route is where an invoice goes: the rule that matched (or "default"),
// the levels needed after the second-approver floor, and who is eligible,
// described for people ("role:approver", "user:carol", "cost-centre:CC1").
type Route struct {
	Rule     string
	Levels   int
	Eligible []string
	// Why explains the choice, including a raised floor.
	Why string

	rule *Rule // the matched rule, nil for the default
}

// DefaultRule is Route.Rule when no rule matched.
const DefaultRule = "default"

// approvingRoles may approve at all. Clerks enter invoices and auditors
// must stay independent of what they audit, so neither ever approves.
var approvingRoles = []identity.Role{identity.Approver, identity.Admin}

func canEverApprove(r identity.Role) bool { return slices.Contains(approvingRoles, r) }

// RouteFor picks the most specific matching rule (vendor over cost centre
// over risk over amount band; the earlier rule on a tie), then raises the
// levels to two when the amount is above SecondApproverAbove.
func (p Policy) RouteFor(inv Invoice) Route {
	r := Route{Rule: DefaultRule, Levels: max(p.DefaultLevels, 1)}
	why := "no rule matched; default levels"
	if best := p.bestRule(inv); best != nil {
		r = Route{Rule: best.ID, Levels: max(best.Levels, 1), rule: best}
		why = "matched rule " + best.ID + " (" + best.describe() + ")"
	}
	if n, floor := p.floor(inv); r.Levels < n {
		r.Levels = n
		r.Rule += "+" + floor
		why += "; " + floor
	}
	r.Why = why
	r.Eligible = r.eligible(inv)
	return r
}

func (p Policy) bestRule(inv Invoice) *Rule {
	var best *Rule
	for i := range p.Rules {
		c := &p.Rules[i]
		if !p.matches(*c, inv) {
			continue
		}
		if best == nil || c.specificity().beats(best.specificity()) {
			best = c
		}
	}
	return best
}

func (p Policy) matches(r Rule, inv Invoice) bool {
	switch {
	case len(r.Vendors) > 0 && !slices.Contains(r.Vendors, inv.VendorID):
		return false
	case len(r.CostCentres) > 0 && !slices.Contains(r.CostCentres, inv.CostCentre):
		return false
	case inv.Risk < r.MinRisk:
		return false
	case r.hasBand():
		return p.comparable(inv) && r.inBand(inv.Amount.Abs())
	}
	return true
}

// comparable: amounts in another currency than the policy's cannot be
// placed in a band without a rate, and guessing would route a large
// foreign invoice to a small-amount rule.
func (p Policy) comparable(inv Invoice) bool {
	return p.Currency == "" || strings.EqualFold(p.Currency, inv.Currency)
}

func (r Rule) hasBand() bool { return r.MinAmount != nil || r.MaxAmount != nil }

func (r Rule) inBand(amount decimal.Decimal) bool {
	if r.MinAmount != nil && amount.Cmp(*r.MinAmount) < 0 {
		return false
	}
	return r.MaxAmount == nil || amount.Cmp(*r.MaxAmount) < 0
}

// specificity orders rules: a rule written for one vendor says more about
// an invoice than one for a cost centre, and so on down to the band.
type specificity [4]int

func (r Rule) specificity() specificity {
	bounds := 0
	if r.MinAmount != nil {
		bounds++
	}
	if r.MaxAmount != nil {
		bounds++
	}
	return specificity{boolInt(len(r.Vendors) > 0), boolInt(len(r.CostCentres) > 0), int(r.MinRisk), bounds}
}

func (s specificity) beats(o specificity) bool {
	for i := range s {
		if s[i] != o[i] {
			return s[i] > o[i]
		}
	}
	return false // a tie keeps the earlier rule
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// floor returns the minimum levels the amount demands and why.
func (p Policy) floor(inv Invoice) (int, string) {
	if p.SecondApproverAbove.Sign() <= 0 {
		return 0, ""
	}
	if !p.comparable(inv) {
		return 2, "floor:second-approver(currency " + inv.Currency + "≠" + p.Currency + ")"
	}
	if inv.Amount.Abs().Cmp(p.SecondApproverAbove) > 0 {
		return 2, "floor:second-approver>" + p.SecondApproverAbove.String()
	}
	return 0, ""
}

func (r Rule) describe() string {
	var parts []string
	if len(r.Vendors) > 0 {
		parts = append(parts, "vendor "+strings.Join(r.Vendors, ","))
	}
	if len(r.CostCentres) > 0 {
		parts = append(parts, "cost centre "+strings.Join(r.CostCentres, ","))
	}
	if r.MinRisk > RiskNone {
		parts = append(parts, "risk ≥ "+r.MinRisk.String())
	}
	if r.hasBand() {
		parts = append(parts, "amount "+bandString(r.MinAmount, r.MaxAmount))
	}
	if len(parts) == 0 {
		return "any invoice"
	}
	return strings.Join(parts, ", ")
}

func bandString(lo, hi *decimal.Decimal) string {
	l, h := "0", "∞"
	if lo != nil {
		l = lo.String()
	}
	if hi != nil {
		h = hi.String()
	}
	return fmt.Sprintf("[%s, %s)", l, h)
}

// roles returns who may approve under the route.
func (r Route) roles() []identity.Role {
	if r.rule == nil || len(r.rule.ApproverRoles) == 0 {
		return approvingRoles
	}
	return r.rule.ApproverRoles
}

func (r Route) named() []string {
	if r.rule == nil {
		return nil
	}
	return r.rule.Approvers
}

func (r Route) eligible(inv Invoice) []string {
	var out []string
	for _, role := range r.roles() {
		out = append(out, "role:"+string(role))
	}
	for _, u := range r.named() {
		out = append(out, "user:"+u)
	}
	if inv.CostCentre != "" {
		out = append(out, "cost-centre:"+inv.CostCentre)
	}
	return out
}
