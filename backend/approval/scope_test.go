package approval

import (
	"testing"
	"time"
)

// security checklist #20: what CanSee refuses, the caller answers as
// not-found.
func TestCanSee(t *testing.T) {
	p := testPolicy()
	cases := []struct {
		name string
		user User
		inv  Invoice
		dels []Delegation
		want bool
	}{
		{"admin, anything", root, with(costCentre("ZZ")), nil, true},
		{"admin, no cost centre", root, with(costCentre("")), nil, true},
		{"scoped admin, inside", scoped, with(costCentre("CC2")), nil, true},
		{"scoped admin, outside", scoped, with(), nil, false},
		{"scoped admin, delegation", scoped, with(), []Delegation{delegation(alice, "sam", -time.Hour, time.Hour)}, true},
		{"auditor, anything", audrey, with(costCentre("ZZ")), nil, true},
		{"approver, own cost centre", alice, with(), nil, true},
		{"approver, other cost centre", bob, with(), nil, false},
		{"approver, no cost centre", alice, with(costCentre("")), nil, false},
		{"unscoped approver, no cost centre (a team without cost centres)", User{Name: "una", Role: "approver"}, with(costCentre("")), nil, true},
		{"unscoped approver, invoice with a cost centre", User{Name: "una", Role: "approver"}, with(costCentre("CC1")), nil, false},
		{"approver, active delegation", bob, with(), []Delegation{activeAliceToBob}, true},
		{"approver, expired delegation", bob, with(), []Delegation{expiredAliceToBob}, false},
		{"approver, delegation from a clerk", bob, with(), []Delegation{delegation(clara, "bob", -time.Hour, time.Hour)}, false},
		{"approver, open-ended delegation refused", bob, with(),
			[]Delegation{{From: alice, To: "bob", Start: t0.Add(-time.Hour)}}, false},
		{"approver, approved it earlier", bob, with(approved(Approval{By: "bob"})), nil, true},
		{"clerk, own import elsewhere", clara, with(costCentre("ZZ")), nil, true},
		{"clerk, own cost centre", clara, with(importedBy("other")), nil, true},
		{"clerk, other cost centre", clara, with(importedBy("other"), costCentre("CC2")), nil, false},
		{"clerk, delegation lends no sight", clara, with(importedBy("other"), costCentre("CC2")),
			[]Delegation{delegation(bob, "clara", -time.Hour, time.Hour)}, false},
		{"nameless approver does not match approvals", User{Role: "approver"}, with(approved(Approval{By: "alice"})), nil, false},
		{"unknown role", nobody, with(), nil, false},
		{"empty importer matches nobody", User{Role: "clerk"}, with(importedBy(""), costCentre("ZZ")), nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := p.CanSee(c.user, c.inv, c.dels); got != c.want {
				t.Fatalf("CanSee = %v, want %v", got, c.want)
			}
		})
	}
}
