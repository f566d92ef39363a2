package pagereader

import (
	"strings"
	"unicode"

	"github.com/smartap/desktop/backend/pdfdoc"
)

// Word is one positioned piece of text: a PDF text run or an OCR word box.
// Coordinates are in points with the origin at the page's top-left corner,
// y downwards; Size is the font size (0 when unknown, e.g. from OCR: the
// height then stands in for it).
type Word struct {
	Page       int
	Text       string
	X, Y, W, H float64
	Size       float64
}

// FromRuns flattens pdfdoc.PageText output into words.
func FromRuns(pages [][]pdfdoc.TextRun) []Word {
	var out []Word
	for _, p := range pages {
		for _, r := range p {
			out = append(out, Word{Page: r.Page, Text: r.Text, X: r.X, Y: r.Y, W: r.W, H: r.H, Size: r.FontSize})
		}
	}
	return out
}

// size is the effective font size of w. A text box is about 0.7 of the
// font size high, so without a size the height is scaled up.
func (w Word) size() float64 {
	switch {
	case w.Size > 0 && w.Size < 500:
		return w.Size
	case w.H > 0 && w.H < 500:
		return w.H / 0.7
	}
	return 10
}

func (w Word) centerY() float64 { return w.Y + w.H/2 }
func (w Word) right() float64   { return w.X + w.W }

// usable drops words that cannot be placed (NaN, infinite or absurd
// coordinates from a broken source) or have no visible text.
func (w Word) usable() bool {
	for _, v := range []float64{w.X, w.Y, w.W, w.H, w.Size} {
		if v != v || v > 1e6 || v < -1e6 {
			return false
		}
	}
	return w.W >= 0 && w.H >= 0 && strings.TrimFunc(w.Text, isBlank) != ""
}

// isBlank covers the spaces PDFs use: ordinary, no-break, thin, zero-width.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u200b' || r == '\ufeff'
}

// clean turns every kind of blank into one ordinary space and drops
// control characters. A blank at either end is kept as one space, so the
// joiner can see that the source separated the word from its neighbour.
func clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case isBlank(r):
			space = true
			continue
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			continue
		}
		if space {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space && b.Len() > 0 {
		b.WriteByte(' ')
	}
	return b.String()
}

// fold lower-cases s and removes the diacritics that matter for labels,
// rune for rune, so a match in the folded text has the same rune offsets
// as in the original.
func fold(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = foldRune(r)
	}
	return string(rs)
}

func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if f, ok := folds[r]; ok {
		return f
	}
	return r
}

var folds = func() map[rune]rune {
	m := map[rune]rune{'ß': 's', 'º': '°', '’': '\'', '‘': '\'', '´': '\'', '`': '\'', '–': '-', '—': '-', '−': '-'}
	for base, variants := range map[rune]string{
		'a': "àáâãäå", 'c': "ç", 'e': "èéêë", 'i': "ìíîï", 'n': "ñ", 'o': "òóôõöø", 'u': "ùúûü", 'y': "ýÿ",
	} {
		for _, v := range variants {
			m[v] = base
		}
	}
	return m
}()
