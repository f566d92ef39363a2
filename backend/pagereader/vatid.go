package pagereader

import (
	"regexp"
	"strings"

	"github.com/smartap/desktop/backend/vendor"
)

// vatShapes are the VAT id formats per country prefix (compact form).
var vatShapes = map[string]*regexp.Regexp{
	"DE": regexp.MustCompile(`^DE\d{9}`),
	"AT": regexp.MustCompile(`^ATU\d{8}`),
	"FR": regexp.MustCompile(`^FR[0-9A-HJ-NP-Z]{2}\d{9}`),
	"NL": regexp.MustCompile(`^NL\d{9}B\d{2}`),
	"BE": regexp.MustCompile(`^BE[01]\d{9}`),
	"LU": regexp.MustCompile(`^LU\d{8}`),
	"IT": regexp.MustCompile(`^IT\d{11}`),
	"ES": regexp.MustCompile(`^ES[0-9A-Z]\d{7}[0-9A-Z]`),
	"GB": regexp.MustCompile(`^GB(\d{12}|\d{9})`),
	"DK": regexp.MustCompile(`^DK\d{8}`),
	"SE": regexp.MustCompile(`^SE\d{12}`),
	"PL": regexp.MustCompile(`^PL\d{10}`),
	"CZ": regexp.MustCompile(`^CZ\d{8,10}`),
	"CH": regexp.MustCompile(`^CHE\d{9}(MWST|TVA|IVA)?`),
	"PT": regexp.MustCompile(`^PT\d{9}`),
	"FI": regexp.MustCompile(`^FI\d{8}`),
	"IE": regexp.MustCompile(`^IE\d[0-9A-Z+*]\d{5}[A-Z]{1,2}`),
}

var vatStart = regexp.MustCompile(`\b(DE|AT|FR|NL|BE|LU|IT|ES|GB|DK|SE|PL|CZ|CH|PT|FI|IE)[ .]?[0-9UE]`)

// vatHit is a VAT id found on a line.
type vatHit struct {
	ID       string
	Line     int
	Seg      int
	Checked  bool // the country's check digits were tested
	Valid    bool // … and hold
	Labelled bool // a VAT label stands in the segment or just before it
}

var vatLabel = regexp.MustCompile(`ust|mwst|vat|tva|btw|umsatzsteuer|steuer-?id|tax\s*id|tax\s*reg|id\.?-?nr|\bid\b|identifi`)

// findVATIDs scans every segment for VAT ids written with or without
// spaces and dots ("FR 32 123 456 789", "DE 123.456.789").
func (r *reader) findVATIDs() []vatHit {
	var out []vatHit
	for li, ln := range r.lay.Lines {
		for si, seg := range ln.Segs {
			up := strings.ToUpper(seg.Text)
			for _, loc := range vatStart.FindAllStringSubmatchIndex(up, -1) {
				id, ok := vatAt(up[loc[0]:], up[loc[2]:loc[3]])
				if !ok {
					continue
				}
				h := vatHit{ID: id, Line: li, Seg: si}
				h.Checked, h.Valid = vatChecksum(id)
				lab := r.folded(li, si)
				if si > 0 {
					lab += " " + r.folded(li, si-1)
				}
				h.Labelled = vatLabel.MatchString(lab)
				out = append(out, h)
			}
		}
	}
	return out
}

// vatAt reads a compact VAT id at the start of s for country cc.
func vatAt(s, cc string) (string, bool) {
	compact := compactPrefix(s, 18)
	m := vatShapes[cc].FindString(compact)
	if m == "" || len(compact) > len(m) && compact[len(m)] >= '0' && compact[len(m)] <= '9' {
		return "", false
	}
	if cc == "CH" { // CHE…MWST: the suffix names the tax, it is not part of the id
		m = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "MWST"), "TVA"), "IVA")
	}
	id := vendor.NormalizeVATID(m)
	return id, vendor.CheckVATID(id) == nil
}

