package wire

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Op is one change made on a device (§7): the unit of push, pull, merge and
// idempotency. It carries either a command (a business transition such as
// approve, which the server validates against role × command × state ×
// amount) or plain field changes (merged last-writer-wins by Clock), never
// both, so the server never has to guess which rule applies.
type Op struct {
	// ID is a random UUID; the server applies each id at most once.
	ID     string   `json:"id"`
	Device string   `json:"device"`
	User   string   `json:"user"`
	Clock  HLC      `json:"hlc"`
	Entity Entity   `json:"entity"`
	Cmd    *Command `json:"command,omitempty"`
	// Changes set fields; a nil Value clears the field.
	// omitzero (not omitempty) on slices and maps: a nil list is left out
	// and an empty one is sent as [], so decoding gives back exactly what
	// was encoded.
	Changes []Field `json:"changes,omitzero"`
	// Pre are preconditions: each field must currently hold the given value
	// (nil: be empty) or the server refuses the op instead of guessing.
	Pre []Field `json:"pre,omitzero"`
}

// Entity names the object an op changes.
type Entity struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Command is a business transition with its arguments. Arguments are
// strings, amounts included ("1234.50"), so no float ever rounds money.
type Command struct {
	Name string            `json:"name"`
	Args map[string]string `json:"args,omitzero"`
}

// Field is a field name with a value; nil means empty/cleared. Values are
// strings for the same reason as command arguments.
type Field struct {
	Name  string  `json:"field"`
	Value *string `json:"value"`
}

// Validate checks an op on its own, e.g. before it enters the outbox.
func (o Op) Validate() error {
	if err := o.check(); err != nil {
		return fmt.Errorf("%w: op: %w", ErrInvalid, err)
	}
	return nil
}

func (o Op) check() error {
	return first(
		in("id", checkUUID("id", o.ID)),
		checkID("device", o.Device),
		checkID("user", o.User),
		in("hlc", o.Clock.check()),
		o.checkClockDevice(),
		in("entity", o.Entity.check()),
		o.checkKind(),
		in("command", o.checkCommand()),
		checkFields("changes", o.Changes, 0),
		checkFields("pre", o.Pre, 0),
	)
}

// checkClockDevice ties the clock to the op's device: a clock minted by
// another device would let one device win ties it did not earn.
func (o Op) checkClockDevice() error {
	if o.Clock.Device != o.Device {
		return fieldErr("hlc", "device %q is not the op's device", o.Clock.Device)
	}
	return nil
}

func (o Op) checkKind() error {
	switch {
	case o.Cmd == nil && len(o.Changes) == 0:
		return fieldErr("op", "needs a command or field changes")
	case o.Cmd != nil && len(o.Changes) > 0:
		return fieldErr("op", "has both a command and field changes")
	}
	return nil
}

func (o Op) checkCommand() error {
	if o.Cmd == nil {
		return nil
	}
	if err := checkName("name", o.Cmd.Name); err != nil {
		return err
	}
	if len(o.Cmd.Args) > MaxArgs {
		return tooLarge("args", len(o.Cmd.Args), MaxArgs)
	}
	valid := true
	for k, v := range o.Cmd.Args {
		if nameFault(k) != "" || textFault(v, MaxValue, false) != "" {
			valid = false
			break
		}
	}
	if valid {
		return nil
	}
	// Sorted so that the first error reported does not vary between runs.
	for _, k := range slices.Sorted(maps.Keys(o.Cmd.Args)) {
		if err := checkName("args key", k); err != nil {
			return err
		}
		if fault := textFault(o.Cmd.Args[k], MaxValue, false); fault != "" {
			return fieldErr("args["+k+"]", "%s", fault)
		}
	}
	return nil
}

func (e Entity) check() error {
	return first(checkName("type", e.Type), checkID("id", e.ID))
}

// checkFields validates a field list: names snake_case and unique (a
// duplicate would make the result depend on apply order), values bounded.
// The path of an entry ("changes[3]") is built only when it fails: this
// runs for every field of every op pushed, paged and stored.
func checkFields(path string, fs []Field, min int) error {
	if err := checkCount(path, len(fs), min, MaxFields); err != nil {
		return err
	}
	entry := func(i int) string { return path + "[" + strconv.Itoa(i) + "]" }
	for i, f := range fs {
		if fault := nameFault(f.Name); fault != "" {
			return fieldErr(entry(i)+".field", "%s", fault)
		}
		// At most MaxFields entries: a quadratic search for a repeat is
		// cheaper than building a map for every op.
		for _, g := range fs[:i] {
			if g.Name == f.Name {
				return fieldErr(entry(i), "field %q repeated", f.Name)
			}
		}
		if f.Value != nil {
			if fault := textFault(*f.Value, MaxValue, false); fault != "" {
				return fieldErr(entry(i)+".value", "%s", fault)
			}
		}
	}
	return nil
}
