package pagereader

import (
	"github.com/smartap/desktop/backend/decimal"
)

// Weights of the solver: a holding identity outweighs any label score; a
// broken one costs less than any label is worth, so an amount that
// contradicts the others is kept (and reported), never hidden.
const (
	holdBonus    = 1.0
	breakPenalty = 0.5
)

// solve picks, among the candidates of every total, the combination that
// satisfies the most identities (then has the best label scores).
func solve(cands [nTotals][]cand[decimal.Decimal], s sums) (choice, [nTotals]float64) {
	var bestC choice
	var bestScores [nTotals]float64
	bestTotal := -1e9
	var cur choice
	var curScores [nTotals]float64
	var walk func(t int)
	walk = func(t int) {
		if t == nTotals {
			if v := evaluate(cur, curScores, s); v > bestTotal {
				bestTotal, bestC, bestScores = v, cur, curScores
			}
			return
		}
		cur[t], curScores[t] = nil, 0
		walk(t + 1)
		for _, c := range cands[t] {
			v := c.Val
			cur[t], curScores[t] = &v, c.Score
			walk(t + 1)
		}
		cur[t], curScores[t] = nil, 0
	}
	walk(0)
	return bestC, bestScores
}

func evaluate(c choice, scores [nTotals]float64, s sums) float64 {
	v := 0.0
	for _, sc := range scores {
		v += sc
	}
	for _, rel := range relations {
		holds, ok := rel.holds(c, s)
		switch {
		case ok && holds:
			v += holdBonus
		case ok:
			v -= breakPenalty
		}
	}
	return v
}

// confirmations counts, per total, the identities that hold and break.
// An identity through a computed total proves nothing, nor does line total
// = total without VAT when one was copied from the other.
func confirmations(c choice, s sums, computed, copied [nTotals]bool) (held, broken [nTotals]int, brokenNames []string) {
	for _, rel := range relations {
		holds, ok := rel.holds(c, s)
		if !ok || rel.sameAmount && involves(rel, copied) || involves(rel, computed) {
			continue
		}
		if !holds {
			brokenNames = append(brokenNames, rel.name)
		}
		for _, f := range rel.fields {
			if c[f] == nil {
				continue
			}
			if holds {
				held[f]++
			} else {
				broken[f]++
			}
		}
	}
	return held, broken, brokenNames
}

func involves(rel relation, set [nTotals]bool) bool {
	for _, f := range rel.fields {
		if set[f] {
			return true
		}
	}
	return false
}
