package pagereader

import (
	"math"
	"regexp"
	"sort"
	"strings"
)

// colKind is what a table column holds.
type colKind int

const (
	colOther colKind = iota
	colPos
	colDesc
	colQty
	colPrice
	colAmount
	colUnit
	colRate
)

// column is a table column: its header text and x-range.
type column struct {
	kind   colKind
	x0, x1 float64
	text   string
}

// table is a line-item table: header columns and the lines of its body.
type table struct {
	cols []column
	body []int // line indexes
	size float64
}

var (
	reUnitStart  = regexp.MustCompile(`^(unit|einheit|unite|eenheid|me)\b`)
	reQty        = regexp.MustCompile(`menge|anzahl|\bqty\b|quantity|quantite|\bqte\b|aantal|stuckzahl|\bhours\b|stunden`)
	rePriceFirst = regexp.MustCompile(`einzelpreis|unit\s*price|prix\s*unitaire|\bp\.?\s*u\.|stuckpreis|preis\s*/\s*einh|price\s*/\s*unit|eenheidsprijs|prijs\s*per|nettopreis`)
	reAmount     = regexp.MustCompile(`gesamt|betrag|total|amount|montant|bedrag|summe|entgelt|^netto$|line\s*amount`)
	rePrice      = regexp.MustCompile(`preis|price|prix|prijs|tarif`)
	reRate       = regexp.MustCompile(`steuersatz|mwst|\bust\b|\bvat\b|\btva\b|\bbtw\b|taux|\btax\b|steuer|%`)
	reUnit       = regexp.MustCompile(`einheit|\bunit\b|unite|eenheid`)
	reDesc       = regexp.MustCompile(`beschreibung|bezeichnung|leistung|produkt|product|designation|libelle|omschrijving|description|artikel\b|article|\bitem\b|dienst|\btext\b`)
	rePos        = regexp.MustCompile(`^(pos\.?|position|nr\.?|no\.?|#|# ?ligne|ligne|line|lfd|zeile|regel)\b`)
)

// classify names a column by its (folded) header text.
func classify(h string) colKind {
	switch {
	case reUnitStart.MatchString(h) && !rePrice.MatchString(h):
		return colUnit
	case reQty.MatchString(h):
		return colQty
	case rePriceFirst.MatchString(h):
		return colPrice
	case reAmount.MatchString(h):
		return colAmount
	case rePrice.MatchString(h):
		return colPrice
	case reRate.MatchString(h):
		return colRate
	case reUnit.MatchString(h):
		return colUnit
	case reDesc.MatchString(h):
		return colDesc
	case len(h) <= 15 && rePos.MatchString(h):
		return colPos
	}
	return colOther
}

// findTables finds header bands (one to five close lines without amounts
// whose columns name at least three of position, description, quantity,
// price and amount, one of them the amount) and the body under each.
func (r *reader) findTables() []table {
	var out []table
	for li := 0; li < len(r.lay.Lines); li++ {
		band := r.headerBand(li)
		if band == nil {
			continue
		}
		cols := r.columns(band)
		if !tableLike(cols) {
			continue
		}
		last := band[len(band)-1]
		for _, b := range band {
			r.headerLines[b] = true
		}
		t := table{cols: cols, size: r.lay.Lines[li].Size}
		t.body = r.tableBody(last, t)
		out = append(out, t)
		li = last
		if len(t.body) > 0 {
			li = t.body[len(t.body)-1]
		}
	}
	return out
}

// headerBand is line li with its header-like neighbours, or nil.
func (r *reader) headerBand(li int) []int {
	ln := r.lay.Lines[li]
	if !r.headerLike(li) {
		return nil
	}
	var band []int
	for j := max(0, li-3); j < len(r.lay.Lines) && j <= li+3; j++ {
		o := r.lay.Lines[j]
		if o.Page == ln.Page && math.Abs(o.Y-ln.Y) <= 1.7*ln.Size && r.headerLike(j) {
			band = append(band, j)
		}
	}
	return band
}

