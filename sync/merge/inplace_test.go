package merge

import (
	"fmt"
	"reflect"
)

// checkInPlace replays log (every op twice) with ApplyInPlace and with
// Apply side by side: after every op the states must be equal and the
// outcomes the same, and the state Apply was given must be unchanged.
// runSeed calls it on every seed's log, so it covers whatever the
// convergence simulation produces: refusals, duplicates, both kinds of
// exception.
func checkInPlace(log []Op) error {
	byValue, inPlace := fresh(), fresh()
	for i, op := range log {
		for range 2 {
			before := byValue[op.Entity]
			snap := Digest(before)
			next, want := Apply(before, op)
			st := inPlace[op.Entity]
			got := st.ApplyInPlace(op)
			inPlace[op.Entity] = st
			byValue[op.Entity] = next
			if Digest(before) != snap {
				return fmt.Errorf("op %d (%s): Apply changed the state it was given", i, op.ID)
			}
			if !reflect.DeepEqual(st, next) {
				return fmt.Errorf("op %d (%s): ApplyInPlace state differs from Apply's", i, op.ID)
			}
			if got.Result != want.Result || !reflect.DeepEqual(got.Exceptions, want.Exceptions) ||
				fmt.Sprint(got.Reason) != fmt.Sprint(want.Reason) {
				return fmt.Errorf("op %d (%s): ApplyInPlace outcome %+v, Apply %+v", i, op.ID, got, want)
			}
		}
	}
	return nil
}
