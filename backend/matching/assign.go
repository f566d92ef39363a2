package matching

import (
	"cmp"
	"slices"
)

// assignment pairs invoice lines (by index) with PO slots.
type assignment struct {
	slot []int    // slot index per invoice line, -1 when unmatched
	how  []string // evidence per invoice line
	used []bool   // per slot
}

// pair is a possible pairing with its ranking.
type pair struct {
	line, slot int
	score      int // evidence strength, higher first
	fit        int // price and quantity agreement (fits), the tie-break
}

// evidence scores a pairing for one pass; ok false means no evidence.
type evidence func(il invLine, s poSlot) (score int, ok bool)

// assign runs the passes described in the package comment.
func assign(lines []invLine, slots []poSlot, tol Tolerance) assignment {
	a := assignment{slot: make([]int, len(lines)), how: make([]string, len(lines)), used: make([]bool, len(slots))}
	for i := range a.slot {
		a.slot[i] = -1
	}
	a.greedy(lines, slots, HowItemCode, byItemCode, true)
	a.greedy(lines, slots, HowDescription, byDescription, true)
	a.greedy(lines, slots, HowAmount, byAmount, true)
	// A line still left whose item or name is on a PO line already taken is
	// most likely a second part of the same delivery; it shares the line,
	// and the cumulative quantity check catches over-billing.
	a.greedy(lines, slots, HowItemCode, byItemCode, false)
	a.greedy(lines, slots, HowDescription, byDescription, false)
	a.byPosition(lines, slots, tol)
	return a
}

// greedy collects the pairs with evidence among open lines (and, when
// unique, open slots), sorts them best first and takes each pair whose
// ends are still free. Sorting by score, then fit, then line and slot
// index makes the outcome independent of everything but the input order.
func (a *assignment) greedy(lines []invLine, slots []poSlot, how string, ev evidence, unique bool) {
	var pairs []pair
	for i, il := range lines {
		if a.slot[i] >= 0 || il.empty {
			continue
		}
		for s := range slots {
			if unique && a.used[s] {
				continue
			}
			if score, ok := ev(il, slots[s]); ok {
				pairs = append(pairs, pair{line: i, slot: s, score: score, fit: fits(il, slots[s])})
			}
		}
	}
	slices.SortFunc(pairs, comparePairs)
	for _, p := range pairs {
		if a.slot[p.line] >= 0 || (unique && a.used[p.slot]) {
			continue
		}
		a.slot[p.line], a.how[p.line], a.used[p.slot] = p.slot, how, true
	}
}

// comparePairs orders best first: evidence, then fit, then input order.
func comparePairs(p, q pair) int {
	return cmp.Or(
		cmp.Compare(q.score, p.score),
		cmp.Compare(q.fit, p.fit),
		cmp.Compare(p.line, q.line),
		cmp.Compare(p.slot, q.slot),
	)
}

// byPosition pairs a line still open with a free PO line at the same
// position (the third invoice line with the third line of an order, the
// first order first), provided the unit price is within tolerance or the
// quantity is one the order explains: a line in the same place with
// nothing in common is not the same item. It is the weakest evidence and
// the explanation says so; it exists for invoices that follow the order
// line by line but name items their own way ("Pos. 1", the vendor's own
// article numbers).
func (a *assignment) byPosition(lines []invLine, slots []poSlot, tol Tolerance) {
	for i := range a.slot {
		if a.slot[i] >= 0 || lines[i].empty {
			continue
		}
		for s := range slots {
			if !a.used[s] && slots[s].pos == lines[i].idx && plausible(lines[i], slots[s], tol) {
				a.slot[i], a.how[i], a.used[s] = s, HowPosition, true
				break
			}
		}
	}
}

func plausible(il invLine, s poSlot, tol Tolerance) bool {
	return tol.priceOK(il.price.Sub(s.line.UnitPrice), s.line.UnitPrice) || qtyFits(il.qty.Abs(), s)
}

// byItemCode: the PO line's item code is printed on the invoice line. The
// score adds the description similarity so that, of two lines carrying
// the code, the better described wins.
func byItemCode(il invLine, s poSlot) (int, bool) {
	if !codeIn(s.code, il.words, il.line.ID) {
		return 0, false
	}
	return similarity(il.words, s.words), true
}

// byDescription: the names share enough words.
func byDescription(il invLine, s poSlot) (int, bool) {
	sim := similarity(il.words, s.words)
	return sim, sim >= minSimilarity
}

// byAmount: same unit price and a quantity the order explains.
func byAmount(il invLine, s poSlot) (int, bool) {
	return 0, il.price.Equal(s.line.UnitPrice) && qtyFits(il.qty.Abs(), s)
}
