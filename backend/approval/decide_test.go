package approval

import (
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

type approveCase struct {
	name     string
	user     User
	inv      Invoice
	dels     []Delegation
	ov       *Override
	allowed  bool
	rule     string // exact, or a prefix when it ends in "*"
	onBehalf string
	complete bool
}

var (
	activeAliceToBob  = delegation(alice, "bob", -24*time.Hour, 24*time.Hour)
	expiredAliceToBob = delegation(alice, "bob", -72*time.Hour, -time.Hour)
	futureAliceToBob  = delegation(alice, "bob", time.Hour, 72*time.Hour)
	rootToBob         = delegation(root, "bob", -time.Hour, time.Hour)
	aliceToClara      = delegation(alice, "clara", -time.Hour, time.Hour)
	okOverride        = &Override{By: ada, Reason: "bank change confirmed by phone with the vendor"}
	big               = amount("20000.00") // mid band, raised to 2 levels by the floor
)

// security checklist #19: role × situation × object scope.
var approveCases = []approveCase{
	{name: "approver in scope", user: alice, inv: with(), allowed: true, rule: "level 1 of 1", complete: true},
	{name: "admin sees all", user: root, inv: with(), allowed: true, rule: "level 1 of 1", complete: true},
	{name: "clerk", user: clara, inv: with(importedBy("someone")), rule: "role:clerk lacks invoice.approve"},
	{name: "clerk own import", user: clara, inv: with(), rule: "role:clerk lacks invoice.approve"},
	{name: "auditor", user: audrey, inv: with(), rule: "role:auditor lacks invoice.approve"},
	{name: "unknown role", user: nobody, inv: with(), rule: "role:boss lacks invoice.approve"},
	{name: "anonymous", user: User{Role: identity.Admin}, inv: with(), rule: "identity:anonymous"},

	{name: "own import", user: root, inv: with(importedBy("root")), rule: "sod:imported-by-self"},
	{name: "own correction", user: alice, inv: with(changedByUser("clara", "alice")), rule: "sod:changed-by-self"},
	{name: "second approval by same person", user: alice, inv: with(big, approved(Approval{By: "alice"})),
		rule: "sod:approved-already-by-self"},
	{name: "approved earlier through a delegate", user: alice,
		inv: with(big, approved(Approval{By: "bob", OnBehalfOf: "alice"})), rule: "sod:approved-already-by-self"},
	{name: "level 1 of 2 above 10,000", user: alice, inv: with(big), allowed: true, rule: "level 1 of 2"},
	{name: "level 2 of 2 by another", user: dave, inv: with(big, approved(Approval{By: "alice"})),
		allowed: true, rule: "level 2 of 2", complete: true},
	{name: "levels complete", user: dave, inv: with(approved(Approval{By: "alice"})), rule: "levels:complete"},

	{name: "approver outside cost centre", user: bob, inv: with(), rule: "scope:cost-centre"},
	{name: "no cost centre: approver", user: alice, inv: with(costCentre("")), rule: "scope:cost-centre"},
	{name: "scoped admin outside", user: scoped, inv: with(), rule: "scope:cost-centre"},
	{name: "scoped admin inside", user: scoped, inv: with(costCentre("CC2")), allowed: true, rule: "level 1 of 1", complete: true},
	{name: "rule for admins only", user: ivan, inv: with(costCentre("IT")), rule: "route:role"},
	{name: "rule for admins only, admin", user: ada, inv: with(costCentre("IT")), allowed: true, rule: "level 1 of 1", complete: true},
	{name: "named approvers: other", user: alice, inv: with(vendor("V-NAMED")), rule: "route:named-approvers"},
	{name: "named approvers: named", user: dave, inv: with(vendor("V-NAMED")), allowed: true, rule: "level 1 of 1", complete: true},

	{name: "delegation inside window", user: bob, inv: with(), dels: []Delegation{activeAliceToBob},
		allowed: true, rule: "level 1 of 1; delegation:alice→bob until 2026-03-11T12:00:00Z", onBehalf: "alice", complete: true},
	{name: "delegation expired", user: bob, inv: with(), dels: []Delegation{expiredAliceToBob},
		rule: "delegation:alice→bob until 2026-03-10T11:00:00Z outside window"},
	{name: "delegation not started", user: bob, inv: with(), dels: []Delegation{futureAliceToBob},
		rule: "delegation:alice→bob until 2026-03-13T12:00:00Z outside window"},
	{name: "delegation for someone else", user: dave, inv: with(costCentre("CC2")), dels: []Delegation{activeAliceToBob},
		rule: "scope:cost-centre"},
	{name: "delegation not covering the cost centre", user: ivan, inv: with(costCentre("CC2")),
		dels: []Delegation{delegation(alice, "ivan", -time.Hour, time.Hour)}, rule: "scope:cost-centre"},
	{name: "delegator already approved", user: bob, inv: with(big, approved(Approval{By: "alice"})),
		dels: []Delegation{activeAliceToBob}, rule: "sod:approved-already-by-delegator"},
	{name: "delegator imported", user: bob, inv: with(importedBy("root")), dels: []Delegation{rootToBob},
		rule: "sod:imported-by-delegator"},
	{name: "delegate changed it", user: bob, inv: with(changedByUser("bob")), dels: []Delegation{activeAliceToBob},
		rule: "sod:changed-by-self"},
	{name: "delegation to a clerk lends no role", user: clara, inv: with(importedBy("x")), dels: []Delegation{aliceToClara},
		rule: "role:clerk lacks invoice.approve"},
	{name: "unbounded delegation is ignored", user: bob, inv: with(),
		dels: []Delegation{{From: alice, To: "bob", Start: t0.Add(-time.Hour)}}, rule: "scope:cost-centre"},
	{name: "anonymous delegator is ignored", user: bob, inv: with(),
		dels: []Delegation{delegation(User{Role: "approver", CostCentres: []string{"CC1"}}, "bob", -time.Hour, time.Hour)},
		rule: "scope:cost-centre"},
	{name: "own authority first", user: dave, inv: with(), dels: []Delegation{delegation(alice, "dave", -time.Hour, time.Hour)},
		allowed: true, rule: "level 1 of 1", complete: true},

	{name: "not ready: needs review", user: alice, inv: with(status(invoice.StatusNeedsReview)), rule: "status:needs_review"},
	{name: "not ready: approved", user: alice, inv: with(status(invoice.StatusApproved)), rule: "status:approved"},
	{name: "not ready: on hold", user: alice, inv: with(status(invoice.StatusOnHold)), rule: "status:on_hold"},

	{name: "critical finding", user: alice, inv: with(blocking), rule: "blocking-findings"},
	{name: "critical finding, admin override", user: alice, inv: with(blocking), ov: okOverride,
		allowed: true, rule: "level 1 of 1; override:ada", complete: true},
	{name: "override by non-admin", user: alice, inv: with(blocking), rule: "override:not-admin",
		ov: &Override{By: dave, Reason: "looks fine"}},
	{name: "override without reason", user: alice, inv: with(blocking), rule: "override:reason-required",
		ov: &Override{By: ada, Reason: "  "}},
	{name: "override by the approver", user: root, inv: with(blocking), rule: "override:same-person",
		ov: &Override{By: root, Reason: "mine"}},
	{name: "override by the importer", user: alice, inv: with(blocking, importedBy("ada")),
		ov: okOverride, rule: "override:sod:imported-by-overrider"},
	{name: "override by an admin outside the cost centre", user: alice, inv: with(blocking),
		ov: &Override{By: scoped, Reason: "fine"}, rule: "override:scope"},
	{name: "override without findings is ignored", user: alice, inv: with(), ov: &Override{By: dave},
		allowed: true, rule: "level 1 of 1", complete: true},
}

func matchRule(got, want string) bool {
	if p, ok := strings.CutSuffix(want, "*"); ok {
		return strings.HasPrefix(got, p)
	}
	return got == want
}

func TestCanApprove(t *testing.T) {
	p := testPolicy()
	for _, c := range approveCases {
		t.Run(c.name, func(t *testing.T) {
			d := p.CanApprove(c.user, c.inv, c.dels, c.ov)
			if d.Allowed != c.allowed || !matchRule(d.Rule, c.rule) {
				t.Fatalf("got allowed=%v rule %q (%s), want allowed=%v rule %q", d.Allowed, d.Rule, d.Reason, c.allowed, c.rule)
			}
			if d.OnBehalfOf != c.onBehalf || d.Complete != c.complete {
				t.Errorf("on behalf of %q complete %v, want %q %v", d.OnBehalfOf, d.Complete, c.onBehalf, c.complete)
			}
			if d.Route == "" || d.Reason == "" {
				t.Errorf("decision lacks route or reason: %+v", d)
			}
			if d.Allowed && (d.Level != len(c.inv.Approvals)+1 || d.Level > d.Levels) {
				t.Errorf("level %d of %d with %d approvals", d.Level, d.Levels, len(c.inv.Approvals))
			}
		})
	}
}

// TestApproveRoleMatrix crosses every role with the situations that must
// refuse whatever the role: only approvers and admins, only clean cases.
func TestApproveRoleMatrix(t *testing.T) {
	p := testPolicy()
	situations := map[string]struct {
		mod   func(*Invoice)
		clean bool
	}{
		"clean":          {func(*Invoice) {}, true},
		"own import":     {func(i *Invoice) { i.ImportedBy = "me" }, false},
		"own correction": {func(i *Invoice) { i.ChangedBy = []string{"x", "me"} }, false},
		"approved before": {func(i *Invoice) {
			i.Amount = decimal.MustParse("20000")
			i.Approvals = []Approval{{By: "me", Level: 1}}
		}, false},
		"on behalf before": {func(i *Invoice) {
			i.Amount = decimal.MustParse("20000")
			i.Approvals = []Approval{{By: "x", OnBehalfOf: "me", Level: 1}}
		}, false},
		"not ready": {func(i *Invoice) { i.Status = invoice.StatusExtracted }, false},
		"blocked":   {blocking, false},
	}
	for _, role := range append(identity.Roles, "", "root") {
		for name, s := range situations {
			u := User{Name: "me", Role: role, CostCentres: []string{"CC1"}}
			d := p.CanApprove(u, with(s.mod), nil, nil)
			want := s.clean && (role == identity.Approver || role == identity.Admin)
			if d.Allowed != want || d.Rule == "" {
				t.Errorf("%s / %s: allowed=%v rule %q, want %v", role, name, d.Allowed, d.Rule, want)
			}
		}
	}
}

type rejectCase struct {
	name     string
	user     User
	inv      Invoice
	reason   string
	dels     []Delegation
	allowed  bool
	rule     string
	onBehalf string
}

var rejectCases = []rejectCase{
	{name: "approver with reason", user: alice, inv: with(), reason: "not ours", allowed: true, rule: "reject:authorized"},
	{name: "without reason", user: alice, inv: with(), rule: "reason-required"},
	{name: "blank reason", user: alice, inv: with(), reason: " \t", rule: "reason-required"},
	{name: "clerk", user: clara, inv: with(), reason: "dup", rule: "role:clerk lacks invoice.reject"},
	{name: "auditor", user: audrey, inv: with(), reason: "dup", rule: "role:auditor lacks invoice.reject"},
	{name: "not ready", user: alice, inv: with(status(invoice.StatusApproved)), reason: "dup", rule: "status:approved"},
	{name: "outside cost centre", user: bob, inv: with(), reason: "dup", rule: "scope:cost-centre"},
	{name: "through delegation", user: bob, inv: with(), reason: "dup", dels: []Delegation{activeAliceToBob},
		allowed: true, rule: "reject:authorized; delegation:alice→bob until 2026-03-11T12:00:00Z", onBehalf: "alice"},
	{name: "delegation expired", user: bob, inv: with(), reason: "dup", dels: []Delegation{expiredAliceToBob},
		rule: "delegation:alice→bob until 2026-03-10T11:00:00Z outside window"},
	{name: "own import may be rejected", user: root, inv: with(importedBy("root")), reason: "entered twice",
		allowed: true, rule: "reject:authorized"},
	{name: "blocking findings may be rejected", user: alice, inv: with(blocking), reason: "fraud",
		allowed: true, rule: "reject:authorized"},
	{name: "admins-only rule", user: ivan, inv: with(costCentre("IT")), reason: "dup", rule: "route:role"},
}

func TestCanReject(t *testing.T) {
	p := testPolicy()
	for _, c := range rejectCases {
		t.Run(c.name, func(t *testing.T) {
			d := p.CanReject(c.user, c.inv, c.reason, c.dels)
			if d.Allowed != c.allowed || !matchRule(d.Rule, c.rule) || d.OnBehalfOf != c.onBehalf {
				t.Fatalf("got allowed=%v rule %q on behalf %q (%s), want %v %q %q",
					d.Allowed, d.Rule, d.OnBehalfOf, d.Reason, c.allowed, c.rule, c.onBehalf)
			}
		})
	}
}
