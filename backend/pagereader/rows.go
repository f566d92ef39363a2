package pagereader

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// tableRow is one line item as read from a table.
type tableRow struct {
	pos    string
	desc   []string
	qty    *decimal.Decimal
	unit   string
	price  *decimal.Decimal
	amount *decimal.Decimal
	rate   *decimal.Decimal
	filled map[colKind]bool
}

// readTable turns the rows of every line-item table into invoice lines.
func (r *reader) readTable() {
	r.tables = r.findTables()
	for _, t := range r.tables {
		r.rows = append(r.rows, r.tableRows(t)...)
	}
	for i, row := range r.rows {
		l := invoice.Line{ID: row.pos, Quantity: row.qty, Unit: row.unit, UnitPrice: row.price, NetAmount: row.amount, TaxRate: row.rate}
		if l.ID == "" {
			l.ID = fmt.Sprint(i + 1)
		}
		if len(row.desc) > 0 {
			l.Name = row.desc[0]
		}
		r.inv.Lines = append(r.inv.Lines, l)
	}
}

// tableRows groups body lines into rows: a line that brings a position,
// quantity, price or amount the current row already has starts a new row;
// description lines join the row they follow.
func (r *reader) tableRows(t table) []tableRow {
	var rows []tableRow
	cur := tableRow{filled: map[colKind]bool{}}
	for _, li := range t.body {
		cells := r.cells(li, t.cols)
		nums := r.numericCells(cells)
		for k := range nums {
			if cur.filled[k] {
				rows = append(rows, cur)
				cur = tableRow{filled: map[colKind]bool{}}
				break
			}
		}
		r.fillRow(&cur, cells, nums)
	}
	rows = append(rows, cur)
	return keepItems(rows)
}

// keepItems drops rows without an amount and, where most rows carry a
// position number, the rows without one (allowances, notes).
func keepItems(rows []tableRow) []tableRow {
	var withAmount []tableRow
	withPos := 0
	for _, row := range rows {
		if row.amount != nil {
			withAmount = append(withAmount, row)
			if row.pos != "" {
				withPos++
			}
		}
	}
	if withPos*2 < len(withAmount) || withPos == len(withAmount) {
		return withAmount
	}
	var out []tableRow
	for _, row := range withAmount {
		if row.pos != "" {
			out = append(out, row)
		}
	}
	return out
}

// cells assigns the words of a line to columns (largest overlap, else the
// nearest column within 30 pt) and joins them per column.
func (r *reader) cells(li int, cols []column) map[colKind]string {
	type placed struct {
		x, x1, size float64
		text        string
	}
	per := map[colKind][]placed{}
	for _, seg := range r.lay.Lines[li].Segs {
		for _, w := range seg.Words {
			k, ok := nearestColumn(w.X, w.right(), cols)
			if ok {
				per[k] = append(per[k], placed{w.X, w.right(), w.size(), strings.TrimSpace(w.Text)})
			}
		}
	}
	out := map[colKind]string{}
	for k, ps := range per {
		sort.Slice(ps, func(i, j int) bool { return ps[i].x < ps[j].x })
		var b strings.Builder
		for i, p := range ps {
			if i > 0 {
				// a wide gap must not glue "19" and "573.00" into 19 573.00
				b.WriteString(map[bool]string{true: "  ", false: " "}[p.x-ps[i-1].x1 > 0.6*p.size])
			}
			b.WriteString(p.text)
		}
		out[k] = b.String()
	}
	return out
}

func nearestColumn(x0, x1 float64, cols []column) (colKind, bool) {
	bestK, bestOv, bestDist := colOther, 0.0, math.Inf(1)
	for _, c := range cols {
		if ov := overlapX(c.x0, c.x1, x0, x1); ov > bestOv {
			bestK, bestOv = c.kind, ov
		} else if bestOv == 0 {
			if d := -ov; d < bestDist && d < 30 {
				bestK, bestDist = c.kind, d
			}
		}
	}
	return bestK, bestOv > 0 || bestDist < 30
}

// numericCells are the position, quantity, price and amount cells of a
// line that hold a number.
func (r *reader) numericCells(cells map[colKind]string) map[colKind]bool {
	out := map[colKind]bool{}
	for _, k := range []colKind{colPos, colQty, colPrice, colAmount} {
		s := cells[k]
		if s == "" {
			continue
		}
		if k == colPos {
			if v, ok := parseInvoiceNumber(s); ok || len(strings.Fields(s)) == 1 && len(v) <= 6 {
				out[k] = true
			}
			continue
		}
		if len(moneyIn(s, r.style)) > 0 {
			out[k] = true
		}
	}
	return out
}

func (r *reader) fillRow(row *tableRow, cells map[colKind]string, nums map[colKind]bool) {
	if d := cells[colDesc]; d != "" {
		row.desc = append(row.desc, d)
	}
	if nums[colPos] {
		row.pos = strings.Fields(cells[colPos])[0]
	}
	if nums[colQty] {
		a := moneyIn(cells[colQty], r.style)[0]
		row.qty = &a.Value
		if u := strings.TrimSpace(cells[colQty][a.End:]); u != "" && len(u) <= 6 {
			row.unit = u
		}
	}
	if u := strings.TrimSpace(cells[colUnit]); u != "" && row.unit == "" && len(u) <= 8 {
		row.unit = strings.TrimRight(u, ".")
	}
	if nums[colPrice] {
		v := moneyIn(cells[colPrice], r.style)[0].Value
		row.price = &v
	}
	if nums[colAmount] {
		ms := moneyIn(cells[colAmount], r.style)
		v := ms[len(ms)-1].Value
		row.amount = &v
	}
	if s := cells[colRate]; s != "" && row.rate == nil {
		if as := scanAmounts(s, r.style); len(as) > 0 {
			v := as[0].Value
			row.rate = &v
		}
	}
	for k, ok := range nums {
		if ok {
			row.filled[k] = true
		}
	}
}