// compactPrefix takes up to n letters and digits from the start of s,
// skipping the spaces, dots and dashes that group them.
func compactPrefix(s string, n int) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '+' || c == '*':
			b.WriteRune(c)
		case c == ' ' || c == '.' || c == '-':
			continue
		default:
			return b.String()
		}
		if b.Len() >= n {
			break
		}
	}
	return b.String()
}

// vatChecksum tests the check digits where the algorithm is public and
// simple; checked is false for other countries.
func vatChecksum(id string) (checked, valid bool) {
	d := id[2:]
	switch id[:2] {
	case "DE":
		return true, mod11_10(d)
	case "FR":
		return frKey(d)
	case "NL":
		return true, nlCheck(id)
	case "BE":
		return true, mod97Tail(d, 8)
	case "AT":
		return true, atCheck(d[1:])
	case "IT":
		return true, luhn(d)
	case "GB":
		return gbCheck(d)
	}
	return false, false
}

func digits(s string) []int {
	out := make([]int, 0, len(s))
	for _, c := range s {
		if c < '0' || c > '9' {
			return nil
		}
		out = append(out, int(c-'0'))
	}
	return out
}

// mod11_10 is ISO 7064 MOD 11,10 over 8 digits plus the check digit (DE).
func mod11_10(s string) bool {
	ds := digits(s)
	if len(ds) != 9 || ds[0] == 0 {
		return false
	}
	p := 10
	for _, v := range ds[:8] {
		sum := (v + p) % 10
		if sum == 0 {
			sum = 10
		}
		p = (2 * sum) % 11
	}
	check := 11 - p
	if check == 10 {
		check = 0
	}
	return check == ds[8]
}

// frKey: the two-character key of a French number is (12 + 3·(SIREN mod
// 97)) mod 97 when numeric; letter keys are not tested.
func frKey(s string) (bool, bool) {
	key, siren := digits(s[:2]), digits(s[2:])
	if key == nil || siren == nil {
		return false, false
	}
	n := 0
	for _, v := range siren {
		n = (n*10 + v) % 97
	}
	return true, (12+3*n)%97 == key[0]*10+key[1]
}

// nlCheck accepts the mod-11 check of the old numbers and the mod-97 of
// the ones issued since 2020.
func nlCheck(id string) bool {
	ds := digits(id[2:11])
	if ds == nil {
		return false
	}
	sum := 0
	for i, v := range ds[:8] {
		sum += v * (9 - i)
	}
	if sum%11 == ds[8] {
		return true
	}
	r := 0
	for _, c := range id {
		if c >= 'A' && c <= 'Z' {
			v := int(c-'A') + 10
			r = (r*100 + v) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r == 1
}

// mod97Tail: the last two digits are 97 − (the first n digits mod 97) (BE).
func mod97Tail(s string, n int) bool {
	ds := digits(s)
	if len(ds) != n+2 {
		return false
	}
	v := 0
	for _, x := range ds[len(ds)-n-2 : len(ds)-2] {
		v = (v*10 + x) % 97
	}
	return 97-v == ds[len(ds)-2]*10+ds[len(ds)-1]
}

// atCheck is the Austrian UID check over the 8 digits after "U".
func atCheck(s string) bool {
	ds := digits(s)
	if len(ds) != 8 {
		return false
	}
	sum := 0
	for i, v := range ds[:7] {
		if i%2 == 1 {
			v = v*2/10 + v*2%10
		}
		sum += v
	}
	return (10-(sum+4)%10)%10 == ds[7]
}

func luhn(s string) bool {
	ds := digits(s)
	if len(ds) == 0 {
		return false
	}
	sum := 0
	for i := range ds {
		v := ds[len(ds)-1-i]
		if i%2 == 1 {
			if v *= 2; v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// gbCheck is the HMRC weighted mod-97 test (both the old and the 55 rule).
func gbCheck(s string) (bool, bool) {
	ds := digits(s)
	if len(ds) != 9 && len(ds) != 12 {
		return false, false
	}
	sum := 0
	for i, v := range ds[:7] {
		sum += v * (8 - i)
	}
	sum += ds[7]*10 + ds[8]
	return true, sum%97 == 0 || (sum+55)%97 == 0
}
