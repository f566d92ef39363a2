package pagereader

import (
	"math"
	"sort"
	"strings"
)

// Segment is a run of words on one line with no wide gap inside: a label,
// a value, a table cell. Gaps wider than about a font size separate
// segments, which is how columns are told apart.
type Segment struct {
	Text   string
	X0, X1 float64
	Y0, Y1 float64
	Size   float64
	Words  []Word
}

// Line is the words of one page that share a baseline, left to right.
type Line struct {
	Page  int
	Index int // position in Layout.Lines
	Y     float64
	Size  float64
	Segs  []Segment
	Text  string // segments joined by two spaces
}

// Layout is the rebuilt reading structure of a document.
type Layout struct {
	Lines []Line
}

// Tuning of the rebuilding, relative to the font size.
const (
	sameLineTol = 0.4  // centres closer than this × size share a line
	segmentGap  = 0.8  // a gap wider than this × size starts a segment
	spaceGap    = 0.15 // a gap wider than this × size is a space
)

// BuildLayout clusters words into lines (by vertical centre, tolerance
// relative to the font size), orders each line by x and splits it into
// segments at wide gaps. Pages and lines come top to bottom.
func BuildLayout(words []Word) Layout {
	byPage := map[int][]Word{}
	var pages []int
	for _, w := range words {
		if !w.usable() {
			continue
		}
		w.Text = clean(w.Text)
		if _, ok := byPage[w.Page]; !ok {
			pages = append(pages, w.Page)
		}
		byPage[w.Page] = append(byPage[w.Page], w)
	}
	sort.Ints(pages)
	var lay Layout
	for _, p := range pages {
		for _, group := range clusterLines(byPage[p]) {
			ln := makeLine(p, group)
			ln.Index = len(lay.Lines)
			lay.Lines = append(lay.Lines, ln)
		}
	}
	return lay
}

// clusterLines groups words whose centres lie within the tolerance of the
// first word of the line, after sorting by centre.
func clusterLines(ws []Word) [][]Word {
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].centerY() < ws[j].centerY() })
	var out [][]Word
	var cur []Word
	for _, w := range ws {
		if len(cur) > 0 {
			first := cur[0]
			tol := sameLineTol * math.Max(first.size(), w.size())
			if w.centerY()-first.centerY() > tol {
				out = append(out, cur)
				cur = nil
			}
		}
		cur = append(cur, w)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func makeLine(page int, ws []Word) Line {
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].X < ws[j].X })
	ln := Line{Page: page}
	var sumY, maxSize float64
	var cur []Word
	for i, w := range ws {
		sumY += w.centerY()
		maxSize = math.Max(maxSize, w.size())
		if i > 0 && w.X-ws[i-1].right() > segmentGap*math.Max(w.size(), ws[i-1].size()) {
			ln.Segs = append(ln.Segs, makeSegment(cur))
			cur = nil
		}
		cur = append(cur, w)
	}
	ln.Segs = append(ln.Segs, makeSegment(cur))
	ln.Y, ln.Size = sumY/float64(len(ws)), maxSize
	texts := make([]string, len(ln.Segs))
	for i, s := range ln.Segs {
		texts[i] = s.Text
	}
	ln.Text = strings.Join(texts, "  ")
	return ln
}

// makeSegment joins words, with a space where the source had one at the
// edge of a word or where the gap is wider than a narrow space.
func makeSegment(ws []Word) Segment {
	s := Segment{X0: ws[0].X, X1: ws[0].right(), Y0: ws[0].Y, Y1: ws[0].Y + ws[0].H, Words: ws}
	var b strings.Builder
	for i, w := range ws {
		t := strings.TrimSpace(w.Text)
		if i > 0 && b.Len() > 0 && t != "" {
			prev := ws[i-1]
			gap := w.X - prev.right()
			if gap > spaceGap*math.Max(w.size(), prev.size()) ||
				strings.HasSuffix(prev.Text, " ") || strings.HasPrefix(w.Text, " ") {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
		s.X0, s.X1 = math.Min(s.X0, w.X), math.Max(s.X1, w.right())
		s.Y0, s.Y1 = math.Min(s.Y0, w.Y), math.Max(s.Y1, w.Y+w.H)
		s.Size = math.Max(s.Size, w.size())
	}
	s.Text = b.String()
	return s
}

// overlapX is how much [a0,a1] and [b0,b1] overlap horizontally (≤ 0 when
// they do not).
func overlapX(a0, a1, b0, b1 float64) float64 { return math.Min(a1, b1) - math.Max(a0, b0) }
