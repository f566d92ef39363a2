package pdfobj

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func parseOne(s string) (Object, error) {
	p := &parser{b: []byte(s)}
	return p.object(0)
}

func TestParseObjects(t *testing.T) {
	tests := []struct {
		in   string
		want Object
	}{
		{"/Name", Name("Name")},
		{"/J#61vaScript", Name("JavaScript")},
		{"/A#2", Name("A#2")},   // not an escape
		{"/A#zz", Name("A#zz")}, // not an escape
		{"/paired#28#29", Name("paired()")},
		{"(a (nested) string)", String("a (nested) string")},
		{`(esc \( \) \\ \n \101\60x)`, String("esc ( ) \\ \n A0x")},
		{"(line\\\ncont)", String("linecont")},
		{"(unterminated", String("unterminated")},
		{"<48 65 6C6C 6F>", String("Hello")},
		{"<7>", String("p")},
		{"12", Int(12)},
		{"-3.5", Real(-3.5)},
		{".5", Real(0.5)},
		{"1.2.3", Real(0)},
		{"true", Bool(true)},
		{"null", Null{}},
		{"12 0 R", Ref{12, 0}},
		{"12 0 obj", Int(12)},
		{"[1 2 0 R /N]", Array{Int(1), Ref{2, 0}, Name("N")}},
		{"<< /A 1 /B << /C [ ] >> >>", Dict{"A": Int(1), "B": Dict{"C": Array(nil)}}},
		{"<< /A ) /B 2 >>", Dict{"A": Null{}, "B": Int(2)}},
		{"<< 5 /B 2 >>", Dict{"B": Int(2)}},
		{"<< /A 1 /B", Dict{"A": Int(1), "B": Null{}}},
		{"<< /A 1 endobj", Dict{"A": Int(1)}},
		{"% comment\n/X", Name("X")},
	}
	for _, tc := range tests {
		got, _ := parseOne(tc.in)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parse %q = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestParseDepthLimit(t *testing.T) {
	_, err := parseOne(strings.Repeat("[", 10000))
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("err = %v, want ErrTooDeep", err)
	}
	_, err = parseOne(strings.Repeat("<<", 10000))
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("err = %v, want ErrTooDeep", err)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		in   String
		want string
	}{
		{String("factur-x.xml"), "factur-x.xml"},
		{String("\xFE\xFF\x00f\x00\xFC"), "fü"},
		{String("\xEF\xBB\xBFfü"), "fü"},
		{String("caf\xE9"), "café"},
	}
	for _, tc := range tests {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEachName(t *testing.T) {
	var got []Name
	EachName([]byte("<< /A (/NotAName) /B <2F43> /J#53 [/D] % /E\n>> /F"), func(n Name) { got = append(got, n) })
	want := []Name{"A", "B", "JS", "D", "F"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("names %v, want %v", got, want)
	}
}
