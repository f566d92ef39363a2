package invoice

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		err  bool
	}{
		{in: "2015-01-09", want: Date{2015, time.January, 9}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "2023-02-29", err: true},
		{in: "2023-13-01", err: true},
		{in: "20150109", err: true}, // CII format 102 is the parser's job
		{in: "09.01.2015", err: true},
		{in: "2015-1-9", err: true},
		{in: "2015-01-09T00:00:00Z", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.err {
				if !errors.Is(err, ErrInvalidDate) {
					t.Fatalf("error = %v, want ErrInvalidDate", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q", got.String())
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Omitted Date `json:"omitted,omitzero"`
		Null    Date `json:"null"`
		Set     Date `json:"set"`
	}
	in := doc{Set: MustParseDate("2015-01-09")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"null":null,"set":"2015-01-09"}` {
		t.Fatalf("marshal = %s", b)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Fatalf("unmarshal = %+v, %v", out, err)
	}
	for _, bad := range []string{`{"set":"2015-02-30"}`, `{"set":20150109}`, `{"set":"x"}`} {
		if err := json.Unmarshal([]byte(bad), &out); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("%s: error = %v, want ErrInvalidDate", bad, err)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	issue := MustParseDate("2024-02-20")
	due := issue.AddDays(14)
	if due.String() != "2024-03-05" {
		t.Errorf("AddDays(14) = %s", due)
	}
	if !issue.Before(due) || !due.After(issue) || issue.Compare(issue) != 0 {
		t.Errorf("ordering wrong for %s and %s", issue, due)
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Errorf("zero date not empty")
	}
	local := time.Date(2024, 12, 31, 23, 30, 0, 0, time.FixedZone("X", -5*3600))
	if DateOf(local).String() != "2024-12-31" {
		t.Errorf("DateOf must use the time's own zone, got %s", DateOf(local))
	}
}
