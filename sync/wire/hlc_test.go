package wire

import (
	"errors"
	"testing"
)

func TestHLCCompare(t *testing.T) {
	a := HLC{Wall: 100, Counter: 5, Device: "b"}
	for _, tc := range []struct {
		name string
		o    HLC
		want int
	}{
		{"equal", a, 0},
		{"later wall wins over counter", HLC{Wall: 101, Device: "a"}, -1},
		{"earlier wall", HLC{Wall: 99, Counter: 9, Device: "z"}, 1},
		{"higher counter", HLC{Wall: 100, Counter: 6, Device: "a"}, -1},
		{"lower counter", HLC{Wall: 100, Counter: 4, Device: "z"}, 1},
		{"device breaks tie", HLC{Wall: 100, Counter: 5, Device: "c"}, -1},
		{"device breaks tie other way", HLC{Wall: 100, Counter: 5, Device: "a"}, 1},
	} {
		if got := a.Compare(tc.o); got != tc.want {
			t.Errorf("%s: Compare = %d, want %d", tc.name, got, tc.want)
		}
		if got := tc.o.Compare(a); got != -tc.want {
			t.Errorf("%s: reverse Compare = %d, want %d", tc.name, got, -tc.want)
		}
	}
}

func TestHLCParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want HLC
		ok   bool
	}{
		{"1767225600000-0-laptop-7", HLC{Wall: 1767225600000, Device: "laptop-7"}, true},
		{"1-65535-0190f3a2-7c1e-7b2a-9f00-000000000001", HLC{Wall: 1, Counter: 65535, Device: "0190f3a2-7c1e-7b2a-9f00-000000000001"}, true},
		{"253402300799999-0-d", HLC{Wall: maxWall, Device: "d"}, true},
		{"253402300800000-0-d", HLC{}, false},
		{"0-0-d", HLC{}, false},
		{"1-65536-d", HLC{}, false},
		{"01-0-d", HLC{}, false},
		{"1-00-d", HLC{}, false},
		{"+1-0-d", HLC{}, false},
		{"-1-0-d", HLC{}, false},
		{"1-0-", HLC{}, false},
		{"1-0-d d", HLC{}, false},
		{"1-0", HLC{}, false},
		{"", HLC{}, false},
		{"99999999999999999999-0-d", HLC{}, false},
	} {
		got, err := ParseHLC(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("ParseHLC(%q) = %+v, %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseHLC(%q) error %v does not wrap ErrInvalid", tc.in, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

func TestCursorText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Cursor
		ok   bool
	}{
		{"idx-2026a:41", Cursor{Index: "idx-2026a", Seq: 41}, true},
		{"i:0", Cursor{Index: "i"}, true},
		{"i:18446744073709551615", Cursor{Index: "i", Seq: 1<<64 - 1}, true},
		{"i:18446744073709551616", Cursor{}, false},
		{":5", Cursor{}, false},
		{"i:", Cursor{}, false},
		{"i:-1", Cursor{}, false},
		{"i:05", Cursor{}, false},
		{"i", Cursor{}, false},
		{"a:b:1", Cursor{}, false},
	} {
		got, err := ParseCursor(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("ParseCursor(%q) = %+v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
	if a, b := (Cursor{Index: "x", Seq: 1}), (Cursor{Index: "y", Seq: 1}); a.SameIndex(b) || !a.SameIndex(a) {
		t.Error("SameIndex must compare index ids")
	}
}
