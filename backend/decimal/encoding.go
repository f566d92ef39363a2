package decimal

import (
	"encoding/json"
	"fmt"
)

// maxJSONLen bounds the raw JSON token before it is decoded. A string may
// spell each digit as a six-byte \u escape, hence the factor.
const maxJSONLen = 6*maxInputLen + 2

// MarshalJSON writes a JSON string ("529.87"), never a number: JavaScript
// and many JSON tools read numbers as float64 and would lose digits or the
// trailing zeros of the scale.
func (d Decimal) MarshalJSON() ([]byte, error) {
	s := d.String()
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a JSON string holding a decimal. Leniently it also
// accepts a bare JSON number, read as text and never through float64, so
// 0.1 stays exactly 0.1. JSON null leaves d unchanged, as encoding/json does
// for its own types; use *Decimal where null must mean "absent".
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if len(b) > maxJSONLen {
		return fmt.Errorf("%w: JSON value of %d bytes", ErrTooLong, len(b))
	}
	if string(b) == "null" {
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("%w: %v", ErrSyntax, err)
		}
	}
	v, err := Parse(text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText makes Decimal usable as a map key and in encoding/xml
// attributes and character data.
func (d Decimal) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses with Parse; it lets XML decoders fill a Decimal
// straight from character data.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
