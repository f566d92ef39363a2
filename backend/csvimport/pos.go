package csvimport

import (
	"fmt"
	"io"
	"strconv"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// PORecord is one purchase order gathered from its line rows.
type PORecord struct {
	Lines []int // file lines it came from
	PO    purchasing.PurchaseOrder
	Err   error // the first problem found in its rows
}

// POs reads a purchase-order list with one row per PO line. Columns:
// po_number, line_no, description, quantity, unit_price (required);
// vendor_id, currency, cost_centre, order_date (YYYY-MM-DD), item_code,
// unit, tax_rate. Header values are taken from the PO's first row.
func POs(r io.Reader) ([]PORecord, error) {
	t, err := readTable(r, []string{"po_number", "line_no", "description", "quantity", "unit_price"})
	if err != nil {
		return nil, err
	}
	var out []PORecord
	index := map[string]int{}
	for i, row := range t.rows {
		if blank(row) {
			continue
		}
		num := t.get(row, "po_number")
		k, ok := index[num]
		if !ok {
			k = len(out)
			index[num] = k
			out = append(out, PORecord{PO: poHeader(t, row)})
			if d := t.get(row, "order_date"); d != "" {
				if out[k].PO.OrderDate, err = invoice.ParseDate(d); err != nil {
					out[k].Err = fmt.Errorf("line %d: order_date %q: use YYYY-MM-DD", t.line[i], d)
				}
			}
		}
		rec := &out[k]
		rec.Lines = append(rec.Lines, t.line[i])
		line, err := poLine(t, row)
		if err != nil && rec.Err == nil {
			rec.Err = fmt.Errorf("line %d: %w", t.line[i], err)
		}
		rec.PO.Lines = append(rec.PO.Lines, line)
	}
	return out, nil
}

func poHeader(t *table, row []string) purchasing.PurchaseOrder {
	return purchasing.PurchaseOrder{Number: t.get(row, "po_number"), VendorID: t.get(row, "vendor_id"),
		Currency: t.get(row, "currency"), CostCentre: t.get(row, "cost_centre")}
}

func poLine(t *table, row []string) (purchasing.POLine, error) {
	l := purchasing.POLine{ItemCode: t.get(row, "item_code"), Description: t.get(row, "description"), Unit: t.get(row, "unit")}
	var err error
	if l.LineNo, err = strconv.Atoi(t.get(row, "line_no")); err != nil {
		return l, fmt.Errorf("line_no %q is not a number", t.get(row, "line_no"))
	}
	for _, f := range []struct {
		col string
		dst *decimal.Decimal
		opt bool
	}{{"quantity", &l.Quantity, false}, {"unit_price", &l.UnitPrice, false}, {"tax_rate", &l.TaxRate, true}} {
		v := t.get(row, f.col)
		if v == "" && f.opt {
			continue
		}
		if *f.dst, err = decimal.Parse(v); err != nil {
			return l, fmt.Errorf("%s %q is not an amount (use 1234.56)", f.col, v)
		}
	}
	return l, nil
}
