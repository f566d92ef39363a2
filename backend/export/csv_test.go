package export

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

func csvItems() []Item {
	cn := creditNote()
	cn.Totals.Payable = dec("-59.50") // a negative amount must stay a number
	odd := payableInvoice("=HYPERLINK(\"http://x\",\"y\")", "2024-03-09", "-10.00")
	odd.Seller.Name = "Comma, \"Quote\" & Co\r\nLtd"
	odd.Totals.Tax = nil // absent stays an empty cell
	return []Item{
		{ID: "id-1", Status: "approved", Invoice: fullInvoice(), Vendor: testVendor("Müller", ibanDE, "COBADEFFXXX")},
		{ID: "id-2", Status: "exported", Invoice: cn},
		{ID: "id-3", Status: "needs_review", Invoice: odd, Vendor: testVendor("Odd", ibanAT, "")},
	}
}

func TestCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, csvItems()); err != nil {
		t.Fatal(err)
	}
	golden(t, "export.csv.golden", buf.Bytes())
	rows := readCSV(t, buf.Bytes())
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	if got := strings.Join(rows[0], ","); got != strings.Join(csvHeader, ",") {
		t.Errorf("header %s", got)
	}
	// encoding/csv reads the CR LF inside the quoted cell as LF.
	if got := rows[3][col(t, "seller_name")]; got != "Comma, \"Quote\" & Co\nLtd" {
		t.Errorf("quoted cell read back as %q", got)
	}
	if got := rows[3][col(t, "tax")]; got != "" {
		t.Errorf("absent tax = %q, want empty", got)
	}
	if got := rows[1][col(t, "iban")]; got != ibanDE {
		t.Errorf("iban from the vendor master = %q", got)
	}
	if got := rows[2][col(t, "iban")]; got != "" {
		t.Errorf("no vendor: iban = %q, want empty (never the invoice's)", got)
	}
}

func TestCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(csvHeader, ",") + "\r\n"; buf.String() != want {
		t.Errorf("got %q, want the header only", buf.String())
	}
}

// Text cells that a spreadsheet would evaluate are quoted with a leading
// apostrophe; amounts, including negative ones, stay numbers.
func TestCSVInjection(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"formula", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"plus", "+1", "'+1"},
		{"minus text", "-1", "'-1"},
		{"at", "@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\n=1+1"}, // a lone CR is written as a line break
		{"plain", "ACME GmbH", "ACME GmbH"},
		{"inner equals", "A=B", "A=B"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := payableInvoice("1", "2024-01-01", "-10.00")
			inv.Seller.Name, inv.InvoiceNumber, inv.PurchaseOrder = c.in, c.in, c.in
			var buf bytes.Buffer
			if err := CSV(&buf, []Item{{ID: c.in, Status: c.in, Invoice: inv}}); err != nil {
				t.Fatal(err)
			}
			row := readCSV(t, buf.Bytes())[1]
			for _, name := range []string{"id", "status", "invoice_number", "seller_name", "purchase_order"} {
				if got := row[col(t, name)]; got != c.want {
					t.Errorf("%s = %q, want %q", name, got, c.want)
				}
			}
			if got := row[col(t, "payable")]; got != "-10.00" {
				t.Errorf("payable = %q, want the number -10.00", got)
			}
		})
	}
}

// The columns documented in doc.go are the header, in order.
func TestCSVColumnsDocumented(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	inTable := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(strings.TrimPrefix(line, "//"))
		switch {
		case len(f) > 0 && f[0] == "id":
			inTable = true
		case len(f) == 0 || !strings.HasPrefix(line, "//\t"):
			inTable = false
		}
		if inTable {
			documented = append(documented, f[0])
		}
	}
	if strings.Join(documented, ",") != strings.Join(csvHeader, ",") {
		t.Errorf("doc.go documents %v, the header is %v", documented, csvHeader)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("not valid CSV: %v", err)
	}
	return rows
}

func col(t *testing.T, name string) int {
	t.Helper()
	for i, h := range csvHeader {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}
