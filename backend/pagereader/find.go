package pagereader

import (
	"math"
	"regexp"
	"sort"
	"strings"
)

// label is one way a field is announced, with how much it says.
type label struct {
	re    *regexp.Regexp
	not   *regexp.Regexp // the label does not count in a segment matching this
	score float64
}

func lbl(score float64, pattern string) label {
	return label{re: regexp.MustCompile(pattern), score: score}
}

// except makes a copy of l that does not count where pattern matches.
func (l label) except(pattern string) label {
	l.not = regexp.MustCompile(pattern)
	return l
}

// where a value was found relative to its label.
const (
	inSegment = iota // after the label in the same segment: "Invoice no: 123"
	toRight          // the next segment on the line: "Name:      Lieferant GmbH"
	below            // the segment under the label: a column header and its value
)

// cand is one candidate value for a field.
type cand[T any] struct {
	Val   T
	Score float64
	Line  int // index of the line the value stands on
	Seg   int
	Where int
	Label int // index of the line the label stands on
}

// labelHit is a label found in a segment; Rest is the original text after it.
type labelHit struct {
	Line  int
	Seg   int
	Rest  string
	Score float64
}

// hits finds every label of a field; of several labels matching one
// segment, the best counts.
func (r *reader) hits(labels []label) []labelHit {
	var out []labelHit
	for li := range r.lay.Lines {
		for si, seg := range r.lay.Lines[li].Segs {
			f := r.folded(li, si)
			best := labelHit{Score: -1}
			for _, l := range labels {
				loc := l.re.FindStringIndex(f)
				if loc == nil || l.score <= best.Score || l.not != nil && l.not.MatchString(f) {
					continue
				}
				runes := []rune(seg.Text)
				n := len([]rune(f[:loc[1]]))
				best = labelHit{Line: li, Seg: si, Score: l.score, Rest: trimSeparators(string(runes[min(n, len(runes)):]))}
			}
			if best.Score >= 0 {
				out = append(out, best)
			}
		}
	}
	return out
}

// trimSeparators drops what stands between a label and its value.
func trimSeparators(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), ":#.-–=/ "))
}

// collect reads the value of every label hit with parse, trying the rest
// of the label's segment, then the segment to its right, then the segment
// below it, and keeps the first that parses.
func collect[T any](r *reader, labels []label, parse func(string) (T, bool)) []cand[T] {
	var out []cand[T]
	for _, h := range r.hits(labels) {
		if h.Rest != "" {
			if v, ok := parse(h.Rest); ok {
				out = append(out, cand[T]{Val: v, Score: h.Score, Line: h.Line, Seg: h.Seg, Where: inSegment, Label: h.Line})
				continue
			}
		}
		ln := &r.lay.Lines[h.Line]
		if h.Seg+1 < len(ln.Segs) {
			if v, ok := parse(ln.Segs[h.Seg+1].Text); ok {
				out = append(out, cand[T]{Val: v, Score: h.Score, Line: h.Line, Seg: h.Seg + 1, Where: toRight, Label: h.Line})
				continue
			}
		}
		if li, si, ok := r.below(h.Line, h.Seg); ok {
			if v, ok := parse(r.lay.Lines[li].Segs[si].Text); ok {
				out = append(out, cand[T]{Val: v, Score: h.Score - 0.05, Line: li, Seg: si, Where: below, Label: h.Line})
			}
		}
	}
	return out
}

// best is the candidate with the highest score, the earliest on a tie.
func best[T any](cs []cand[T]) (cand[T], bool) {
	if len(cs) == 0 {
		return cand[T]{}, false
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Score > cs[j].Score })
	return cs[0], true
}

// below finds the segment under segment si of line li: on the same page,
// within three font sizes, overlapping it horizontally; the nearest wins.
func (r *reader) below(li, si int) (int, int, bool) {
	ln := r.lay.Lines[li]
	seg := ln.Segs[si]
	for j := li + 1; j < len(r.lay.Lines); j++ {
		next := r.lay.Lines[j]
		if next.Page != ln.Page || next.Y-ln.Y > 3*math.Max(ln.Size, seg.Size) {
			return 0, 0, false
		}
		for k, s := range next.Segs {
			if overlapX(seg.X0-2, seg.X1+2, s.X0, s.X1) > 0 {
				return j, k, true
			}
		}
	}
	return 0, 0, false
}

// folded is the cached folded text of a segment.
func (r *reader) folded(li, si int) string {
	key := [2]int{li, si}
	if f, ok := r.foldCache[key]; ok {
		return f
	}
	f := fold(r.lay.Lines[li].Segs[si].Text)
	r.foldCache[key] = f
	return f
}
