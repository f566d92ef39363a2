package merge

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/smartap/desktop/backend/invoice"
)

// Field is the current value of one field and where it came from.
type Field struct {
	Value string `json:"value"`
	Clock HLC    `json:"clock"` // clock of the op that wrote it
	Base  HLC    `json:"base"`  // clock of the value that op had seen
	Op    string `json:"op"`    // id of the op that wrote it
}

// StatusChange names the op that last changed the status, so that an op
// refused because of it can say what it lost to.
type StatusChange struct {
	Op     string              `json:"op,omitempty"`
	Kind   invoice.CommandKind `json:"kind,omitempty"`
	Device string              `json:"device,omitempty"`
}

// State is one entity as the ordered log has built it.
type State struct {
	Entity     Entity              `json:"entity"`
	Status     invoice.State       `json:"status"`
	LastChange StatusChange        `json:"last_change"`
	Fields     map[string]Field    `json:"fields"`
	AppliedOps map[string]struct{} `json:"applied_ops"` // every op recorded, accepted or refused
	Exceptions []Exception         `json:"exceptions"`  // in server order
}

// NewState is an entity no op has touched yet: a freshly received invoice.
func NewState(e Entity) State {
	return State{
		Entity:     e,
		Status:     invoice.NewState(),
		Fields:     map[string]Field{},
		AppliedOps: map[string]struct{}{},
	}
}

// Result is what Apply did with an op.
type Result string

const (
	Applied   Result = "applied"   // recorded and took effect (field changes may still have lost LWW)
	Duplicate Result = "duplicate" // seen before; nothing changed
	Rejected  Result = "rejected"  // refused; Reason says why
)

// Outcome reports one Apply. Exceptions are the ones this op created; they
// are also in the returned State.
type Outcome struct {
	Result     Result
	Reason     error
	Exceptions []Exception
}

// ErrWrongEntity: the op is for another entity than the state.
var ErrWrongEntity = errors.New("merge: op for another entity")

// ErrConflictingTransition: a transition was refused because another op
// changed the status after the device looked (for example approve after a
// concurrent reject). Reason wraps it and the invoice error.
var ErrConflictingTransition = errors.New("merge: conflicting transition")

// Apply applies op to s and returns the new state; s is not modified. Ops
// must be applied in server order: that order is the only thing that makes
// "who was first" the same on every replica.
//
// Rules:
//   - An op id already recorded is a Duplicate and changes nothing, so
//     resends and replays are harmless.
//   - A malformed op or one for another entity is Rejected and not recorded.
//   - Otherwise the op is recorded and its command (a set op runs
//     invoice.Correct) goes through invoice.Transition from the current
//     status. If refused, the op is Rejected; when the op's BaseStatus is not
//     the current status, it lost a race to the op that changed the status,
//     and a conflicting_transition exception names both.
//   - An accepted set op merges each field by the rules of mergeField.
func Apply(s State, op Op) (State, Outcome) {
	if out, refused := s.refuse(op); refused {
		return s, out
	}
	next := s.clone()
	return next, next.apply(op)
}

// ApplyInPlace is Apply changing s itself instead of a copy: the same
// rules and the same outcome, and afterwards *s equals the State Apply
// would have returned. It is for a state nothing else shares (such as one
// being rebuilt by replaying a log), where copying the state's maps for
// every op would make a replay cost grow with the fields of each entity.
func (s *State) ApplyInPlace(op Op) Outcome {
	if out, refused := s.refuse(op); refused {
		return out
	}
	if s.Fields == nil {
		s.Fields = map[string]Field{}
	}
	if s.AppliedOps == nil {
		s.AppliedOps = map[string]struct{}{}
	}
	return s.apply(op)
}

// refuse reports the ops Apply refuses without recording them: for
// another entity, seen before, or malformed.
func (s *State) refuse(op Op) (Outcome, bool) {
	if op.Entity != s.Entity {
		return Outcome{Result: Rejected, Reason: fmt.Errorf("%w: op %q is for %s, not %s", ErrWrongEntity, op.ID, op.Entity, s.Entity)}, true
	}
	if _, ok := s.AppliedOps[op.ID]; ok {
		return Outcome{Result: Duplicate}, true
	}
	if err := op.Validate(); err != nil {
		return Outcome{Result: Rejected, Reason: err}, true
	}
	return Outcome{}, false
}

