package einvoice

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// decode unmarshals the whole document into v. Amounts are decimal.Decimal
// fields that encoding/xml fills through UnmarshalText, so a bad number
// stops decoding; the decoder's position then gives the line to report.
func decode(b []byte, v any) error {
	d, cs := newDecoder(b)
	if err := d.Decode(v); err != nil {
		if cs.err != nil {
			return unsupported("character encoding %q is not supported", cs.label)
		}
		line, _ := d.InputPos()
		if se, ok := errors.AsType[*xml.SyntaxError](err); ok {
			line = se.Line
		}
		return malformedAt(line, err)
	}
	return nil
}

// amount is a money element: the value exactly as written and its
// currencyID attribute (empty when the file leaves it out).
type amount struct {
	Value    decimal.Decimal `xml:",chardata"`
	Currency string          `xml:"currencyID,attr"`
}

// dec returns the value, or nil when the element is absent.
func (a *amount) dec() *decimal.Decimal {
	if a == nil {
		return nil
	}
	v := a.Value
	return &v
}

// quantity is a quantity element with its UN/ECE Rec 20 unit.
type quantity struct {
	Value decimal.Decimal `xml:",chardata"`
	Unit  string          `xml:"unitCode,attr"`
}

func (q *quantity) dec() *decimal.Decimal {
	if q == nil {
		return nil
	}
	v := q.Value
	return &v
}

func (q *quantity) unit() string {
	if q == nil {
		return ""
	}
	return q.Unit
}

// parseISODate reads an xsd:date as UBL writes it, "2006-01-02". A time
// zone suffix ("Z", "+01:00"), which xsd:date allows, is dropped: the
// invoice date is the calendar day as written, not an instant.
func parseISODate(field, s string) (invoice.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return invoice.Date{}, nil
	}
	day := s
	if len(s) > 10 {
		if tz := s[10:]; tz == "Z" || (len(tz) == 6 && (tz[0] == '+' || tz[0] == '-') && tz[3] == ':') {
			day = s[:10]
		}
	}
	d, err := invoice.ParseDate(day)
	if err != nil {
		return invoice.Date{}, invalidField(field, err)
	}
	return d, nil
}

// dateTimeString is the CII udt:DateTimeString with its format code.
type dateTimeString struct {
	Value  string `xml:",chardata"`
	Format string `xml:"format,attr"`
}

// parseCIIDate reads format 102 (YYYYMMDD), the only format EN 16931
// allows for dates. A missing format attribute is read as 102, which is
// what every producer means by it; any other code is refused rather than
// guessed (610 is a month, 616 a week: neither is a day).
func parseCIIDate(field string, dt *dateTimeString) (invoice.Date, error) {
	if dt == nil {
		return invoice.Date{}, nil
	}
	v := strings.TrimSpace(dt.Value)
	if f := strings.TrimSpace(dt.Format); f != "" && f != "102" {
		return invoice.Date{}, invalidField(field,
			fmt.Errorf("date format %q is not supported, EN 16931 requires 102 (YYYYMMDD)", f))
	}
	if v == "" {
		return invoice.Date{}, nil
	}
	t, err := time.Parse("20060102", v)
	if err != nil || len(v) != 8 {
		return invoice.Date{}, invalidField(field, fmt.Errorf("%w: %q, want YYYYMMDD (format 102)", invoice.ErrInvalidDate, clip(v)))
	}
	return invoice.DateOf(t), nil
}

// clip keeps error messages short whatever the input.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// joinText joins the non-empty texts with line breaks; it is how several
// payment terms or note contents become the one text the model holds.
func joinText(parts []string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n")
}
