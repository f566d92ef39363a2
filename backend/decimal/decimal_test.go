package decimal

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		scale int32
	}{
		{"529.87", "529.87", 2},
		{"100.00", "100.00", 2},
		{"-10.5", "-10.5", 1},
		{"0", "0", 0},
		{"0.000", "0.000", 3},
		{"-0.00", "0.00", 2},
		{"+7", "7", 0},
		{"64.", "64", 0}, // as written in CEN huf_example_cii.xml
		{".5", "0.5", 1},
		{"-.5", "-0.5", 1},
		{"007.10", "7.10", 2},
		{"  12.30\n", "12.30", 2},
		{"\t-1\r\n", "-1", 0},
		{strings.Repeat("9", MaxDigits), strings.Repeat("9", MaxDigits), 0},
		{"0." + strings.Repeat("1", MaxDigits-1), "0." + strings.Repeat("1", MaxDigits-1), MaxDigits - 1},
		{"123456789012345678.123456789", "123456789012345678.123456789", 9},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := d.Scale(); got != tt.scale {
				t.Errorf("Scale() = %d, want %d", got, tt.scale)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		want    error
		message string // part of the error text the user sees
	}{
		{"", ErrSyntax, "empty"},
		{"   ", ErrSyntax, "empty"},
		{"1,2", ErrSyntax, "decimal separator"},
		{"1.234,56", ErrSyntax, "decimal separator"},
		{"abc", ErrSyntax, "unexpected character"},
		{"1e5", ErrSyntax, "exponents"},
		{"1E-2", ErrSyntax, "exponents"},
		{"1e999999999", ErrSyntax, "exponents"},
		{"NaN", ErrSyntax, "unexpected character"},
		{"Inf", ErrSyntax, "unexpected character"},
		{"-", ErrSyntax, "no digits"},
		{"+", ErrSyntax, "no digits"},
		{".", ErrSyntax, "no digits"},
		{"-.", ErrSyntax, "no digits"},
		{"1.2.3", ErrSyntax, "more than one dot"},
		{"--1", ErrSyntax, "unexpected character"},
		{"+-1", ErrSyntax, "unexpected character"},
		{"1 000", ErrSyntax, "unexpected character"},
		{"0x10", ErrSyntax, "unexpected character"},
		{"€12", ErrSyntax, `'€'`},
		{"١٢", ErrSyntax, "unexpected character"}, // Arabic-Indic digits
		{"12-", ErrSyntax, "unexpected character"},
		{strings.Repeat("9", MaxDigits+1), ErrTooLong, "41 digits"},
		{"1." + strings.Repeat("0", MaxDigits), ErrTooLong, "digits"},
		{strings.Repeat("1", 1<<20), ErrTooLong, "bytes"},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 50 {
			name = name[:50]
		}
		t.Run(name, func(t *testing.T) {
			_, err := Parse(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%.60q) error = %v, want %v", tt.in, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q does not mention %q", err, tt.message)
			}
		})
	}
}

func TestZeroValue(t *testing.T) {
	var z Decimal
	if z.String() != "0" || !z.IsZero() || z.Scale() != 0 || z.Sign() != 0 {
		t.Fatalf("zero value = %q scale %d", z.String(), z.Scale())
	}
	if got := z.Add(MustParse("1.50")).String(); got != "1.50" {
		t.Errorf("0 + 1.50 = %s", got)
	}
	if !z.Equal(MustParse("0.00")) {
		t.Errorf("zero value should equal 0.00")
	}
}

func TestArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  Decimal
		want string
	}{
		{"add keeps larger scale", MustParse("1.5").Add(MustParse("2.25")), "3.75"},
		{"add trailing zeros", MustParse("100.00").Add(MustParse("0")), "100.00"},
		{"sub to negative", MustParse("10.00").Sub(MustParse("10.01")), "-0.01"},
		{"float trap is exact", MustParse("0.1").Add(MustParse("0.2")), "0.3"},
		{"mul adds scales", MustParse("2").Mul(MustParse("9.95")), "19.90"},
		{"mul quantity x price", MustParse("56.81").Mul(MustParse("371.34")), "21095.8254"},
		{"mul negative", MustParse("-6").Mul(MustParse("18.33")), "-109.98"},
		{"neg", MustParse("10.50").Neg(), "-10.50"},
		{"neg zero", MustParse("0.00").Neg(), "0.00"},
		{"abs", MustParse("-3.10").Abs(), "3.10"},
		{"new", New(1999, 2), "19.99"},
		{"new negative scale", New(5, -3), "5"},
		{"new from int", NewFromInt(-42), "-42"},
		{"huge stays exact", MustParse(strings.Repeat("9", 40)).Add(MustParse("1")), "1" + strings.Repeat("0", 40)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.got.String(); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		in     string
		places int32
		want   string
	}{
		{"2.345", 2, "2.35"},   // half away from zero, not banker's (2.34)
		{"2.355", 2, "2.36"},   // banker's would also give 2.36
		{"2.5", 0, "3"},        // banker's would give 2
		{"-2.5", 0, "-3"},      // away from zero on the negative side
		{"-2.345", 2, "-2.35"}, //
		{"2.344", 2, "2.34"},
		{"10.5", 2, "10.50"}, // rounding up in scale pads with zeros
		{"21095.8254", 2, "21095.83"},
		{"0.005", 2, "0.01"},
		{"-0.004", 2, "0.00"},
		{"545", -1, "550"},
		{"1234.5", -2, "1200"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := MustParse(tt.in).Round(tt.places)
			if got.String() != tt.want {
				t.Errorf("Round(%s, %d) = %s, want %s", tt.in, tt.places, got, tt.want)
			}
			if tt.places >= 0 && got.Scale() != tt.places {
				t.Errorf("scale = %d, want %d", got.Scale(), tt.places)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b  string
		cmp   int
		equal bool
	}{
		{"1.0", "1.00", 0, true},
		{"0", "-0.000", 0, true},
		{"1.01", "1.1", -1, false},
		{"-5", "-4.99", -1, false},
		{"100", "99.999", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.a+" vs "+tt.b, func(t *testing.T) {
			a, b := MustParse(tt.a), MustParse(tt.b)
			if got := a.Cmp(b); got != tt.cmp {
				t.Errorf("Cmp = %d, want %d", got, tt.cmp)
			}
			if got := b.Cmp(a); got != -tt.cmp {
				t.Errorf("reverse Cmp = %d, want %d", got, -tt.cmp)
			}
			if got := a.Equal(b); got != tt.equal {
				t.Errorf("Equal = %v, want %v", got, tt.equal)
			}
		})
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustParse(\"x\") did not panic")
		}
	}()
	MustParse("x")
}

// FuzzParse checks that whatever Parse accepts prints back to a canonical
// form that parses to the same value and scale, and that it never panics.
// The seeds run in plain `go test`.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"529.87", "100.00", "-10.5", "0", "-0.00", "64.", ".5", "+1", "1e5",
		"1,2", "", "abc", " 3.30 ", "1.2.3", strings.Repeat("9", MaxDigits+1),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrTooLong) {
				t.Fatalf("Parse(%q) error %v is neither ErrSyntax nor ErrTooLong", s, err)
			}
			return
		}
		out := d.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(String()) of %q = %q: %v", s, out, err)
		}
		if !again.Equal(d) || again.Scale() != d.Scale() || again.String() != out {
			t.Fatalf("round trip %q -> %q -> %q", s, out, again.String())
		}
		b, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var j Decimal
		if err := j.UnmarshalJSON(b); err != nil || j.String() != out {
			t.Fatalf("JSON round trip %s -> %q (%v)", b, j.String(), err)
		}
	})
}