// apply records op and runs it on s, which the caller may change (a
// clone, or a state it owns). Status and LastChange change only after the
// checks that read them.
func (s *State) apply(op Op) Outcome {
	s.AppliedOps[op.ID] = struct{}{}
	cmd := op.command()
	to, err := invoice.Transition(s.Status, cmd)
	if err != nil {
		out := Outcome{Result: Rejected, Reason: err}
		if op.BaseStatus != s.Status.Status && s.LastChange.Op != "" {
			ex := transitionException(*s, op, err)
			s.addException(ex)
			out.Exceptions = []Exception{ex}
			out.Reason = fmt.Errorf("%w: %w", ErrConflictingTransition, err)
		}
		return out
	}
	if to != s.Status {
		s.Status = to
		s.LastChange = StatusChange{Op: op.ID, Kind: cmd.Kind, Device: op.Device}
	}
	var exs []Exception
	if op.Kind == KindSet {
		exs = s.mergeFields(op)
	}
	return Outcome{Result: Applied, Exceptions: exs}
}

// mergeFields merges each of op's field changes into s (a clone, or owned) and
// returns the exceptions it recorded, one per conflicting op.
//
// For a field whose current value cur was written by another op, the
// incoming change wins if, in this order:
//  1. it saw cur (its Base is cur's clock): a plain edit of what was shown;
//  2. else it loses if cur saw it (cur's Base is its clock): it is older;
//  3. else, same device: the higher clock wins, because a device's clock is
//     monotonic and the device saw its own earlier write, even if the two
//     reached the server out of order;
//  4. else the two are concurrent (neither saw the other): the higher clock
//     wins (last-writer-wins), and if the values differ a
//     conflicting_correction exception keeps the losing value for a person.
//
// Rules 1 and 2 put causality before clocks, so a device whose clock lags
// still overwrites a value it was shown. They look one step back only: the
// outbox pushes a device's ops in order, so a device's edit reaches the log
// after what it edited. If ops did arrive out of order, the worst case is an
// extra exception for a person to dismiss, never a silently lost value.
func (s *State) mergeFields(op Op) []Exception {
	type conflict struct {
		winner, loser side
		paths         []string
		lost          map[string]string
		kept          map[string]string
	}
	byOther := map[string]*conflict{}
	for _, path := range slices.Sorted(maps.Keys(op.Fields)) {
		ch := op.Fields[path]
		mine := Field{Value: ch.Value, Clock: op.Clock, Base: ch.Base, Op: op.ID}
		cur, ok := s.Fields[path]
		if !ok {
			s.Fields[path] = mine
			continue
		}
		var wins, concurrent bool
		switch {
		case Compare(ch.Base, cur.Clock) == 0:
			wins = true
		case Compare(cur.Base, op.Clock) == 0:
			wins = false
		default:
			wins = Compare(op.Clock, cur.Clock) > 0
			concurrent = cur.Clock.Device != op.Clock.Device
		}
		if wins {
			s.Fields[path] = mine
		}
		if !concurrent || cur.Value == ch.Value {
			continue
		}
		c := byOther[cur.Op]
		if c == nil {
			me, other := side{op.ID, op.Device}, side{cur.Op, cur.Clock.Device}
			c = &conflict{winner: other, loser: me, lost: map[string]string{}, kept: map[string]string{}}
			if wins {
				c.winner, c.loser = me, other
			}
			byOther[cur.Op] = c
		}
		c.paths = append(c.paths, path)
		kept, lost := cur.Value, ch.Value
		if wins {
			kept, lost = lost, kept
		}
		c.kept[path], c.lost[path] = kept, lost
	}
	var out []Exception
	for _, other := range slices.Sorted(maps.Keys(byOther)) {
		c := byOther[other]
		ex := correctionException(s.Entity, c.winner, c.loser, c.paths, c.kept, c.lost)
		s.addException(ex)
		out = append(out, ex)
	}
	return out
}

// side is one op of a conflict, as an exception message names it.
type side struct{ ID, Device string }

func (s State) clone() State {
	s.Fields = maps.Clone(s.Fields)
	s.AppliedOps = maps.Clone(s.AppliedOps)
	s.Exceptions = slices.Clone(s.Exceptions)
	if s.Fields == nil {
		s.Fields = map[string]Field{}
	}
	if s.AppliedOps == nil {
		s.AppliedOps = map[string]struct{}{}
	}
	return s
}

// addException appends ex unless an exception with its id exists; ids are
// derived from the two ops, so this only guards against a caller bug.
func (s *State) addException(ex Exception) {
	if !slices.ContainsFunc(s.Exceptions, func(e Exception) bool { return e.ID == ex.ID }) {
		s.Exceptions = append(s.Exceptions, ex)
	}
}