func (r *reader) headerLike(li int) bool {
	ln := r.lay.Lines[li]
	return len(moneyIn(ln.Text, r.style)) == 0 && len(findDates(ln.Text)) == 0 && !strings.Contains(ln.Text, ": ")
}

// columns merges the segments of a band into columns by x-overlap.
func (r *reader) columns(band []int) []column {
	type piece struct {
		x0, x1, y float64
		text      string
	}
	var ps []piece
	for _, li := range band {
		for _, s := range r.lay.Lines[li].Segs {
			ps = append(ps, piece{s.X0, s.X1, r.lay.Lines[li].Y, s.Text})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].x0 < ps[j].x0 })
	var cols []column
	var texts [][]piece
	for _, p := range ps {
		n := len(cols)
		if n > 0 && overlapX(cols[n-1].x0, cols[n-1].x1, p.x0, p.x1) > 0 {
			cols[n-1].x1 = math.Max(cols[n-1].x1, p.x1)
			texts[n-1] = append(texts[n-1], p)
			continue
		}
		cols = append(cols, column{x0: p.x0, x1: p.x1})
		texts = append(texts, []piece{p})
	}
	for i := range cols {
		sort.SliceStable(texts[i], func(a, b int) bool { return texts[i][a].y < texts[i][b].y })
		var parts []string
		for _, p := range texts[i] {
			parts = append(parts, p.text)
		}
		cols[i].text = strings.Join(parts, " ")
		cols[i].kind = classify(fold(cols[i].text))
	}
	fixKinds(cols)
	return cols
}

// fixKinds resolves duplicates: of two amount columns without a quantity
// column the left one is the quantity ("Amount … Total"); only the first
// position and description columns count.
func fixKinds(cols []column) {
	var amounts []int
	seen := map[colKind]bool{}
	for i, c := range cols {
		if c.kind == colAmount {
			amounts = append(amounts, i)
		}
		if (c.kind == colPos || c.kind == colDesc || c.kind == colQty || c.kind == colPrice) && seen[c.kind] {
			cols[i].kind = colOther
		}
		seen[c.kind] = true
	}
	if len(amounts) >= 2 && !seen[colQty] {
		cols[amounts[0]].kind = colQty
	}
	for _, i := range amounts[:max(0, len(amounts)-1)] {
		if cols[i].kind == colAmount {
			cols[i].kind = colOther // the rightmost amount column is the line total
		}
	}
}

func tableLike(cols []column) bool {
	kinds := map[colKind]bool{}
	for _, c := range cols {
		kinds[c.kind] = true
	}
	n := 0
	for _, k := range []colKind{colPos, colDesc, colQty, colPrice, colAmount} {
		if kinds[k] {
			n++
		}
	}
	return n >= 3 && kinds[colAmount]
}

// totalsStart are the labels that end a table body.
var totalsStart = append(append(append(append(append([]label{}, lineNetLabels...), taxExclusiveLabels...),
	taxInclusiveLabels...), payableLabels...), taxLabels[0])

// tableBody is the lines under the header until a totals line, a heading
// in a larger font, a wide vertical gap or the end of the page.
func (r *reader) tableBody(last int, t table) []int {
	var body []int
	prevY := r.lay.Lines[last].Y
	page := r.lay.Lines[last].Page
	for j := last + 1; j < len(r.lay.Lines); j++ {
		ln := r.lay.Lines[j]
		if ln.Page != page || ln.Y-prevY > 8*t.size || ln.Size > 1.3*t.size || r.isTotalsLine(j) {
			break
		}
		body = append(body, j)
		prevY = ln.Y
	}
	return body
}

func (r *reader) isTotalsLine(li int) bool {
	f := r.folded(li, 0)
	for _, l := range totalsStart {
		if l.re.MatchString(f) && (l.not == nil || !l.not.MatchString(f)) {
			return true
		}
	}
	return false
}
