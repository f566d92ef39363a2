package csvimport

import (
	"errors"
	"strings"
	"testing"
)

func TestVendorsExcelStyle(t *testing.T) {
	in := "\ufeffName;VAT ID;IBAN;BIC\nACME GmbH;DE123456789;DE89 3704 0044 0532 0130 00;COBADEFFXXX\n;;;\n\"Müller; Söhne KG\";;;\n"
	rows, err := Vendors(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows: %+v", rows)
	}
	if rows[0].Input.Name != "ACME GmbH" || rows[0].Input.VATID != "DE123456789" || rows[0].Input.Bank.BIC != "COBADEFFXXX" || rows[0].Line != 2 {
		t.Errorf("row 1: %+v", rows[0])
	}
	if rows[1].Input.Name != "Müller; Söhne KG" || rows[1].Line != 4 {
		t.Errorf("quoted delimiter: %+v", rows[1])
	}
}

func TestMissingColumn(t *testing.T) {
	_, err := Vendors(strings.NewReader("company,vat\nA,B\n"))
	if !errors.Is(err, ErrHeader) || !strings.Contains(err.Error(), `"name"`) {
		t.Fatalf("err = %v", err)
	}
	_, err = POs(strings.NewReader("po_number,quantity\n1,2\n"))
	if !errors.Is(err, ErrHeader) {
		t.Fatalf("err = %v", err)
	}
}

func TestPOsGroupedByNumber(t *testing.T) {
	in := `po_number,vendor_id,currency,order_date,line_no,item_code,description,quantity,unit,unit_price,tax_rate
PO-1,v1,EUR,2026-11-01,1,A-1,Bolts,100,C62,0.25,19
PO-2,v2,EUR,2026-11-02,1,,Service,1,,500.00,
PO-1,v1,EUR,2026-11-01,2,B-2,Nuts,100,C62,0.10,19
PO-3,v2,EUR,01.11.2026,1,,Thing,x,,1,
`
	recs, err := POs(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("records: %d", len(recs))
	}
	po1 := recs[0]
	if po1.Err != nil || po1.PO.Number != "PO-1" || len(po1.PO.Lines) != 2 || po1.PO.Lines[1].UnitPrice.String() != "0.10" ||
		po1.PO.OrderDate.String() != "2026-11-01" || len(po1.Lines) != 2 || po1.Lines[1] != 4 {
		t.Errorf("PO-1: %+v", po1)
	}
	if recs[1].Err != nil || recs[1].PO.Lines[0].TaxRate.String() != "0" {
		t.Errorf("PO-2: %+v", recs[1])
	}
	if recs[2].Err == nil || !strings.Contains(recs[2].Err.Error(), "order_date") {
		t.Errorf("PO-3 should fail on its date: %v", recs[2].Err)
	}
}

func TestBadAmountReported(t *testing.T) {
	recs, err := POs(strings.NewReader("po_number,line_no,description,quantity,unit_price\nP,1,x,1,\"1,5\"\nP,two,y,1,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].Err == nil || !strings.Contains(recs[0].Err.Error(), "line 2: unit_price") {
		t.Fatalf("err = %v", recs[0].Err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("name,vat_id\nA,DE1\n")
	f.Add("po_number;line_no;description;quantity;unit_price\nP;1;x;1;2\n")
	f.Add("\ufeff\"unterminated\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Vendors(strings.NewReader(s))
		_, _ = POs(strings.NewReader(s))
	})
}
