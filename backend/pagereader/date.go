package pagereader

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// dateHit is a date found in a (folded) text.
type dateHit struct {
	Date       invoice.Date
	Start, End int
}

// months maps folded month names and abbreviations in EN, DE, FR, NL to
// their number.
var months = func() map[string]int {
	m := map[string]int{}
	for i, names := range []string{
		"january januar janvier januari jan janv",
		"february februar fevrier februari feb fev fevr",
		"march marz mars maart mar mrz maa",
		"april avril apr avr",
		"may mai mei",
		"june juni juin jun",
		"july juli juillet jul juil",
		"august aout augustus aug",
		"september septembre sep sept",
		"october oktober octobre okt oct",
		"november novembre nov",
		"december dezember decembre dec dez",
	} {
		for _, n := range strings.Fields(names) {
			m[n] = i + 1
		}
	}
	return m
}()

var monthAlt = func() string {
	names := make([]string, 0, len(months))
	for n := range months {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return strings.Join(names, "|")
}()

var (
	reISODate   = regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`)
	reNumDate   = regexp.MustCompile(`\b(\d{1,2})([./-])(\d{1,2})([./-])(\d{4}|\d{2})\b`)
	reDayMonth  = regexp.MustCompile(`\b(\d{1,2})(?:\.|er|st|nd|rd|th)?\s*(` + monthAlt + `)\.?,?\s*(\d{4})\b`)
	reMonthDay  = regexp.MustCompile(`\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	reNoDigitAt = regexp.MustCompile(`^[^\d]`)
)

// findDates returns the real calendar dates in s, left to right. Numeric
// dates are read day first (European), unless only month-first makes a
// date; two-digit years are 20yy below 70.
func findDates(s string) []dateHit {
	f := fold(s)
	var out []dateHit
	add := func(y, m, d string, loc []int) {
		if dt, ok := makeDate(y, m, d); ok && !overlaps(out, loc[0], loc[1]) {
			out = append(out, dateHit{Date: dt, Start: loc[0], End: loc[1]})
		}
	}
	for _, m := range reISODate.FindAllStringSubmatchIndex(f, -1) {
		add(f[m[2]:m[3]], f[m[4]:m[5]], f[m[6]:m[7]], m)
	}
	for _, m := range reNumDate.FindAllStringSubmatchIndex(f, -1) {
		if f[m[4]:m[5]] != f[m[8]:m[9]] || !boundary(f, m[0], m[1]) {
			continue // mixed separators (1.2/2020) or part of a longer number
		}
		d, mo, y := f[m[2]:m[3]], f[m[6]:m[7]], f[m[10]:m[11]]
		if _, ok := makeDate(y, mo, d); !ok && f[m[4]:m[5]] == "/" {
			d, mo = mo, d // 02/17/26
		}
		add(y, mo, d, m)
	}
	for _, m := range reDayMonth.FindAllStringSubmatchIndex(f, -1) {
		add(f[m[6]:m[7]], strconv.Itoa(months[f[m[4]:m[5]]]), f[m[2]:m[3]], m)
	}
	for _, m := range reMonthDay.FindAllStringSubmatchIndex(f, -1) {
		add(f[m[6]:m[7]], strconv.Itoa(months[f[m[2]:m[3]]]), f[m[4]:m[5]], m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// boundary: the date is not glued to more digits or separators (a version
// "2.1.2020.1" or an amount "1.12.345").
func boundary(f string, start, end int) bool {
	if start > 0 && strings.ContainsAny(f[start-1:start], ".,/-") {
		return false
	}
	if end < len(f) && strings.ContainsAny(f[end:end+1], ".,/-") && end+1 < len(f) && !reNoDigitAt.MatchString(f[end+1:]) {
		return false
	}
	return true
}

func overlaps(hits []dateHit, start, end int) bool {
	for _, h := range hits {
		if start < h.End && h.Start < end {
			return true
		}
	}
	return false
}

func makeDate(y, m, d string) (invoice.Date, bool) {
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	di, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil {
		return invoice.Date{}, false
	}
	if len(y) == 2 {
		yi += 2000
		if yi >= 2070 {
			yi -= 100
		}
	}
	if yi < 1970 || yi > 2099 {
		return invoice.Date{}, false
	}
	dt, err := invoice.ParseDate(fmt.Sprintf("%04d-%02d-%02d", yi, mi, di))
	return dt, err == nil
}
