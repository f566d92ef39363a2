package approval

import (
	"reflect"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
)

func TestOverdue(t *testing.T) {
	cases := []struct {
		name    string
		after   time.Duration
		inv     Invoice
		overdue bool
		waited  time.Duration
	}{
		{"fresh", 48 * time.Hour, with(submitted(time.Hour)), false, time.Hour},
		{"at the deadline", 48 * time.Hour, with(submitted(48 * time.Hour)), false, 48 * time.Hour},
		{"past the deadline", 48 * time.Hour, with(submitted(49 * time.Hour)), true, 49 * time.Hour},
		{"on hold is not waiting for approvers", 48 * time.Hour, with(submitted(99*time.Hour), status(invoice.StatusOnHold)), false, 0},
		{"never submitted", 48 * time.Hour, with(func(i *Invoice) { i.SubmittedAt = time.Time{} }), false, 0},
		{"escalation off", 0, with(submitted(999 * time.Hour)), false, 0},
		{"submitted in the future (clock skew)", 48 * time.Hour, with(submitted(-time.Hour)), false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testPolicy()
			p.EscalateAfter = c.after
			if o, w := p.Overdue(c.inv); o != c.overdue || w != c.waited {
				t.Fatalf("overdue %v waited %s, want %v %s", o, w, c.overdue, c.waited)
			}
		})
	}
}

// The injected clock is the only time source: moving it makes the same
// invoice overdue.
func TestOverdueFollowsClock(t *testing.T) {
	c := &clock{t: t0}
	p := testPolicy()
	p.Now = c.Now
	inv := with(submitted(0))
	for _, step := range []struct {
		advance time.Duration
		overdue bool
	}{{47 * time.Hour, false}, {time.Hour, false}, {time.Nanosecond, true}, {24 * time.Hour, true}} {
		c.Advance(step.advance)
		if o, _ := p.Overdue(inv); o != step.overdue {
			t.Fatalf("at %s: overdue %v, want %v", c.t.Sub(t0), o, step.overdue)
		}
	}
}

func TestEscalate(t *testing.T) {
	late := submitted(72 * time.Hour)
	everyone := []User{clara, alice, bob, dave, root, ada, audrey, scoped}
	cases := []struct {
		name   string
		inv    Invoice
		users  []User
		notify []string
		rule   string
	}{
		{"not overdue", with(), everyone, nil, "escalate:not-overdue"},
		{"admins who can see it, sorted", with(late), everyone, []string{"ada", "root"}, "escalate:admins after 48h0m0s"},
		{"scoped admin sees its own cost centre", with(late, costCentre("CC2")), everyone,
			[]string{"ada", "root", "sam"}, "escalate:admins after 48h0m0s"},
		{"conflicted admin left out", with(late, importedBy("root")), everyone, []string{"ada"}, "escalate:admins after 48h0m0s"},
		{"only conflicted admins", with(late, importedBy("root"), changedByUser("ada")), everyone,
			[]string{"ada", "root"}, "escalate:admins after 48h0m0s (all in conflict)"},
		{"no admin", with(late), []User{clara, alice, audrey}, nil, "escalate:no-admin"},
		{"duplicate users notified once", with(late), []User{root, root}, []string{"root"}, "escalate:admins after 48h0m0s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testPolicy().Escalate(c.inv, c.users)
			if !reflect.DeepEqual(e.Notify, c.notify) || e.Rule != c.rule {
				t.Fatalf("notify %v rule %q, want %v %q", e.Notify, e.Rule, c.notify, c.rule)
			}
		})
	}
}

func TestQueueFor(t *testing.T) {
	id := func(s string) func(*Invoice) { return func(i *Invoice) { i.ID = s } }
	invs := []Invoice{
		with(id("cc1")),
		with(id("cc2"), costCentre("CC2")),
		with(id("cc1-late"), submitted(72*time.Hour)),
		with(id("cc1-changed-by-alice"), changedByUser("alice")),
		with(id("cc2-late"), costCentre("CC2"), submitted(72*time.Hour)),
		with(id("cc1-blocked"), blocking),
		with(id("cc1-alice-done"), big, approved(Approval{By: "alice"})),
		with(id("cc1-review"), status(invoice.StatusNeedsReview)),
		with(id("it-late"), costCentre("IT"), submitted(72*time.Hour)),
		with(id("cc2-sam-late"), costCentre("CC2"), importedBy("sam"), submitted(72*time.Hour)),
	}
	bobToAlice := delegation(bob, "alice", -time.Hour, time.Hour)
	cases := []struct {
		name string
		user User
		dels []Delegation
		want Queue
	}{
		{"approver", alice, nil, Queue{
			Mine:    []string{"cc1", "cc1-late", "cc1-blocked"},
			Overdue: []string{"cc1-late"},
		}},
		{"approver covering for bob", alice, []Delegation{bobToAlice}, Queue{
			Mine:      []string{"cc1", "cc1-late", "cc1-blocked"},
			Delegated: []string{"cc2", "cc2-late", "cc2-sam-late"},
			Overdue:   []string{"cc1-late", "cc2-late", "cc2-sam-late"},
		}},
		{"second level", dave, nil, Queue{
			Mine:    []string{"cc1", "cc1-late", "cc1-changed-by-alice", "cc1-blocked", "cc1-alice-done"},
			Overdue: []string{"cc1-late"},
		}},
		{"admin sees every overdue", root, nil, Queue{
			Mine: []string{"cc1", "cc2", "cc1-late", "cc1-changed-by-alice", "cc2-late", "cc1-blocked",
				"cc1-alice-done", "it-late", "cc2-sam-late"},
			Overdue: []string{"cc1-late", "cc2-late", "it-late", "cc2-sam-late"},
		}},
		{"scoped admin: escalations in scope, even in conflict", scoped, nil, Queue{
			Mine:    []string{"cc2", "cc2-late"},
			Overdue: []string{"cc2-late", "cc2-sam-late"},
		}},
		{"clerk has no queue", clara, nil, Queue{}},
		{"auditor has no queue", audrey, nil, Queue{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := testPolicy().QueueFor(c.user, invs, c.dels); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("queue\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}
