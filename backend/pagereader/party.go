package pagereader

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"github.com/smartap/desktop/backend/vendor"
)

var (
	nameLabels  = []label{lbl(0.8, `^(name|nom|naam|firma|raison\s*sociale|company|societe|bedrijfsnaam)\b`)}
	senderSep   = regexp.MustCompile(`\s*[•●|·]\s*|\s+-\s+`)
	postcode    = regexp.MustCompile(`\b(\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b`)
	notNameLike = regexp.MustCompile(`@|www\.|https?:|^(tel|fon|fax|phone|telefon|e-mail|email)\b|^\+?\d[\d\s/()-]+$`)
)

// readParties finds seller and buyer names and VAT ids.
func (r *reader) readParties() {
	r.readNames()
	r.readVATIDs()
	if r.inv.Seller.Name != "" && r.inv.Seller.Name != r.inv.Buyer.Name && r.mentions(r.inv.Seller.Name) >= 2 {
		r.conf["seller.name"] = min(r.conf["seller.name"]+0.1, ConfChecksum)
	}
}

func (r *reader) readNames() {
	for _, c := range collect(r, nameLabels, parseName) {
		if c.Where == toRight {
			c.Val = r.continuedAbove(c.Line, c.Seg) + c.Val
		}
		switch r.kindOf(c.Label, 0) {
		case sellerParty:
			r.setName(&r.inv.Seller.Name, "seller.name", c.Val, c.Score)
		case buyerParty:
			r.setName(&r.inv.Buyer.Name, "buyer.name", c.Val, c.Score)
		}
	}
	for _, s := range r.sections {
		if s.kind != sellerParty && s.kind != buyerParty {
			continue
		}
		if v, ok := r.firstNameBelow(s); ok {
			if s.kind == sellerParty {
				r.setName(&r.inv.Seller.Name, "seller.name", v, ConfLabel-0.05)
			} else {
				r.setName(&r.inv.Buyer.Name, "buyer.name", v, ConfLabel-0.05)
			}
		}
	}
	r.senderLine()
	r.addressBlocks()
}

// setName keeps the first name found with the best score.
func (r *reader) setName(dst *string, path, v string, score float64) {
	if *dst != "" && r.conf[path] >= score {
		return
	}
	*dst = v
	r.set(path, score)
}

func parseName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	letters := 0
	for _, c := range s {
		if unicode.IsLetter(c) {
			letters++
		}
	}
	if letters < 2 || len(s) > 80 || notNameLike.MatchString(strings.ToLower(s)) || strings.HasSuffix(s, ":") {
		return "", false
	}
	return s, true
}

// firstNameBelow is the first name-like segment under a party heading, in
// its column, before the next heading; labelled lines ("Nummer: 549910")
// and contact details are skipped.
func (r *reader) firstNameBelow(s section) (string, bool) {
	head := r.lay.Lines[s.line].Segs[s.seg]
	for j := s.line + 1; j < len(r.lay.Lines) && j <= s.line+8; j++ {
		ln := r.lay.Lines[j]
		if ln.Page != s.page || ln.Y-r.lay.Lines[s.line].Y > 12*head.Size {
			break
		}
		for k, seg := range ln.Segs {
			if overlapX(head.X0-8, head.X1+60, seg.X0, seg.X0+1) <= 0 {
				continue
			}
			if headingKind(r.folded(j, k)) != noParty {
				return "", false
			}
			if strings.Contains(ln.Text, ":") || postcode.MatchString(seg.Text) && hasDigitStart(seg.Text) {
				continue
			}
			if v, ok := parseName(seg.Text); ok {
				return v, true
			}
		}
	}
	return "", false
}

func hasDigitStart(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] >= '0' && s[0] <= '9' || len(s) > 3 && s[2] == ' ' && s[3] >= '0' && s[3] <= '9')
}

// senderLine reads the one-line return address above the address window
// ("Kraxi GmbH · Flugzeugallee 17 · 12345 Papierfeld"): its first part is
// the seller; the first line below it, the buyer.
func (r *reader) senderLine() {
	for li, ln := range r.lay.Lines {
		if ln.Page != r.lay.Lines[0].Page || ln.Y > 420 {
			break
		}
		parts := senderSep.Split(ln.Text, -1)
		if len(parts) < 3 || !postcode.MatchString(ln.Text) {
			continue
		}
		if v, ok := parseName(strings.TrimSpace(parts[0])); ok && !hasDigitStart(v) {
			r.setName(&r.inv.Seller.Name, "seller.name", v, ConfWeakLabel)
			if b, ok := r.nameUnder(li, 0); ok && b != v {
				r.setName(&r.inv.Buyer.Name, "buyer.name", b, ConfWeakLabel)
			}
			return
		}
	}
}

// continuedAbove is the first part of a value that wraps upwards: a lone
// segment on the line just above, starting where the value starts (a
// label centred on a two-line value), with a trailing space.
func (r *reader) continuedAbove(li, si int) string {
	if li == 0 {
		return ""
	}
	ln, up := r.lay.Lines[li], r.lay.Lines[li-1]
	seg := ln.Segs[si]
	if up.Page != ln.Page || ln.Y-up.Y > 1.6*seg.Size || len(up.Segs) != 1 || math.Abs(up.Segs[0].X0-seg.X0) > 3 {
		return ""
	}
	if _, ok := parseName(up.Segs[0].Text); !ok || strings.Contains(up.Text, ":") {
		return ""
	}
	return up.Segs[0].Text + " "
}

// nameUnder is the first name-like segment within a few lines below a
// segment, starting near its left edge.
func (r *reader) nameUnder(li, si int) (string, bool) {
	ref := r.lay.Lines[li].Segs[si]
	for j := li + 1; j < len(r.lay.Lines) && j <= li+4; j++ {
		ln := r.lay.Lines[j]
		if ln.Page != r.lay.Lines[li].Page || ln.Y-r.lay.Lines[li].Y > 60 {
			break
		}
		for _, seg := range ln.Segs {
			if seg.X0 > ref.X0-45 && seg.X0 < ref.X0+80 {
				if v, ok := parseName(seg.Text); ok {
					return v, true
				}
			}
		}
	}
	return "", false
}

// mentions counts the lines that contain name (case-insensitive).
func (r *reader) mentions(name string) int {
	n, key := 0, vendor.MatchName(name)
	if key == "" {
		return 0
	}
	for _, ln := range r.lay.Lines {
		if strings.Contains(vendor.MatchName(ln.Text), key) {
			n++
		}
	}
	return n
}
