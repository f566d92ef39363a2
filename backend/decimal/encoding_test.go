package decimal

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

type amounts struct {
	Total    Decimal  `json:"total"`
	Optional *Decimal `json:"optional,omitempty"`
}

func TestMarshalJSONIsString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"529.87", `"529.87"`},
		{"100.00", `"100.00"`},
		{"-10.5", `"-10.5"`},
		{"0", `"0"`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(MustParse(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(%s) = %s, want %s", tt.in, b, tt.want)
		}
	}
	var zero Decimal
	if b, _ := json.Marshal(zero); string(b) != `"0"` {
		t.Errorf("zero value marshals as %s", b)
	}
}

func TestUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"string", `{"total":"100.00"}`, "100.00"},
		{"negative string", `{"total":"-10.5"}`, "-10.5"},
		{"escaped string", `{"total":"\u0031\u0032.50"}`, "12.50"},
		{"number token keeps scale", `{"total":100.00}`, "100.00"},
		{"number never via float", `{"total":0.1000000000000000055511151231257827}`, "0.1000000000000000055511151231257827"},
		{"null keeps old value", `{"total":null}`, "7.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := amounts{Total: MustParse("7.00")}
			if err := json.Unmarshal([]byte(tt.in), &v); err != nil {
				t.Fatal(err)
			}
			if got := v.Total.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty string", `{"total":""}`, ErrSyntax},
		{"decimal comma", `{"total":"1,50"}`, ErrSyntax},
		{"exponent number", `{"total":1e5}`, ErrSyntax},
		{"exponent string", `{"total":"1e5"}`, ErrSyntax},
		{"bool", `{"total":true}`, ErrSyntax},
		{"too many digits", `{"total":"` + strings.Repeat("1", 41) + `"}`, ErrTooLong},
		{"huge token", `{"total":"` + strings.Repeat("1", 100000) + `"}`, ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v amounts
			err := json.Unmarshal([]byte(tt.in), &v)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

// A pointer field is how the domain says "absent" as opposed to "0".
func TestOptionalPointer(t *testing.T) {
	var v amounts
	if err := json.Unmarshal([]byte(`{"total":"1","optional":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Optional != nil {
		t.Fatalf("null should leave the pointer nil, got %s", v.Optional)
	}
	zero := MustParse("0.00")
	v.Optional = &zero
	b, _ := json.Marshal(v)
	if string(b) != `{"total":"1","optional":"0.00"}` {
		t.Errorf("present zero marshals as %s", b)
	}
	v.Optional = nil
	b, _ = json.Marshal(v)
	if string(b) != `{"total":"1"}` {
		t.Errorf("absent marshals as %s", b)
	}
}

func TestText(t *testing.T) {
	type price struct {
		Amount   Decimal `xml:",chardata"`
		Currency string  `xml:"currencyID,attr"`
	}
	var p price
	in := `<PriceAmount currencyID="EUR">
		9.95
	</PriceAmount>`
	if err := xml.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Amount.String() != "9.95" {
		t.Errorf("xml chardata = %s", p.Amount)
	}
	if err := xml.Unmarshal([]byte(`<P>1,5</P>`), &p); !errors.Is(err, ErrSyntax) {
		t.Errorf("xml 1,5: error = %v", err)
	}
	b, err := MustParse("-1.50").MarshalText()
	if err != nil || string(b) != "-1.50" {
		t.Errorf("MarshalText = %s %v", b, err)
	}
}
