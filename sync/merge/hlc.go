// Package merge holds the pure, deterministic rules by which the sync server
// and every replica apply operations to an invoice (docs/ARCHITECTURE.md §7):
// hybrid logical clocks, per-field last-writer-wins, business transitions
// validated in server order, and exception records for conflicts, so that
// nothing is overwritten silently. It does no I/O and reads no clock: the
// caller passes wall time in, so the same log gives the same state anywhere.
package merge

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"time"
)

// HLC is a hybrid logical clock (Kulkarni et al., "Logical Physical Clocks",
// 2014): wall time in milliseconds that never goes backwards, a counter for
// events within the same millisecond, and the device as a final tie-break so
// that Compare is a total order and no two devices' clocks are equal.
type HLC struct {
	Wall    int64  `json:"wall"` // milliseconds since the Unix epoch
	Logical uint32 `json:"logical"`
	Device  string `json:"device"`
}

// MaxSkew bounds how far a clock may run ahead of the receiver's wall time.
// Without it one device with a clock set a year ahead would win every
// last-writer-wins race, and (through Update) drag every other clock a year
// ahead too, so that nobody else could ever win again.
const MaxSkew = 5 * time.Minute

// ErrSkew: a clock is further ahead of local wall time than MaxSkew. The
// server refuses such operations and tells the device to fix its clock.
var ErrSkew = errors.New("merge: clock too far ahead")

// IsZero reports whether c is the zero clock (no event seen).
func (c HLC) IsZero() bool { return c == HLC{} }

// String is for messages and logs.
func (c HLC) String() string { return fmt.Sprintf("%d.%d@%s", c.Wall, c.Logical, c.Device) }

// Compare orders clocks by wall time, then logical counter, then device.
// It returns -1, 0 or +1.
func Compare(a, b HLC) int {
	if c := cmp.Compare(a.Wall, b.Wall); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Logical, b.Logical); c != 0 {
		return c
	}
	return cmp.Compare(a.Device, b.Device)
}

// Now returns the clock for a new local event, given local wall time (ms)
// and the device's last clock. The result is always greater than last, even
// if the wall clock stepped backwards.
func Now(wall int64, last HLC) HLC {
	if wall > last.Wall {
		return HLC{Wall: wall, Device: last.Device}
	}
	return tick(last.Wall, last.Logical, last.Device)
}

// Update returns the device's clock after receiving remote, so that every
// later local event orders after what was seen. It refuses (and returns last
// unchanged) a remote clock more than MaxSkew ahead of local wall time.
func Update(wall int64, last, remote HLC) (HLC, error) {
	if err := CheckSkew(wall, remote); err != nil {
		return last, err
	}
	m := max(wall, last.Wall, remote.Wall)
	switch {
	case m == last.Wall && m == remote.Wall:
		return tick(m, max(last.Logical, remote.Logical), last.Device), nil
	case m == last.Wall:
		return tick(m, last.Logical, last.Device), nil
	case m == remote.Wall:
		return tick(m, remote.Logical, last.Device), nil
	}
	return HLC{Wall: m, Device: last.Device}, nil
}

// CheckSkew reports ErrSkew when c is more than MaxSkew ahead of wall (ms).
// The server calls it on every pushed operation with its own wall time.
func CheckSkew(wall int64, c HLC) error {
	if c.Wall <= wall {
		return nil
	}
	// d < 0 only on int64 overflow, which can only mean an absurd clock.
	if d := c.Wall - wall; d < 0 || d > MaxSkew.Milliseconds() {
		ahead := "absurdly far"
		if d > 0 && d < math.MaxInt64/int64(time.Millisecond) {
			ahead = (time.Duration(d) * time.Millisecond).String()
		}
		return fmt.Errorf("%w: device %q is %s ahead of this clock (the limit is %s); set its clock correctly",
			ErrSkew, c.Device, ahead, MaxSkew)
	}
	return nil
}

// tick advances the logical counter. At its (practically unreachable) limit
// it borrows one millisecond instead of wrapping, which would break order.
func tick(wall int64, logical uint32, device string) HLC {
	if logical == math.MaxUint32 {
		return HLC{Wall: wall + 1, Device: device}
	}
	return HLC{Wall: wall, Logical: logical + 1, Device: device}
}
