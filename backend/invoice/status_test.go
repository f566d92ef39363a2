package invoice

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// expected is the specification of the status machine, written out by hand.
// Rows are states ("on_hold/x" = on hold, held from x); columns follow
// CommandKinds(): Extract, FlagForReview, Submit, Approve, Reject, Hold,
// Release, Void, Export, MarkPaid, Correct. "-" means denied.
var expected = map[string][11]string{
	"received":           {"extracted", "-", "-", "-", "-", "on_hold/received", "-", "void", "-", "-", "-"},
	"extracted":          {"-", "needs_review", "ready_for_approval", "-", "-", "on_hold/extracted", "-", "void", "-", "-", "extracted"},
	"needs_review":       {"-", "-", "ready_for_approval", "-", "-", "on_hold/needs_review", "-", "void", "-", "-", "needs_review"},
	"ready_for_approval": {"-", "needs_review", "-", "approved", "rejected", "on_hold/ready_for_approval", "-", "void", "-", "-", "needs_review"},
	"approved":           {"-", "-", "-", "-", "-", "on_hold/approved", "-", "void", "exported", "-", "-"},
	"rejected":           {"-", "-", "-", "-", "-", "-", "-", "void", "-", "-", "-"},
	"exported":           {"-", "-", "-", "-", "-", "-", "-", "-", "-", "paid", "-"},
	"paid":               {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"},
	"void":               {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"},

	"on_hold/received":           {"-", "-", "-", "-", "-", "-", "received", "void", "-", "-", "on_hold/received"},
	"on_hold/extracted":          {"-", "-", "-", "-", "-", "-", "extracted", "void", "-", "-", "on_hold/extracted"},
	"on_hold/needs_review":       {"-", "-", "-", "-", "-", "-", "needs_review", "void", "-", "-", "on_hold/needs_review"},
	"on_hold/ready_for_approval": {"-", "-", "-", "-", "-", "-", "ready_for_approval", "void", "-", "-", "on_hold/needs_review"},
	"on_hold/approved":           {"-", "-", "-", "-", "-", "-", "approved", "void", "-", "-", "on_hold/needs_review"},
}

func state(s string) State {
	st, from, _ := strings.Cut(s, "/")
	return State{Status: Status(st), HeldFrom: Status(from)}
}

func stateName(s State) string {
	if s.HeldFrom != "" {
		return string(s.Status) + "/" + string(s.HeldFrom)
	}
	return string(s.Status)
}

// allStates is every valid state: each status, and on_hold from each holdable one.
func allStates() []State {
	var out []State
	for _, s := range Statuses() {
		if s != StatusOnHold {
			out = append(out, State{Status: s})
			continue
		}
		for _, from := range Statuses() {
			if from.Holdable() {
				out = append(out, State{Status: StatusOnHold, HeldFrom: from})
			}
		}
	}
	return out
}

func TestTransitionTable(t *testing.T) {
	kinds := CommandKinds()
	if len(kinds) != 11 {
		t.Fatalf("CommandKinds() has %d kinds; update the expectation table", len(kinds))
	}
	states := allStates()
	if len(states) != len(expected) {
		t.Fatalf("%d valid states but %d table rows", len(states), len(expected))
	}
	for _, cur := range states {
		row, ok := expected[stateName(cur)]
		if !ok {
			t.Fatalf("no expectation row for %s", stateName(cur))
		}
		for i, k := range kinds {
			name := stateName(cur) + " " + string(k)
			got, err := Transition(cur, Command{Kind: k, Reason: "duplicate of INV-9"})
			if row[i] == "-" {
				if !errors.Is(err, ErrInvalidTransition) {
					t.Errorf("%s: want ErrInvalidTransition, got %v (%s)", name, err, stateName(got))
				}
				if got != cur {
					t.Errorf("%s: denied command changed the state to %s", name, stateName(got))
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: want %s, got error %v", name, row[i], err)
			} else if got != state(row[i]) {
				t.Errorf("%s: got %s, want %s", name, stateName(got), row[i])
			}
		}
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		cur  State
		cmd  Command
		want error
		msg  string
	}{
		{State{Status: StatusNeedsReview}, Command{Kind: Approve}, ErrInvalidTransition,
			"invoice: invalid transition: cannot approve an invoice that is needs_review"},
		{State{Status: StatusApproved}, Command{Kind: MarkPaid}, ErrInvalidTransition,
			"cannot mark as paid an invoice that is approved"},
		{State{Status: StatusOnHold, HeldFrom: StatusApproved}, Command{Kind: Export}, ErrInvalidTransition,
			"cannot export an invoice that is on_hold (held from approved)"},
		{State{Status: StatusExported}, Command{Kind: Void, Reason: "dup"}, ErrInvalidTransition,
			"cannot void an invoice that is exported"},
		{State{Status: StatusReadyForApproval}, Command{Kind: Reject}, ErrReasonRequired,
			"invoice: reason required: give a reason to reject an invoice"},
		{State{Status: StatusApproved}, Command{Kind: Hold, Reason: " \t\n"}, ErrReasonRequired, "hold"},
		{State{Status: StatusReceived}, Command{Kind: Void}, ErrReasonRequired, "void"},
		// A denied command is reported as such even when its reason is missing too.
		{State{Status: StatusPaid}, Command{Kind: Void}, ErrInvalidTransition, "cannot void an invoice that is paid"},
		{State{Status: StatusReceived}, Command{Kind: "pay"}, ErrInvalidTransition, `unknown command "pay"`},
		{State{Status: "archived"}, Command{Kind: Extract}, ErrInvalidState, `unknown status "archived"`},
		{State{Status: StatusOnHold}, Command{Kind: Release}, ErrInvalidState, `on_hold with held-from status ""`},
		{State{Status: StatusOnHold, HeldFrom: StatusPaid}, Command{Kind: Release}, ErrInvalidState, "held-from"},
		{State{Status: StatusApproved, HeldFrom: StatusReceived}, Command{Kind: Export}, ErrInvalidState, "while approved"},
	}
	for _, tt := range tests {
		t.Run(stateName(tt.cur)+" "+string(tt.cmd.Kind), func(t *testing.T) {
			got, err := Transition(tt.cur, tt.cmd)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			if got != tt.cur {
				t.Errorf("state changed on error: %+v", got)
			}
		})
	}
}

// Every command that needs a reason is refused without one wherever it
// would otherwise be allowed, and accepted with one.
func TestReasonRequiredEverywhere(t *testing.T) {
	for _, cur := range allStates() {
		for _, k := range CommandKinds() {
			if _, err := Transition(cur, Command{Kind: k, Reason: "ok"}); err != nil {
				continue
			}
			_, err := Transition(cur, Command{Kind: k, Reason: "  "})
			if k.NeedsReason() && !errors.Is(err, ErrReasonRequired) {
				t.Errorf("%s %s without reason: %v", stateName(cur), k, err)
			}
			if !k.NeedsReason() && err != nil {
				t.Errorf("%s %s should not need a reason: %v", stateName(cur), k, err)
			}
		}
	}
}

// Property: paid and void are final — no command leaves them.
func TestTerminalStatesAreFinal(t *testing.T) {
	for _, s := range Statuses() {
		cur := State{Status: s}
		if !s.Terminal() {
			continue
		}
		if got := Allowed(cur); len(got) != 0 {
			t.Errorf("%s allows %v", s, got)
		}
	}
}

// Property: holding and releasing returns exactly the state held from.
func TestHoldReleaseRoundTrip(t *testing.T) {
	for _, s := range Statuses() {
		if !s.Holdable() {
			continue
		}
		cur := State{Status: s}
		held, err := Transition(cur, Command{Kind: Hold, Reason: "bank details changed"})
		if err != nil {
			t.Fatalf("hold %s: %v", s, err)
		}
		back, err := Transition(held, Command{Kind: Release})
		if err != nil || back != cur {
			t.Errorf("hold+release of %s gave %+v, %v", s, back, err)
		}
	}
}

// Property: random command sequences only ever produce valid states, never
// leave a terminal status, and never reach approved without passing
// ready_for_approval right before (directly or through a hold).
func TestRandomWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := CommandKinds()
	for walk := 0; walk < 2000; walk++ {
		cur := NewState()
		for step := 0; step < 40; step++ {
			cmd := Command{Kind: kinds[rng.IntN(len(kinds))]}
			if rng.IntN(4) > 0 {
				cmd.Reason = "r"
			}
			next, err := Transition(cur, cmd)
			if err != nil {
				if next != cur {
					t.Fatalf("error changed state %+v -> %+v", cur, next)
				}
				continue
			}
			if verr := next.Validate(); verr != nil {
				t.Fatalf("%+v %s -> invalid %+v: %v", cur, cmd.Kind, next, verr)
			}
			if cur.Status.Terminal() {
				t.Fatalf("left terminal %s with %s", cur.Status, cmd.Kind)
			}
			if next.Status == StatusApproved && cur.Status != StatusApproved &&
				cmd.Kind != Approve && !(cmd.Kind == Release && cur.HeldFrom == StatusApproved) {
				t.Fatalf("reached approved from %+v via %s", cur, cmd.Kind)
			}
			cur = next
		}
	}
}

func TestAllowed(t *testing.T) {
	got := Allowed(State{Status: StatusReadyForApproval})
	want := []CommandKind{FlagForReview, Approve, Reject, Hold, Void, Correct}
	if len(got) != len(want) {
		t.Fatalf("Allowed = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Allowed = %v, want %v", got, want)
		}
	}
}

func TestStateAndCommandJSON(t *testing.T) {
	b, _ := json.Marshal(State{Status: StatusOnHold, HeldFrom: StatusApproved})
	if string(b) != `{"status":"on_hold","held_from":"approved"}` {
		t.Errorf("state JSON = %s", b)
	}
	b, _ = json.Marshal(State{Status: StatusPaid})
	if string(b) != `{"status":"paid"}` {
		t.Errorf("state JSON = %s", b)
	}
	b, _ = json.Marshal(Command{Kind: MarkPaid})
	if string(b) != `{"kind":"mark_paid"}` {
		t.Errorf("command JSON = %s", b)
	}
}
