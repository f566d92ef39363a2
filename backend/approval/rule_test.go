package approval

import (
	"testing"
	"time"
)

// security checklist #32: every authorization decision is logged with the
// rule that decided it, so no Decision may come back without one. This
// runs every table case plus the cross product of the fixtures.
func TestEveryDecisionHasRule(t *testing.T) {
	p := testPolicy()
	check := func(what string, d Decision) {
		t.Helper()
		if d.Rule == "" || d.Reason == "" || d.Route == "" {
			t.Errorf("%s: incomplete decision %+v", what, d)
		}
	}
	for _, c := range approveCases {
		check("approve "+c.name, p.CanApprove(c.user, c.inv, c.dels, c.ov))
	}
	for _, c := range rejectCases {
		check("reject "+c.name, p.CanReject(c.user, c.inv, c.reason, c.dels))
	}
	users := []User{clara, alice, dave, bob, ivan, root, ada, audrey, scoped, nobody, {}}
	dels := [][]Delegation{nil, {activeAliceToBob, expiredAliceToBob, rootToBob, aliceToClara}}
	overrides := []*Override{nil, okOverride, {By: dave}}
	for _, u := range users {
		for _, c := range approveCases {
			for _, ds := range dels {
				for _, ov := range overrides {
					check("approve "+u.Name+" "+c.name, p.CanApprove(u, c.inv, ds, ov))
				}
				check("reject "+u.Name+" "+c.name, p.CanReject(u, c.inv, "because", ds))
			}
		}
	}
	if e := p.Escalate(with(submitted(time.Hour)), users); e.Rule == "" {
		t.Error("escalation without rule")
	}
}
