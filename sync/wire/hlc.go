package wire

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// maxWall is 9999-12-31T23:59:59.999Z in Unix milliseconds. A reading past it
// is a broken clock, not a skewed one; the skew bound itself is server
// policy (§7 Clocks) and needs the receive time, so it is not checked here.
const maxWall = 253402300799999

// HLC is a hybrid logical clock reading: wall time in Unix milliseconds, a
// logical counter that orders events within one millisecond, and the device
// that produced it, which breaks the remaining ties so that every two
// readings are ordered (last-writer-wins needs a total order).
type HLC struct {
	Wall    int64
	Counter uint16
	Device  string
}

// Compare orders clocks by wall time, then counter, then device id. It
// returns -1, 0 or +1.
func (h HLC) Compare(o HLC) int {
	if c := cmp.Compare(h.Wall, o.Wall); c != 0 {
		return c
	}
	if c := cmp.Compare(h.Counter, o.Counter); c != 0 {
		return c
	}
	return strings.Compare(h.Device, o.Device)
}

// IsZero reports whether h is the zero reading (no clock).
func (h HLC) IsZero() bool { return h == HLC{} }

// String is the text form "<ms>-<counter>-<device>", e.g.
// "1767225600000-3-laptop-7". The device may itself contain '-', so it is
// always the last part.
func (h HLC) String() string {
	return strconv.FormatInt(h.Wall, 10) + "-" + strconv.FormatUint(uint64(h.Counter), 10) + "-" + h.Device
}

// ParseHLC parses the text form. Only the canonical spelling is accepted (no
// signs, no leading zeros), so one clock has exactly one text and encoding
// stays deterministic.
func ParseHLC(s string) (HLC, error) {
	parts := strings.SplitN(s, "-", 3)
	if len(parts) != 3 {
		return HLC{}, fmt.Errorf("%w: clock %q: want <ms>-<counter>-<device>", ErrInvalid, s)
	}
	wall, err1 := parseCanonical(parts[0], 63)
	counter, err2 := parseCanonical(parts[1], 16)
	if err := first(err1, err2); err != nil {
		return HLC{}, fmt.Errorf("%w: clock %q: %v", ErrInvalid, s, err)
	}
	// parseCanonical bounded wall to 63 bits and counter to 16.
	h := HLC{Wall: int64(wall), Counter: uint16(counter), Device: parts[2]} // #nosec G115 -- bit sizes checked by ParseUint
	if err := h.check(); err != nil {
		return HLC{}, fmt.Errorf("%w: clock %q: %v", ErrInvalid, s, err)
	}
	return h, nil
}

// parseCanonical parses an unsigned decimal of at most bits bits, refusing
// "+1", "01" and the empty string that strconv would accept or misreport.
func parseCanonical(s string, bits int) (uint64, error) {
	if s == "" || len(s) > 1 && s[0] == '0' || s[0] < '0' || s[0] > '9' {
		return 0, fmt.Errorf("%q is not a canonical number", s)
	}
	return strconv.ParseUint(s, 10, bits)
}

// check is the sanity test applied wherever a clock is decoded or encoded.
func (h HLC) check() error {
	if h.Wall <= 0 || h.Wall > maxWall {
		return fieldErr("wall", "%d ms is outside 1..%d", h.Wall, int64(maxWall))
	}
	return in("device", checkID("device", h.Device))
}

// MarshalText encodes the text form; JSON carries clocks as strings so that
// no reader can turn the 64-bit wall time into a float. It does not
// validate: Encode has already done so, and tests need to write bad clocks.
func (h HLC) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses the text form.
func (h *HLC) UnmarshalText(b []byte) error {
	v, err := ParseHLC(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}
