package approval

import (
	"reflect"
	"testing"

	"github.com/smartap/desktop/backend/identity"
)

func risk(r Risk) func(*Invoice) { return func(i *Invoice) { i.Risk = r } }

func currency(c string) func(*Invoice) { return func(i *Invoice) { i.Currency = c } }

func TestRouteFor(t *testing.T) {
	p := testPolicy()
	cases := []struct {
		name   string
		inv    Invoice
		rule   string
		levels int
	}{
		{"small band", with(amount("500")), "small", 1},
		{"just below 1,000", with(amount("999.99")), "small", 1},
		{"band min is inclusive", with(amount("1000.00")), "mid", 1},
		{"threshold itself needs one", with(amount("10000.00")), "mid", 1},
		{"above threshold needs two", with(amount("10000.01")), "mid+floor:second-approver>10000", 2},
		{"band max is exclusive", with(amount("50000")), "large", 3},
		{"floor never lowers", with(amount("90000")), "large", 3},
		{"credit note by magnitude", with(amount("-20000")), "mid+floor:second-approver>10000", 2},
		{"zero", with(amount("0")), "small", 1},
		{"vendor beats band", with(vendor("V-ACME"), amount("60000")), "vendor-acme", 2},
		{"vendor small", with(vendor("V-ACME")), "vendor-acme", 2},
		{"cost centre", with(costCentre("IT")), "cc-it", 1},
		{"cost centre plus floor", with(costCentre("IT"), amount("12000")), "cc-it+floor:second-approver>10000", 2},
		{"vendor beats cost centre", with(costCentre("IT"), vendor("V-ACME")), "vendor-acme", 2},
		{"risk beats band", with(risk(RiskHigh)), "high-risk", 2},
		{"cost centre beats risk", with(risk(RiskHigh), costCentre("IT")), "cc-it", 1},
		{"medium risk is below the rule", with(risk(RiskMedium)), "small", 1},
		{"other currency: no band, floor", with(currency("USD")), "default+floor:second-approver(currency USD≠EUR)", 2},
		{"currency compared without case", with(currency("eur")), "small", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := p.RouteFor(c.inv)
			if r.Rule != c.rule || r.Levels != c.levels {
				t.Fatalf("route %q levels %d (%s), want %q %d", r.Rule, r.Levels, r.Why, c.rule, c.levels)
			}
			if r.Why == "" || len(r.Eligible) == 0 {
				t.Errorf("route does not explain itself: %+v", r)
			}
		})
	}
}

func TestRouteEligible(t *testing.T) {
	p := testPolicy()
	cases := []struct {
		inv  Invoice
		want []string
	}{
		{with(), []string{"role:approver", "role:admin", "cost-centre:CC1"}},
		{with(costCentre("IT")), []string{"role:admin", "cost-centre:IT"}},
		{with(vendor("V-NAMED")), []string{"role:approver", "role:admin", "user:dave", "cost-centre:CC1"}},
		{with(costCentre("")), []string{"role:approver", "role:admin"}},
	}
	for _, c := range cases {
		if got := p.RouteFor(c.inv).Eligible; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: eligible %v, want %v", c.inv.CostCentre, got, c.want)
		}
	}
}

func TestRouteDefaultsAndTies(t *testing.T) {
	cases := []struct {
		name   string
		p      Policy
		inv    Invoice
		rule   string
		levels int
	}{
		{"no rules, default", Policy{DefaultLevels: 2}, with(), "default", 2},
		{"zero default still needs one", Policy{}, with(), "default", 1},
		{"floor off when zero", Policy{DefaultLevels: 1}, with(amount("1000000")), "default", 1},
		{"tie keeps the earlier rule", Policy{Rules: []Rule{
			{ID: "first", CostCentres: []string{"CC1"}, Levels: 1},
			{ID: "second", CostCentres: []string{"CC1", "CC2"}, Levels: 2},
		}}, with(), "first", 1},
		{"closed band beats open band", Policy{Rules: []Rule{
			{ID: "open", MinAmount: dp("100"), Levels: 1},
			{ID: "closed", MinAmount: dp("100"), MaxAmount: dp("1000"), Levels: 2},
		}}, with(), "closed", 2},
		{"higher risk bar is more specific", Policy{Rules: []Rule{
			{ID: "low", MinRisk: RiskLow, Levels: 1},
			{ID: "medium", MinRisk: RiskMedium, Levels: 2},
		}}, with(risk(RiskHigh)), "medium", 2},
		{"band rule does not match other currency", Policy{Currency: "EUR", Rules: []Rule{
			{ID: "cheap", MaxAmount: dp("1000"), Levels: 1},
		}, DefaultLevels: 3}, with(currency("SEK")), "default", 3},
		{"vendor rule matches any currency", Policy{Currency: "EUR", Rules: []Rule{
			{ID: "acme", Vendors: []string{"V-1"}, Levels: 1},
		}}, with(currency("SEK")), "acme", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if r := c.p.RouteFor(c.inv); r.Rule != c.rule || r.Levels != c.levels {
				t.Fatalf("route %q levels %d, want %q %d", r.Rule, r.Levels, c.rule, c.levels)
			}
		})
	}
}

// A rule that (wrongly) lists clerks still cannot make a clerk approve:
// Validate refuses it, and the decision does not trust the policy either.
func TestRuleCannotGrantClerk(t *testing.T) {
	p := Policy{DefaultLevels: 1, Rules: []Rule{{ID: "bad", Levels: 1, ApproverRoles: []identity.Role{identity.Clerk}}}}
	if p.Validate() == nil {
		t.Fatal("policy letting clerks approve validated")
	}
	d := p.CanApprove(User{Name: "c", Role: identity.Clerk, CostCentres: []string{"CC1"}}, with(importedBy("x")), nil, nil)
	if d.Allowed {
		t.Fatalf("clerk allowed: %+v", d)
	}
}
